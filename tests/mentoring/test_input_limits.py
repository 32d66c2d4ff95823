"""Issue 8, bad input in shadowing: text limits, impossible dates, crafted ids, long PDFs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.forms import NARRATIVE_MAX
from mentoring.models import Mentorship, ShadowingLog
from officers.roles import Role, Tier
from tests.factories.mentoring import (
    CompetencyFactory,
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    station = UnitFactory(name="东城派出所")
    m = MentorshipFactory(recruit=RecruitFactory(unit=station), mentor=MentorFactory(unit=station))
    return {
        "m": m, "station": station, "competency": CompetencyFactory(name="接处警"),
        "leader": OfficerFactory(unit=station, tier=Tier.MID_LEVEL),
        "legal": OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER]),
    }


def _log(competency, **extra):
    data = {
        "date": timezone.localdate().isoformat(), "start_time": "08:30", "end_time": "17:30",
        "activity_0_kind": "incident", "activity_0_part": "assisted", f"rating_{competency.pk}": "5",
        "best": "询问条理清楚", "worst": "照片不全", "next_plan": "练习笔录",
    }
    return {**data, **extra}


def test_a_3_mb_log_is_refused_in_chinese_and_keeps_what_was_typed(world, client, login):
    login(world["m"].mentor)
    narrative = "今天处置一起纠纷，" + "详" * (3 * 1024 * 1024 // 3)  # about 3 MB in UTF-8
    response = client.post(reverse("mentoring:log_create", args=[world["m"].pk]),
                           _log(world["competency"], best=narrative))
    html = response.content.decode()
    assert response.status_code == 400
    assert f"最多 {NARRATIVE_MAX} 个。请删减" in html  # the limit and the length, in Chinese
    assert "今天处置一起纠纷，详详详" in html  # the text comes back in the box
    assert f'maxlength="{NARRATIVE_MAX}"' in html
    assert not ShadowingLog.objects.filter(mentorship=world["m"], best__startswith="今天").exists()


def test_every_text_of_a_log_has_a_limit(world):
    from mentoring.forms import (
        COMMENT_MAX,
        AcknowledgeForm,
        AddendumForm,
        MentorshipEndForm,
        ShadowingLogForm,
    )

    form = ShadowingLogForm(mentorship=world["m"], competencies=[world["competency"]])
    texts = [name for name, field in form.fields.items() if hasattr(field, "max_length")]
    assert all(form.fields[name].max_length for name in texts)
    assert form.fields[f"comment_{world['competency'].pk}"].max_length == COMMENT_MAX
    for form_class, name in ((AcknowledgeForm, "comment"), (AddendumForm, "text"), (MentorshipEndForm, "reason")):
        assert form_class().fields[name].max_length
    with pytest.raises(services.ValidationError):
        services._reason_required("长" * (services.REASON_MAX + 1))


@pytest.mark.parametrize(("started_on", "planned_end_on"), [
    ("9999-12-31", ""), ("0001-01-01", ""), ("2026-11-01", "9999-12-31"),
])
def test_impossible_mentorship_dates_are_refused_in_chinese(world, client, login, started_on, planned_end_on):
    login(world["leader"])
    recruit, mentor = RecruitFactory(unit=world["station"]), MentorFactory(unit=world["station"])
    response = client.post(reverse("mentoring:assign"), {
        "recruit": recruit.pk, "mentor": mentor.pk, "started_on": started_on, "planned_end_on": planned_end_on,
    })
    assert response.status_code == 400
    assert "今天前后 10 年内" in response.content.decode()
    assert not Mentorship.objects.filter(recruit=recruit).exists()


def test_an_extension_to_9999_is_refused_and_the_service_checks_too(world, client, login):
    login(world["leader"])
    m = world["m"]
    response = client.post(reverse("mentoring:extend", args=[m.pk]), {"planned_end_on": "9999-12-31"})
    assert response.status_code == 400 and "今天前后 10 年内" in response.content.decode()
    m.refresh_from_db()
    assert m.planned_end_on.year < 9999
    with pytest.raises(services.ValidationError):
        services.mentorship_extend(mentorship=m, by=world["leader"], planned_end_on=dt.date(9999, 12, 31))
    later = timezone.localdate() + dt.timedelta(days=400)
    response = client.post(reverse("mentoring:extend", args=[m.pk]), {"planned_end_on": later.isoformat()})
    assert response.status_code == 302


def test_a_30_digit_unit_filter_is_ignored_not_a_500(world, client, login):
    login(world["m"].mentor)
    response = client.get(reverse("mentoring:home"), {"unit": "1" * 30})
    assert response.status_code == 200


# --- the training record PDF stays quick --------------------------------------------------


def _long_record(m, logs=40):
    from mentoring.services import RECORD_INLINE_MAX_CHARS

    start = timezone.localdate() - dt.timedelta(days=logs + 5)
    Mentorship.objects.filter(pk=m.pk).update(started_on=start)
    ShadowingLog.objects.bulk_create([
        ShadowingLog(mentorship=m, author=m.mentor, date=start + dt.timedelta(days=i), start_time=dt.time(8, 30),
                     end_time=dt.time(17, 30), duration_minutes=540, best="好" * NARRATIVE_MAX,
                     worst="差" * NARRATIVE_MAX, next_plan="练" * NARRATIVE_MAX)
        for i in range(logs)
    ])
    assert len(services.record_html(mentorship=m)) > RECORD_INLINE_MAX_CHARS


def test_a_usual_record_is_printed_at_once(world, client, login):
    login(world["m"].recruit)
    response = client.get(reverse("mentoring:record_pdf", args=[world["m"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_a_long_record_is_printed_by_the_task_worker_and_the_page_says_so(world, client, login, monkeypatch):
    from mentoring import tasks, views

    _long_record(world["m"])
    queued = []
    worker_job = tasks.training_record_render

    class NoWorkerYet:  # the job is queued; the worker has not picked it up
        @staticmethod
        def enqueue(**kwargs):
            queued.append(kwargs)

    monkeypatch.setattr(tasks, "training_record_render", NoWorkerYet)
    monkeypatch.setattr(views, "RECORD_WAIT_SECONDS", 0)
    login(world["m"].recruit)
    url = reverse("mentoring:record_pdf", args=[world["m"].pk])
    response = client.get(url)
    assert response.status_code == 202 and "正在生成" in response.content.decode()
    assert queued == [{"mentorship_id": world["m"].pk}]
    client.get(url)
    assert len(queued) == 1  # asked again: the same job is awaited, not queued twice
    # The worker runs the job; the next request hands over the file it made.
    worker_job.call(mentorship_id=world["m"].pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "新警跟班培训记录" in pdf_text(b"".join(response.streaming_content))
