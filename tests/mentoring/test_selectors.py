import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring import selectors, services
from mentoring.models import Mentorship, MentorshipStatus
from mentoring.selectors import Capacity
from mentoring.services import LogEntry, RatingEntry
from officers.roles import Role, Tier
from tests.factories.mentoring import (
    CompetencyFactory,
    LogRatingFactory,
    MentorshipFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def rated(mentorship, competency, days_ago, rating, **kwargs):
    log = ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=days_ago), **kwargs)
    LogRatingFactory(log=log, competency=competency, rating=rating, comment="说明" if rating < 3 else "")
    return log


def kinds(mentorship):
    return [a.kind for a in selectors.alerts_for_mentorship(Mentorship.objects.get(pk=mentorship.pk))]


def test_no_log_for_seven_days_raises_an_alert():
    m = MentorshipFactory(started_on=timezone.localdate() - dt.timedelta(days=20))
    rated(m, CompetencyFactory(), 6, 4)
    assert kinds(m) == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert kinds(m) == ["silent"]


def test_a_new_mentorship_without_logs_alerts_a_week_after_its_start():
    m = MentorshipFactory(started_on=timezone.localdate() - dt.timedelta(days=3))
    assert kinds(m) == []
    m2 = MentorshipFactory(started_on=timezone.localdate() - dt.timedelta(days=7))
    assert kinds(m2) == ["silent"]


def test_below_4_three_times_running_raises_an_alert_and_a_4_breaks_the_run():
    m, competency, other = MentorshipFactory(), CompetencyFactory(name="询问讯问与笔录制作"), CompetencyFactory()
    rated(m, competency, 5, 3)
    rated(m, competency, 3, 3)
    rated(m, other, 2, 3)  # (a single 1 or 2 raises its own "very low" alert: ratings of 3 here)
    assert kinds(m) == []
    rated(m, competency, 1, 3)
    alerts = selectors.alerts_for_mentorship(m)
    assert [a.kind for a in alerts] == ["low"] and "询问讯问与笔录制作" in str(alerts[0].message)
    rated(m, competency, 0, 4)
    assert kinds(m) == []


def test_not_responding_flag_raises_an_alert_for_two_weeks():
    m = MentorshipFactory()
    rated(m, CompetencyFactory(), 1, 4, not_responding=True)
    assert kinds(m) == ["not_responding"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=14)):
        assert "not_responding" not in kinds(m)


def test_ended_mentorships_raise_no_alerts():
    m = MentorshipFactory(
        status=MentorshipStatus.ENDED_EARLY, end_reason="调岗", started_on=timezone.localdate() - dt.timedelta(days=60)
    )
    assert kinds(m) == []


def test_progress_counts_hours_latest_trend_and_sign_offs():
    m = MentorshipFactory()
    a, b = CompetencyFactory(), CompetencyFactory()
    for days_ago, rating in [(9, 2), (7, 3), (5, 3), (3, 5), (2, 5), (1, 6)]:
        rated(m, a, days_ago, rating)
    log = ShadowingLogFactory(mentorship=m, date=timezone.localdate(), duration_minutes=60, is_simulation=True)
    LogRatingFactory(log=log, competency=b, rating=None)
    services.competency_sign_off(mentorship=m, competency=a, by=m.mentor)
    progress = selectors.mentorship_progress(mentorship=m)
    assert (progress.shift_count, progress.minutes, progress.simulation_count) == (7, 6 * 540 + 60, 1)
    row_a, row_b = progress.competencies
    assert (row_a.practised, row_a.latest, row_a.trend, bool(row_a.signoff)) == (6, 6, "up", True)
    assert (row_b.practised, row_b.latest, row_b.trend, row_b.signoff) == (1, None, "", None)
    assert progress.signed_count == 1 and not progress.all_signed
    assert len(progress.shift_averages) == 6


def test_capacities_follow_who_the_officer_is():
    m = MentorshipFactory()
    legal = OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])
    leader = OfficerFactory(unit=m.recruit.unit, tier=Tier.MID_LEVEL)
    other_leader = OfficerFactory(tier=Tier.MID_LEVEL)
    colleague = OfficerFactory(unit=m.recruit.unit)
    assert selectors.mentorship_capacities(legal, m) == {Capacity.REVIEWER}
    assert selectors.mentorship_capacities(leader, m) == {Capacity.LEADER}
    assert selectors.mentorship_capacities(m.mentor, m) == {Capacity.MENTOR}
    assert selectors.mentorship_capacities(m.recruit, m) == {Capacity.RECRUIT}
    assert selectors.mentorship_capacities(other_leader, m) == frozenset()
    assert selectors.mentorship_capacities(colleague, m) == frozenset()
    assert list(selectors.visible_mentorships(colleague)) == []
    assert list(selectors.visible_mentorships(leader)) == [m]


def _count_rows_queries(n):
    Mentorship.objects.all().delete()
    competency = CompetencyFactory()
    for _ in range(n):
        m = MentorshipFactory()
        rated(m, competency, 1, 3)
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.mentorship_rows(Mentorship.objects.all())
    assert len(rows) == n
    return len(ctx.captured_queries)


def test_overview_rows_take_a_constant_number_of_queries():
    # The sign-off flags and the single-low-rating alert take two queries more, still constant.
    assert _count_rows_queries(2) == _count_rows_queries(12) <= 7


def test_progress_takes_a_constant_number_of_queries():
    m = MentorshipFactory()
    competencies = [CompetencyFactory() for _ in range(5)]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.mentorship_progress(mentorship=m)
        return len(ctx.captured_queries)

    services.shadowing_log_submit(
        mentorship=m, author=m.mentor,
        entry=LogEntry(date=timezone.localdate(), start_time=dt.time(8), end_time=dt.time(17), best="b", worst="w",
                       next_plan="p", ratings={c.pk: RatingEntry(4) for c in competencies}),
    )
    few = count()
    for days in range(1, 15):
        log = ShadowingLogFactory(mentorship=m, date=timezone.localdate() - dt.timedelta(days=days))
        for c in competencies:
            LogRatingFactory(log=log, competency=c, rating=5)
    assert count() == few <= 4
