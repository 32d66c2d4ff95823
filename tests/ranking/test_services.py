"""The ledger: idempotent posting, reversals, versions and effective dates, manual entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from lessons.models import Attendance
from mentoring.models import LogStatus
from officers.roles import Tier
from ranking.models import ManualStatus, PointEntry, RuleBookVersion, VersionStatus
from ranking.services import (
    ledger_compare,
    manual_entry_create,
    manual_entry_decide,
    points_post,
    version_bring_into_force,
    version_copy,
    version_is_locked,
)
from tests.factories.lessons import TrainingSessionFactory
from tests.factories.mentoring import MentorshipFactory, ShadowingLogFactory
from tests.factories.officers import OfficerFactory
from tests.factories.ranking import (
    ManualEntryFactory,
    PointRuleFactory,
    RuleBookVersionFactory,
)
from tests.ranking.conftest import at, published_quiz, sit

pytestmark = pytest.mark.django_db


def live(officer, **filters):
    return PointEntry.objects.filter(officer=officer, reverses__isnull=True, reversed_by__isnull=True, **filters)


def total(officer) -> Decimal:
    return sum((e.points for e in PointEntry.objects.filter(officer=officer)), Decimal(0))


def test_posting_twice_counts_each_fact_once(book, station):
    officer = OfficerFactory(unit=station)
    ManualEntryFactory(officer=officer, points=5)
    ManualEntryFactory(officer=officer, points=3, rule_code="award")
    first = points_post()
    second = points_post()
    assert first.posted == 2
    assert second.posted == 0 and second.reversed == 0 and second.unchanged == 2
    assert PointEntry.objects.count() == 2
    assert total(officer) == 8


def test_the_database_refuses_the_same_fact_twice_under_one_rule(book, station):
    officer = OfficerFactory(unit=station)
    ManualEntryFactory(officer=officer)
    points_post()
    entry = PointEntry.objects.get()
    duplicate = PointEntry(
        officer=officer, track=entry.track, rule_version=entry.rule_version, rule=entry.rule,
        fact_key=entry.fact_key, generation=entry.generation, points=entry.points, occurred_on=entry.occurred_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_ledger_entries_are_never_edited_or_deleted(book, station):
    ManualEntryFactory(officer=OfficerFactory(unit=station))
    points_post()
    entry = PointEntry.objects.get()
    entry.points = Decimal(99)
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_quiz_results_score_by_band_and_absentees_lose_points(book, reviewer, station):
    good, fair, absent = (OfficerFactory(unit=station) for _ in range(3))
    quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer, audience_tiers=[Tier.OFFICER])
    sit(quiz, good, 95)
    sit(quiz, fair, 70)
    points_post()
    assert PointEntry.objects.count() == 0, "an unpublished test counts nothing"
    quiz._publish()
    points_post()
    assert total(good) == 10 and total(fair) == 4 and total(absent) == -5
    entry = live(absent).get()
    assert entry.occurred_on == dt.date(2026, 8, 20)
    assert "缺考" in entry.note or "absent" in entry.note


def test_a_regraded_sitting_posts_a_reversal_and_a_new_entry(book, reviewer, station):
    officer = OfficerFactory(unit=station)
    quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer)
    sitting = sit(quiz, officer, 70)
    quiz._publish()
    points_post()
    original = live(officer).get()
    assert original.points == 4 and original.generation == 1
    sitting.score = Decimal(85)
    sitting.save()
    result = points_post()
    assert result.reversed == 1 and result.posted == 1
    entries = list(PointEntry.objects.filter(officer=officer).order_by("id"))
    assert [(e.points, e.generation, e.reverses_id) for e in entries] == [
        (Decimal(4), 1, None), (Decimal(-4), 1, original.pk), (Decimal(8), 2, None),
    ]
    assert PointEntry.objects.get(pk=original.pk).points == 4, "the original entry is never edited"
    assert total(officer) == 8


def test_a_removed_fact_posts_only_a_reversal(book, station):
    officer = OfficerFactory(unit=station)
    session = TrainingSessionFactory(starts_at=at(dt.date(2026, 8, 5)), ends_at=at(dt.date(2026, 8, 5), 12))
    attendance = Attendance.objects.create(session=session, officer=officer, method="list")
    points_post()
    assert total(officer) == 2
    attendance.delete()
    result = points_post()
    assert result.reversed == 1 and result.posted == 0
    assert total(officer) == 0 and not live(officer).exists()


def test_shadowing_logs_count_up_to_the_monthly_cap(book, station):
    mentorship = MentorshipFactory(mentor__unit=station, recruit__unit=station, started_on=dt.date(2026, 7, 1),
                                   planned_end_on=dt.date(2026, 10, 1))
    for day in (3, 5, 8, 12, 20):
        ShadowingLogFactory(mentorship=mentorship, date=dt.date(2026, 8, day), status=LogStatus.ACKNOWLEDGED)
    ShadowingLogFactory(mentorship=mentorship, date=dt.date(2026, 8, 2))  # not acknowledged: nothing
    ShadowingLogFactory(mentorship=mentorship, date=dt.date(2026, 9, 1), status=LogStatus.ACKNOWLEDGED)
    points_post()
    mentor = mentorship.mentor
    august = live(mentor, occurred_on__month=8)
    assert august.count() == 3 and sum(e.points for e in august) == 3, "cap of 3 points a month"
    assert list(august.order_by("occurred_on").values_list("occurred_on__day", flat=True)) == [3, 5, 8]
    assert live(mentor, occurred_on__month=9).count() == 1


def test_sign_off_on_time_late_and_returned(book, station, reviewer):
    from django.utils import timezone

    on_time = MentorshipFactory(mentor__unit=station, recruit__unit=station, started_on=dt.date(2026, 5, 1),
                                planned_end_on=dt.date(2026, 8, 1))
    late = MentorshipFactory(mentor__unit=station, recruit__unit=station, started_on=dt.date(2026, 5, 1),
                             planned_end_on=dt.date(2026, 7, 1))
    for mentorship in (on_time, late):
        mentorship.final_approved_at = at(dt.date(2026, 7, 20))
        mentorship.final_approved_by = reviewer
        mentorship.status = "completed"
        mentorship.save()
    points_post()
    assert total(on_time.mentor) == 5 and total(on_time.recruit) == 3
    assert total(late.mentor) == 2
    # The legal affairs unit returns a sign-off: its points are reversed.
    on_time.final_approved_at, on_time.status = None, "active"
    on_time.save()
    points_post()
    assert total(on_time.mentor) == 0 and total(on_time.recruit) == 0
    assert timezone.now()


def test_each_fact_counts_under_the_version_ranking_its_periods(book, reviewer, station):
    """v2 from 1 July: H1 facts are posted under v1 (for Q1, Q2) and under v2 (for the year)."""
    officer = OfficerFactory(unit=station)
    v1 = book["version"]
    v2 = version_copy(version=v1, effective_from=dt.date(2026, 7, 1))
    v2.rules.filter(code="award").update(params={"min_points": "1", "max_points": "4"})  # awards capped at 4 per entry
    version_bring_into_force(version=v2, by=reviewer)
    ManualEntryFactory(officer=officer, points=6, occurred_on=dt.date(2026, 3, 10))
    ManualEntryFactory(officer=officer, points=6, occurred_on=dt.date(2026, 8, 10), reason="二等奖")
    points_post()
    assert sorted(live(officer, rule_version=v1).values_list("points", flat=True)) == [6]
    assert sorted(live(officer, rule_version=v2).values_list("points", flat=True)) == [4, 4]


def test_bringing_a_version_into_force_reverses_the_old_one_beyond_its_date(book, reviewer, station):
    officer = OfficerFactory(unit=station)
    ManualEntryFactory(officer=officer, points=6, occurred_on=dt.date(2026, 8, 10))
    points_post()
    v1 = book["version"]
    assert live(officer, rule_version=v1).count() == 1
    v2 = version_copy(version=v1, effective_from=dt.date(2026, 7, 1))
    version_bring_into_force(version=v2, by=reviewer)
    points_post()
    assert live(officer, rule_version=v1).count() == 0
    assert live(officer, rule_version=v2).count() == 1


def test_a_version_in_force_is_locked_and_copies_keep_the_rules(book, reviewer):
    v1 = book["version"]
    assert version_is_locked(v1)
    copy = version_copy(version=v1)
    assert copy.status == VersionStatus.DRAFT and not version_is_locked(copy)
    assert copy.number == v1.number + 1
    assert sorted(copy.rules.values_list("code", flat=True)) == sorted(v1.rules.values_list("code", flat=True))


def test_only_reviewers_bring_versions_into_force_and_not_twice(book, reviewer):
    draft = version_copy(version=book["version"], effective_from=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError):
        version_bring_into_force(version=draft, by=OfficerFactory())
    version_bring_into_force(version=draft, by=reviewer)
    draft.refresh_from_db()
    assert draft.approved_by == reviewer and draft.approved_at is not None
    with pytest.raises(ValidationError):
        version_bring_into_force(version=draft, by=reviewer)


def test_a_draft_never_posts(reviewer, station):
    draft = RuleBookVersionFactory(status=VersionStatus.DRAFT, approved_by=None, approved_at=None)
    PointRuleFactory(version=draft, code="award")
    ManualEntryFactory(officer=OfficerFactory(unit=station))
    points_post()
    assert PointEntry.objects.count() == 0
    assert RuleBookVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_manual_entries_follow_the_two_person_rule(book, reviewer, second_reviewer, station):
    officer = OfficerFactory(unit=station)
    entry = manual_entry_create(
        officer=officer, rule_code="award", points=Decimal(5), occurred_on=dt.date(2026, 8, 1),
        reason="执法技能比武三等奖", evidence=ContentFile(b"%PDF-1.4", name="证书.pdf"), by=reviewer,
    )
    points_post()
    assert total(officer) == 0, "pending entries do not count"
    with pytest.raises(ValidationError, match="另一名|Another reviewer"):
        manual_entry_decide(entry=entry, by=reviewer, approve=True)
    manual_entry_decide(entry=entry, by=second_reviewer, approve=True, note="属实")
    points_post()
    assert total(officer) == 5
    entry.refresh_from_db()
    assert entry.status == ManualStatus.APPROVED and entry.decided_by == second_reviewer


def test_the_database_enforces_the_two_person_rule(reviewer, station):
    with pytest.raises(IntegrityError), transaction.atomic():
        ManualEntryFactory(officer=OfficerFactory(unit=station), entered_by=reviewer, decided_by=reviewer)


@pytest.mark.parametrize("points, reason, name, field", [
    (Decimal(0), "理由", "a.pdf", "points"),
    (Decimal(50), "理由", "a.pdf", "points"),
    (Decimal(5), "  ", "a.pdf", "reason"),
    (Decimal(5), "理由", "a.exe", "evidence"),
])
def test_manual_entries_refuse_bad_input_in_chinese(book, reviewer, station, points, reason, name, field):
    with pytest.raises(ValidationError) as error:
        manual_entry_create(officer=OfficerFactory(unit=station), rule_code="award", points=points,
                            occurred_on=dt.date(2026, 8, 1), reason=reason,
                            evidence=ContentFile(b"x", name=name), by=reviewer)
    assert field in error.value.message_dict


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1899, 12, 31)])
def test_a_manual_entry_dated_in_an_impossible_past_is_refused_in_chinese(book, reviewer, station, day):
    with pytest.raises(ValidationError) as error:
        manual_entry_create(officer=OfficerFactory(unit=station), rule_code="award", points=Decimal(5),
                            occurred_on=day, reason="理由", evidence=ContentFile(b"x", name="a.pdf"), by=reviewer)
    assert "早于" in error.value.message_dict["occurred_on"][0]


def test_manual_entries_need_a_reviewer(book, station):
    with pytest.raises(ValidationError):
        manual_entry_create(officer=OfficerFactory(unit=station), rule_code="award", points=Decimal(5),
                            occurred_on=dt.date(2026, 8, 1), reason="理由",
                            evidence=ContentFile(b"x", name="a.pdf"), by=OfficerFactory())


def test_posting_follows_fact_changes_through_the_task_worker(book, station, django_capture_on_commit_callbacks):
    """Saving a fact enqueues posting after commit (the test backend runs tasks at once)."""
    officer = OfficerFactory(unit=station)
    session = TrainingSessionFactory(starts_at=at(dt.date(2026, 8, 5)), ends_at=at(dt.date(2026, 8, 5), 12))
    with django_capture_on_commit_callbacks(execute=True):
        attendance = Attendance.objects.create(session=session, officer=officer, method="list")
    assert total(officer) == 2
    with django_capture_on_commit_callbacks(execute=True):
        attendance.delete()
    assert total(officer) == 0
    assert ledger_compare(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)).empty


def test_an_officer_moving_to_another_track_takes_their_points_off_the_old_one(book, station, django_capture_on_commit_callbacks):
    officer = OfficerFactory(unit=station)
    ManualEntryFactory(officer=officer, points=5)
    points_post()
    assert total(officer) == 5
    with django_capture_on_commit_callbacks(execute=True):
        officer.tier = Tier.MID_LEVEL  # promoted to 中层: ranked on the mid-level track from now on
        officer.save()
    assert total(officer) == 0 and PointEntry.objects.filter(officer=officer, reverses__isnull=False).count() == 1


def test_a_log_in_does_not_repost_anything(book, station, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import update_last_login

    officer = OfficerFactory(unit=station)
    with django_capture_on_commit_callbacks() as callbacks:
        update_last_login(sender=officer.__class__, user=officer)  # what a log-in saves
    assert callbacks == []
