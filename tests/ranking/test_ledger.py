"""Reproducible rebuilds and concurrent posters."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from lessons.models import Attendance, CourseCompletion
from mentoring.models import LogStatus
from officers.roles import Tier
from ranking.models import PointEntry, RuleBook
from ranking.periods import period_parse
from ranking.rule_kinds import Scope
from ranking.services import (
    desired_awards,
    ledger_compare,
    points_post,
    track_officer_ids,
)
from tests.factories.lessons import CoursePageFactory, TrainingSessionFactory
from tests.factories.mentoring import MentorshipFactory, ShadowingLogFactory
from tests.factories.officers import OfficerFactory, UnitFactory
from tests.factories.ranking import ManualEntryFactory
from tests.ranking.conftest import at, published_quiz, sit


def _live_tuples(start, end):
    return sorted(
        (e.officer_id, e.rule_id, e.fact_key, e.points, e.occurred_on, e.fact_type_id, e.fact_id)
        for e in PointEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True,
                                           occurred_on__gte=start, occurred_on__lte=end)
    )


def _rebuilt_tuples(start, end):
    """The ledger a rebuild from today's facts gives, computed without touching the ledger."""
    rows = []
    for book in RuleBook.objects.all():
        eligible = track_officer_ids(book.track)
        for version in book.versions.filter(status="in_force"):
            for (rule_id, key), (_rule, award) in desired_awards(version=version, scope=Scope(start, end, eligible)).items():
                rows.append((award.officer_id, rule_id, key, award.points, award.occurred_on, award.fact_type_id, award.fact_id))
    return sorted(rows)


@pytest.fixture
def demo_like(book, reviewer, django_capture_on_commit_callbacks):
    """Two stations, a published test with a regrade and an absentee, sessions, a required
    course, shadowing logs, a sign-off and manual entries: each fact posted by the task worker
    as it is saved, in the order a quarter would bring them."""
    units = [UnitFactory(name="东城派出所"), UnitFactory(name="西城派出所")]
    with django_capture_on_commit_callbacks(execute=True):
        officers = [OfficerFactory(unit=units[i % 2]) for i in range(10)]
        quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer, audience_tiers=[Tier.OFFICER])
        sittings = [sit(quiz, officer, 50 + 5 * i) for i, officer in enumerate(officers[:8])]
    with django_capture_on_commit_callbacks(execute=True):
        quiz._publish()
    with django_capture_on_commit_callbacks(execute=True):
        sittings[0].score = Decimal(92)  # a key correction regrades a sitting
        sittings[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        session = TrainingSessionFactory(starts_at=at(dt.date(2026, 7, 15)), ends_at=at(dt.date(2026, 7, 15), 12))
        course = CoursePageFactory(is_required=True, due_on=dt.date(2026, 8, 31))
        mentorship = MentorshipFactory(mentor=officers[2], recruit__unit=units[0], started_on=dt.date(2026, 5, 1),
                                       planned_end_on=dt.date(2026, 9, 30))
        for officer in officers[:6]:
            Attendance.objects.create(session=session, officer=officer, method="list")
        for i, officer in enumerate(officers[:5]):
            CourseCompletion.objects.create(officer=officer, course=course, completed_at=at(dt.date(2026, 8, 25) + dt.timedelta(days=3 * i)))
        for day in (1, 4, 9, 16, 23):
            ShadowingLogFactory(mentorship=mentorship, date=dt.date(2026, 7, day), status=LogStatus.ACKNOWLEDGED)
        ManualEntryFactory(officer=officers[3], points=8, occurred_on=dt.date(2026, 9, 2))
        ManualEntryFactory(officer=officers[4], rule_code="fault", points=-6, occurred_on=dt.date(2026, 9, 3))
    with django_capture_on_commit_callbacks(execute=True):
        mentorship.final_approved_at, mentorship.final_approved_by, mentorship.status = at(dt.date(2026, 9, 20)), reviewer, "completed"
        mentorship.save()
    with django_capture_on_commit_callbacks(execute=True):
        Attendance.objects.filter(officer=officers[5]).delete()  # a wrongly ticked attendance taken back
    return officers


@pytest.mark.django_db
def test_rebuilt_ledger_equals_the_posted_one_entry_for_entry(demo_like):
    period = period_parse("2026Q3")
    posted = _live_tuples(period.start, period.end)
    assert len(posted) > 20
    assert PointEntry.objects.filter(reverses__isnull=False).count() >= 2, "the regrade and the withdrawn attendance"
    rebuilt = _rebuilt_tuples(period.start, period.end)
    assert set(posted) ^ set(rebuilt) == set()
    assert posted == rebuilt
    assert ledger_compare(start=period.start, end=period.end).empty
    call_command("rank_rebuild", "--period", "2026Q3", stdout=open("/dev/null", "w"))
    assert _live_tuples(period.start, period.end) == posted, "the rebuild posts nothing on a consistent ledger"


@pytest.mark.django_db
def test_rebuild_repairs_a_ledger_that_missed_a_change(demo_like):
    """A bulk update sends no signal: the rebuild (or the nightly sweep) posts what it missed."""
    period = period_parse("2026Q3")
    Attendance.objects.filter(officer=demo_like[0]).update(officer=demo_like[9])
    diff = ledger_compare(start=period.start, end=period.end)
    assert not diff.empty
    call_command("rank_rebuild", "--period", "2026Q3", stdout=open("/dev/null", "w"))
    assert ledger_compare(start=period.start, end=period.end).empty
    assert _live_tuples(period.start, period.end) == _rebuilt_tuples(period.start, period.end)


@pytest.mark.django_db(transaction=True)
def test_concurrent_posters_never_count_a_fact_twice(book):
    officers = [OfficerFactory(unit=UnitFactory(name="东城派出所")) for _ in range(5)]
    for i, officer in enumerate(officers):
        ManualEntryFactory(officer=officer, points=1 + i, occurred_on=dt.date(2026, 8, 1 + i))
    errors, barrier = [], threading.Barrier(3)

    def poster():
        try:
            barrier.wait()
            points_post()
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert PointEntry.objects.count() == 5
    assert sorted(PointEntry.objects.values_list("points", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_exam_day_queues_no_posting_until_the_results_are_published(book, reviewer, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    """Every start and hand-in of a spot test used to queue a posting task that could post
    nothing (a test counts once published): on exam day the worker spent a core on them."""
    from ranking import signals

    queued = []
    monkeypatch.setattr(signals, "_enqueue", lambda officer_ids, day: queued.append((officer_ids, day)))
    officer = OfficerFactory()
    quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer, audience_tiers=[Tier.OFFICER])
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sitting = sit(quiz, officer, 70)
        sitting.score = Decimal(75)
        sitting.save()
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        quiz._publish()
    assert queued and queued[-1][0] is None  # publishing posts everyone
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sitting.score = Decimal(92)  # a correction after publication is posted for that officer
        sitting.save()
    assert queued == [([officer.pk], dt.date(2026, 8, 20))]
