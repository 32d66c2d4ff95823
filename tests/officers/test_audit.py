"""The audit trail: written where results, evaluations and exports are viewed, read by the
legal affairs reviewers at /accounts/audit/ (issue 8)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentorEvaluation
from officers.models import AuditEvent
from officers.roles import Role
from officers.services import audit_record
from tests.factories.assessments import QuizFactory
from tests.factories.lessons import CoursePageFactory
from tests.factories.mentoring import MentorshipFactory
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/audit/"


@pytest.fixture
def reviewer():
    return OfficerFactory(name="周审核", unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])


def test_only_reviewers_and_administrators_read_the_trail(client, login, reviewer):
    assert client.get(URL).status_code == 302  # to the login page
    for who, status in [
        (reviewer, 200),
        (OfficerFactory(roles=[Role.ADMINISTRATOR]), 200),
        (OfficerFactory(roles=[Role.TRAINER]), 403),
        (OfficerFactory(unit=LegalAffairsUnitFactory()), 403),  # the unit alone gives nothing
        (OfficerFactory(), 403),
    ]:
        login(who)
        assert client.get(URL).status_code == status, who
    login(reviewer)
    assert "审计记录" in client.get("/").content.decode()  # in the navigation


def test_filters_by_officer_action_and_day(client, login, reviewer):
    alice, bob = OfficerFactory(name="张甲", police_number="700001"), OfficerFactory(name="李乙", police_number="700002")
    quiz = QuizFactory(title="第四季度抽测")
    old = audit_record(actor=alice, action="results.export", target=quiz)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))
    audit_record(actor=alice, action="results.view", target=quiz)
    audit_record(actor=bob, action="evaluation.view", detail="评价")
    login(reviewer)
    page = client.get(URL).content.decode()
    assert "3 条记录" in page and "导出了考试成绩" in page and "第四季度抽测" in page
    page = client.get(URL, {"officer": "700002"}).content.decode()
    assert "1 条记录" in page and "李乙" in page and "张甲" not in page
    page = client.get(URL, {"officer": "张", "action": "results.export"}).content.decode()
    assert "1 条记录" in page
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    page = client.get(URL, {"since": since}).content.decode()
    assert "2 条记录" in page


def test_a_reversed_date_range_is_explained_in_chinese(client, login, reviewer):
    login(reviewer)
    response = client.get(URL, {"since": "2026-12-01", "until": "2026-11-01"})
    assert response.status_code == 400
    assert "结束日期早于开始日期" in response.content.decode()
    assert client.get(URL, {"since": "not-a-date"}).status_code == 400


def test_pages_of_fifty_in_a_constant_number_of_queries(client, login, reviewer, django_assert_max_num_queries):
    actor = OfficerFactory()
    AuditEvent.objects.bulk_create([AuditEvent(actor=actor, action="results.view", target_repr=f"测试{i}") for i in range(120)])
    login(reviewer)
    with django_assert_max_num_queries(12):
        page = client.get(URL, {"page": 2}).content.decode()
    assert "第2页，共3页" in page
    assert client.get(URL, {"page": 99}).status_code == 200  # past the end: the last page


def test_viewing_an_evaluation_and_exports_are_recorded(client, login, reviewer):
    mentorship = MentorshipFactory(final_proposed_at=timezone.now())
    MentorEvaluation.objects.create(mentorship=mentorship, teaching=5, availability=5, fairness=5)
    login(reviewer)
    assert client.get(reverse("mentoring:evaluation", args=[mentorship.pk])).status_code == 200
    course = CoursePageFactory()
    assert client.get(reverse("lessons:dashboard_export", args=[course.pk])).status_code == 200
    trainer = OfficerFactory(roles=[Role.TRAINER])
    login(trainer)
    quiz = QuizFactory()
    assert client.get(reverse("assessments:manage_quiz_export", args=[quiz.pk])).status_code == 200
    assert client.get(reverse("assessments:manage_quiz", args=[quiz.pk])).status_code == 200
    recorded = set(AuditEvent.objects.values_list("actor__police_number", "action"))
    assert recorded >= {
        (reviewer.police_number, "evaluation.view"),
        (reviewer.police_number, "dashboard.export"),
        (trainer.police_number, "results.export"),
        (trainer.police_number, "results.view"),
    }


def test_every_action_code_written_in_the_code_has_words_on_the_trail():
    """The trail shows each entry's action in words: a code written somewhere in the
    platform without a label would appear as "ranking.breakdown.view"."""
    import re
    from pathlib import Path

    from officers.audit import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    written = set()
    for app in ("assessments", "lessons", "mentoring", "officers", "publications", "ranking"):
        for source in (root / app).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            if "audit_record(" not in text and "_audit(" not in text:
                continue
            written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', text))
            written |= set(re.findall(r'_audit\([^,]+, "([a-z_]+\.[a-z_.]+)"', text))
    written = {code for code in written if not code.endswith(".")}
    assert written, "no action code found"
    missing = sorted(written - set(ACTION_LABELS))
    assert not missing, f"action codes without words on the audit trail: {missing}"
