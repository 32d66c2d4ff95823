import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    Competency,
    LogDraft,
    LogStatus,
    Mentorship,
    MentorshipStatus,
    ShadowingLog,
)
from officers.roles import Role, Tier
from tests.factories.mentoring import (
    CompetencyFactory,
    LogRatingFactory,
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A mentorship and everyone who might look at it."""
    station = UnitFactory(name="东城派出所")
    m = MentorshipFactory(recruit=RecruitFactory(unit=station, name="李新警"), mentor=MentorFactory(unit=station, name="刘师傅"))
    competency = CompetencyFactory(name="接处警")
    log = ShadowingLogFactory(mentorship=m)
    LogRatingFactory(log=log, competency=competency, rating=5)
    people = {
        "legal": OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER]),
        "admin": OfficerFactory(roles=[Role.ADMINISTRATOR]),
        "leader": OfficerFactory(unit=station, tier=Tier.MID_LEVEL),
        "mentor": m.mentor,
        "recruit": m.recruit,
        "other_leader": OfficerFactory(tier=Tier.MID_LEVEL),
        "colleague": OfficerFactory(unit=station),
        "station_legal": OfficerFactory(unit=station, roles=[Role.LEGAL_OFFICER]),
        "legal_unit_member": OfficerFactory(unit=LegalAffairsUnitFactory()),
        "other_mentor": MentorFactory(unit=station),
        "other_recruit": RecruitFactory(unit=station),
    }
    return {"m": m, "log": log, "competency": competency, **people}


EVERYONE = ["legal", "admin", "leader", "mentor", "recruit", "other_leader", "colleague", "other_mentor", "other_recruit",
            "station_legal", "legal_unit_member"]
# A member of the legal affairs unit without a role is an outsider like any other.
OUTSIDERS = {"other_leader": 404, "colleague": 404, "other_mentor": 404, "other_recruit": 404, "legal_unit_member": 404}
SEERS = {"legal": 200, "admin": 200, "leader": 200, "mentor": 200, "recruit": 200, "station_legal": 200}
# The station's legal officer reads the station's mentorships but acts on none.
READ_ONLY = {"station_legal": 403}

# (url name, method, args ("m", "log", "competency"), expected status per person)
ACCESS = [
    ("home", "get", [], {"legal": 200, "admin": 200, "leader": 200, "mentor": 200, "recruit": 200,
                         "other_leader": 200, "colleague": 403, "other_mentor": 200, "other_recruit": 200,
                         "station_legal": 200, "legal_unit_member": 403}),
    ("assign", "get", [], {"legal": 200, "admin": 200, "leader": 200, "mentor": 403, "recruit": 403,
                           "other_leader": 200, "colleague": 403, "other_mentor": 403, "other_recruit": 403,
                           "station_legal": 403, "legal_unit_member": 403}),
    ("competencies", "get", [], {"legal": 200, "leader": 200, "mentor": 200, "recruit": 200, "colleague": 403,
                                 "station_legal": 200, "legal_unit_member": 403}),
    ("competency_new", "get", [], {"legal": 200, "admin": 200, "leader": 403, "mentor": 403, "recruit": 403, "colleague": 403,
                                   "station_legal": 403, "legal_unit_member": 403}),
    ("competency_edit", "get", ["competency"], {"legal": 200, "leader": 403, "mentor": 403, "recruit": 403, "colleague": 403,
                                                "station_legal": 403, "legal_unit_member": 403}),
    ("mentorship", "get", ["m"], {**SEERS, **OUTSIDERS}),
    ("record_pdf", "get", ["m"], {**SEERS, **OUTSIDERS}),
    ("log_create", "get", ["m"], {"mentor": 200, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("log_draft", "post", ["m"], {"mentor": 200, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("log", "get", ["log"], {**SEERS, **OUTSIDERS}),
    ("log_edit", "get", ["log"], {"mentor": 200, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("log_acknowledge", "post", ["log"], {"recruit": 409, "mentor": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("log_addendum", "post", ["log"], {"mentor": 302, "recruit": 302, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("sign_off", "post", ["m", "competency"], {"mentor": 302, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("sign_off_withdraw", "post", ["m", "competency"], {"mentor": 302, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("final_return", "post", ["m"], {"legal": 302, "admin": 302, "mentor": 403, "recruit": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("final_propose", "post", ["m"], {"mentor": 302, "recruit": 403, "legal": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("final_approve", "get", ["m"], {"legal": 200, "admin": 200, "mentor": 403, "recruit": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("promote", "post", ["m"], {"legal": 302, "mentor": 403, "recruit": 403, "leader": 403, **OUTSIDERS, **READ_ONLY}),
    ("extend", "get", ["m"], {"legal": 200, "leader": 200, "mentor": 403, "recruit": 403, **OUTSIDERS, **READ_ONLY}),
    ("end_early", "get", ["m"], {"legal": 200, "leader": 200, "mentor": 403, "recruit": 403, **OUTSIDERS, **READ_ONLY}),
    ("evaluation", "get", ["m"], {"legal": 200, "admin": 200, "leader": 403, "mentor": 403, "recruit": 403, **OUTSIDERS, **READ_ONLY}),
]


@pytest.mark.parametrize(("name", "method", "args", "expected"), ACCESS, ids=[a[0] for a in ACCESS])
def test_who_gets_what(world, client, login, name, method, args, expected):
    url = reverse(f"mentoring:{name}", args=[world[a].pk for a in args])
    for who, status in expected.items():
        login(world[who])
        response = getattr(client, method)(url)
        assert response.status_code == status, f"{who} {method} {url}: {response.status_code} != {status}"


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(reverse("mentoring:mentorship", args=[world["m"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_navigation_shows_shadowing_to_those_it_concerns(world, client, login):
    login(world["mentor"])
    assert "跟班培训" in client.get("/").content.decode()
    login(world["colleague"])
    assert reverse("mentoring:home") not in client.get("/").content.decode()
    login(world["legal_unit_member"])
    assert reverse("mentoring:home") not in client.get("/").content.decode()
    login(world["station_legal"])
    assert reverse("mentoring:home") in client.get("/").content.decode()


def log_post(competency, **extra):
    data = {
        "date": timezone.localdate().isoformat(), "start_time": "08:30", "end_time": "17:30",
        "activity_0_kind": "administrative", "activity_0_part": "assisted", "activity_0_case_number": "A330784",
        "activity_0_summary": "殴打他人案", f"rating_{competency.pk}": "5",
        "best": "询问条理清楚", "worst": "照片不全", "next_plan": "练习笔录",
    }
    data.update(extra)
    return data


def test_mentor_logs_a_shift_with_the_form(world, client, login):
    login(world["mentor"])
    url = reverse("mentoring:log_create", args=[world["m"].pk])
    page = client.get(url).content.decode()
    assert timezone.localdate().isoformat() in page and "李新警" in page  # date and recruit prefilled
    response = client.post(url, log_post(world["competency"], remedial_0_topic="笔录制作", remedial_0_minutes="20"))
    assert response.status_code == 302
    log = ShadowingLog.objects.latest("id")
    assert response["Location"] == reverse("mentoring:log", args=[log.pk])
    assert log.activities.get().get_part_display() == "协助" and log.remedials.get().minutes == 20
    assert log.ratings.get().rating == 5


def test_the_form_refuses_an_exceptional_rating_without_comment(world, client, login):
    login(world["mentor"])
    url = reverse("mentoring:log_create", args=[world["m"].pk])
    before = ShadowingLog.objects.count()
    response = client.post(url, log_post(world["competency"], **{f"rating_{world['competency'].pk}": "7"}))
    assert response.status_code == 400
    assert "低于3分或高于6分" in response.content.decode()
    assert ShadowingLog.objects.count() == before
    ok = client.post(url, log_post(world["competency"], **{
        f"rating_{world['competency'].pk}": "7", f"comment_{world['competency'].pk}": "独立完成询问"}))
    assert ok.status_code == 302


def test_the_draft_is_saved_as_typed_and_restored(world, client, login):
    login(world["mentor"])
    m = world["m"]
    response = client.post(reverse("mentoring:log_draft", args=[m.pk]), {"best": "现场处置冷静", "not_responding": "on"})
    assert response.status_code == 200 and "saved_at" in response.json()
    page = client.get(reverse("mentoring:log_create", args=[m.pk])).content.decode()
    assert "现场处置冷静" in page and "已恢复" in page
    # Without script: the "save draft" button keeps the draft too.
    client.post(reverse("mentoring:log_create", args=[m.pk]), {"save_draft": "1", "best": "第二稿"})
    assert LogDraft.objects.get(mentorship=m).data["best"] == "第二稿"
    client.post(reverse("mentoring:log_create", args=[m.pk]), log_post(world["competency"]))
    assert not LogDraft.objects.filter(mentorship=m).exists()


def test_recruit_acknowledges_then_the_log_is_locked(world, client, login):
    log = world["log"]
    login(world["recruit"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "我已阅读" in page
    client.post(reverse("mentoring:log_acknowledge", args=[log.pk]), {"comment": "明白了", "version": log.version})
    log.refresh_from_db()
    assert log.status == LogStatus.ACKNOWLEDGED and log.recruit_comment == "明白了"
    login(world["mentor"])
    response = client.get(reverse("mentoring:log_edit", args=[log.pk]))
    assert response.status_code == 302
    client.post(reverse("mentoring:log_addendum", args=[log.pk]), {"text": "补充：受案号更正"})
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "补充：受案号更正" in page and "刘师傅" in page and "已确认并锁定" in page


def test_mentor_corrects_an_unacknowledged_log(world, client, login):
    log = world["log"]
    login(world["mentor"])
    response = client.post(reverse("mentoring:log_edit", args=[log.pk]), log_post(world["competency"], best="改正后的记录"))
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.best == "改正后的记录"


def test_assign_page_pairs_a_recruit_and_refuses_a_full_mentor(world, client, login):
    login(world["leader"])
    station = world["m"].recruit.unit
    recruit, mentor = RecruitFactory(unit=station), MentorFactory(unit=station)
    response = client.post(reverse("mentoring:assign"), {"recruit": recruit.pk, "mentor": mentor.pk, "started_on": "2026-11-01"})
    assert response.status_code == 302
    assert Mentorship.objects.get(recruit=recruit).planned_end_on == dt.date(2027, 2, 1)
    MentorshipFactory(mentor=world["mentor"])  # now the demo mentor has two
    response = client.post(reverse("mentoring:assign"), {"recruit": world["other_recruit"].pk, "mentor": world["mentor"].pk, "started_on": "2026-11-01"})
    # A full mentor is no longer offered; posting one anyway is refused and nothing is paired.
    assert response.status_code == 400
    assert not Mentorship.objects.filter(recruit=world["other_recruit"]).exists()


def test_progress_page_shows_hours_chart_and_alerts(world, client, login):
    login(world["leader"])
    ShadowingLogFactory(mentorship=world["m"], date=timezone.localdate() - dt.timedelta(days=2), not_responding=True)
    page = client.get(reverse("mentoring:mentorship", args=[world["m"].pk])).content.decode()
    assert "<svg" in page and "ratings-chart" in page
    assert "李新警" in page and "18.0" in page  # two 9-hour shifts
    assert "不适应培训" in page


def test_final_sign_off_through_the_pages_then_the_recruit_is_an_officer(world, client, login):
    m = world["m"]
    login(world["mentor"])
    client.post(reverse("mentoring:sign_off", args=[m.pk, world["competency"].pk]))
    client.post(reverse("mentoring:final_propose", args=[m.pk]))
    login(world["legal"])
    client.post(reverse("mentoring:final_approve", args=[m.pk]), {"opinion": "同意出师。", "unacknowledged_reason": "新警已当面确认"})
    client.post(reverse("mentoring:promote", args=[m.pk]))
    m.refresh_from_db()
    m.recruit.refresh_from_db()
    assert m.status == MentorshipStatus.COMPLETED and m.recruit.tier == Tier.OFFICER


def test_the_evaluation_is_for_the_legal_affairs_unit_only(world, client, login):
    m = world["m"]
    services.mentorship_end_early(mentorship=m, by=world["legal"], reason="调岗")
    login(world["recruit"])
    url = reverse("mentoring:evaluation", args=[m.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"teaching": "5", "availability": "4", "fairness": "5", "comment": "师傅很耐心"})
    assert client.get(url).status_code == 403  # once only
    login(world["mentor"])
    assert client.get(url).status_code == 403
    assert "师傅很耐心" not in client.get(reverse("mentoring:mentorship", args=[m.pk])).content.decode()
    login(world["legal"])
    assert "师傅很耐心" in client.get(url).content.decode()


def test_training_record_pdf_is_in_chinese(world, client, login):
    login(world["recruit"])
    response = client.get(reverse("mentoring:record_pdf", args=[world["m"].pk]))
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)  # a private file, handed over by private_file_response
    text = pdf_text(data)
    for words in ("新警跟班培训记录", "李新警", "刘师傅", "接处警", "询问条理清楚", "永康市公安局"):
        assert words in text
    assert any("CJK" in name for name in pdf_fonts(data))


def test_legal_affairs_edits_the_curriculum(world, client, login):
    login(world["legal"])
    c = world["competency"]
    response = client.post(reverse("mentoring:competency_edit", args=[c.pk]), {
        "name": "接处警", "position": 1, "guideline_1": "差", "guideline_4": "合格的接处警", "guideline_7": "优", "is_active": "on"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.guideline_4 == "合格的接处警"


def _pages_queries(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_overview_and_progress_pages_keep_their_query_counts(world, client, login, django_assert_max_num_queries):
    login(world["legal"])
    competencies = [world["competency"], *[CompetencyFactory() for _ in range(4)]]
    for _ in range(10):
        m = MentorshipFactory()
        for days in range(1, 4):
            log = ShadowingLogFactory(mentorship=m, date=timezone.localdate() - dt.timedelta(days=days))
            for c in competencies:
                LogRatingFactory(log=log, competency=c, rating=3)
    for days in range(2, 30):
        log = ShadowingLogFactory(mentorship=world["m"], date=timezone.localdate() - dt.timedelta(days=days))
        for c in competencies:
            LogRatingFactory(log=log, competency=c, rating=4)
    # The overview: rows, alerts, and the legal affairs unit's sign-off to-do list (2).
    _pages_queries(client, django_assert_max_num_queries, reverse("mentoring:home"), 20)  # (the landing card of today's logs: 3 more)
    _pages_queries(client, django_assert_max_num_queries, reverse("mentoring:mentorship", args=[world["m"].pk]), 24)  # (minimums, remedial totals, versions: constant)


def test_unit_leader_extends_then_ends_a_mentorship_early(world, client, login):
    m = world["m"]
    login(world["leader"])
    new_end = (m.planned_end_on + dt.timedelta(days=30)).isoformat()
    assert client.post(reverse("mentoring:extend", args=[m.pk]), {"planned_end_on": new_end}).status_code == 302
    response = client.post(reverse("mentoring:end_early", args=[m.pk]), {"reason": ""})
    assert response.status_code == 400
    client.post(reverse("mentoring:end_early", args=[m.pk]), {"reason": "新警调任指挥中心"})
    m.refresh_from_db()
    assert m.status == MentorshipStatus.ENDED_EARLY and m.end_reason == "新警调任指挥中心"
    page = client.get(reverse("mentoring:mentorship", args=[m.pk])).content.decode()
    assert "新警调任指挥中心" in page and "填写带教记录" not in page


def test_legal_affairs_filters_the_overview_by_unit_and_alerts(world, client, login):
    quiet = MentorshipFactory(recruit=RecruitFactory(name="王安静", unit=UnitFactory(name="西城派出所")))
    ShadowingLogFactory(mentorship=quiet, date=timezone.localdate())
    ShadowingLogFactory(mentorship=world["m"], date=timezone.localdate() - dt.timedelta(days=1), not_responding=True)
    login(world["legal"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "李新警" in page and "王安静" in page and "西城派出所" in page
    page = client.get(reverse("mentoring:home"), {"unit": quiet.recruit.unit_id}).content.decode()
    assert "王安静" in page and "李新警" not in page
    page = client.get(reverse("mentoring:home"), {"alerts": "1"}).content.decode()
    assert "李新警" in page and "王安静" not in page


def test_a_brigade_head_sees_and_manages_recruits_of_its_squads(client, login):
    brigade = UnitFactory(name="刑侦大队")
    squad = UnitFactory(name="刑侦大队重案中队", parent=brigade)
    m = MentorshipFactory(recruit=RecruitFactory(unit=squad, name="钱新警"), mentor=MentorFactory(unit=squad))
    elsewhere = MentorshipFactory(recruit=RecruitFactory(name="吴新警"))
    RecruitFactory(unit=squad, name="郑新警")  # waiting for a mentor

    login(OfficerFactory(unit=brigade, tier=Tier.MID_LEVEL))
    overview = client.get(reverse("mentoring:home")).content.decode()
    assert "钱新警" in overview and "吴新警" not in overview
    assert client.get(reverse("mentoring:mentorship", args=[m.pk])).status_code == 200
    assert client.get(reverse("mentoring:extend", args=[m.pk])).status_code == 200
    assert client.get(reverse("mentoring:mentorship", args=[elsewhere.pk])).status_code == 404
    assert "郑新警" in client.get(reverse("mentoring:assign")).content.decode()

    login(OfficerFactory(unit=squad, tier=Tier.MID_LEVEL))  # the squad's own head still sees it
    assert client.get(reverse("mentoring:mentorship", args=[m.pk])).status_code == 200
    login(OfficerFactory(unit=UnitFactory(name="交警大队"), tier=Tier.MID_LEVEL))
    assert client.get(reverse("mentoring:mentorship", args=[m.pk])).status_code == 404


def test_the_mentor_withdraws_a_sign_off_from_the_progress_page(world, client, login):
    m, competency = world["m"], world["competency"]
    services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)
    login(m.mentor)
    url = reverse("mentoring:mentorship", args=[m.pk])
    assert "撤回签字" in client.get(url).content.decode()

    refused = client.post(reverse("mentoring:sign_off_withdraw", args=[m.pk, competency.pk]), {"reason": ""}, follow=True)
    assert "请填写原因" in refused.content.decode()
    page = client.post(
        reverse("mentoring:sign_off_withdraw", args=[m.pk, competency.pk]), {"reason": "接警登记仍有遗漏"}, follow=True
    ).content.decode()
    assert "已撤回" in page and "接警登记仍有遗漏" in page and "签字撤回与退回" in page

    login(world["legal"])  # the legal affairs unit reads why
    assert "接警登记仍有遗漏" in client.get(url).content.decode()


def test_a_submitted_log_is_not_brought_back_by_a_late_autosave(world, client, login):
    m = world["m"]
    login(m.mentor)
    url = reverse("mentoring:log_create", args=[m.pk])
    token = client.get(url).context["form"].initial["form_token"]
    data = log_post(world["competency"], form_token=token)
    client.post(reverse("mentoring:log_draft", args=[m.pk]), data)  # autosave while typing
    first = client.post(url, data)

    log = ShadowingLog.objects.latest("id")
    assert first["Location"] == reverse("mentoring:log", args=[log.pk])
    assert not LogDraft.objects.filter(mentorship=m).exists()

    late = client.post(reverse("mentoring:log_draft", args=[m.pk]), data)  # the page's last autosave, as it unloads
    assert late.json()["submitted"] is True
    assert not LogDraft.objects.filter(mentorship=m).exists()
    assert "已恢复" not in client.get(url).content.decode()

    again = client.post(url, data)  # a double tap: the same log, not a second one
    assert again["Location"] == reverse("mentoring:log", args=[log.pk])
    assert ShadowingLog.objects.filter(mentorship=m).count() == 2  # the fixture's log and this one


def test_overlapping_shifts_are_refused_with_the_other_log_named(world, client, login):
    m = world["m"]
    login(m.mentor)
    url = reverse("mentoring:log_create", args=[m.pk])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    night = log_post(world["competency"], date=yesterday, start_time="20:00", end_time="08:00")
    assert client.post(url, night).status_code == 302
    morning = log_post(world["competency"], start_time="07:00", end_time="12:00")  # overlaps the night shift's end
    page = client.post(url, morning)
    assert page.status_code == 400
    assert "时间重叠" in page.content.decode() and "20:00" in page.content.decode()
    assert client.post(url, log_post(world["competency"], start_time="08:00", end_time="12:00")).status_code == 302

    log = ShadowingLog.objects.latest("id")  # a correction does not collide with itself
    edit = client.post(reverse("mentoring:log_edit", args=[log.pk]), log_post(world["competency"], start_time="08:00", end_time="12:30"))
    assert edit.status_code == 302


def test_a_case_number_without_a_kind_is_not_dropped(world, client, login):
    login(world["m"].mentor)
    url = reverse("mentoring:log_create", args=[world["m"].pk])
    page = client.post(url, log_post(world["competency"], activity_0_kind="", activity_0_case_number="A330784"))
    html = page.content.decode()
    assert page.status_code == 400 and "请选择警情或案件的类型" in html and "A330784" in html


def test_assigning_with_the_end_before_the_start_says_so_in_chinese(world, client, login):
    login(world["legal"])
    recruit = RecruitFactory(name="钱新警")
    response = client.post(reverse("mentoring:assign"), {
        "recruit": recruit.pk, "mentor": world["other_mentor"].pk,
        "started_on": "2026-11-20", "planned_end_on": "2026-11-01",
    })
    assert response.status_code == 400
    assert "计划结束日期须晚于开始日期" in response.content.decode()


def test_a_promoted_recruit_still_finds_their_shadowing_record(world, client, login):
    m = world["m"]
    services.mentorship_end_early(mentorship=m, by=world["legal"], reason="提前转正")
    m.recruit.tier = Tier.OFFICER
    m.recruit.save()
    login(m.recruit)
    assert "跟班培训" in client.get("/").content.decode()
    home = client.get(reverse("mentoring:home"))
    assert home.status_code == 200 and "显示已结束的" in home.content.decode()
    assert "李新警" in client.get(reverse("mentoring:home"), {"status": "all"}).content.decode()


def test_the_legal_affairs_unit_sees_final_sign_offs_to_deal_with(world, client, login):
    m, competency = world["m"], world["competency"]
    Competency.objects.exclude(pk=competency.pk).update(is_active=False)
    services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)
    services.final_sign_off_propose(mentorship=m, by=m.mentor)
    login(world["legal"])
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "待处理的出师审批" in page and "待审批" in page and "李新警" in page

    services.final_sign_off_approve(mentorship=m, by=world["legal"], unacknowledged_reason="新警已当面确认")
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "已批准，待转为民警" in page and "李新警" in page  # completed, yet still on the to-do list
    login(world["leader"])
    assert "待处理的出师审批" not in client.get(reverse("mentoring:home")).content.decode()
