"""Standings: ties, caps and floors, versions by effective date, units, breakdowns, trends."""

import datetime as dt
from decimal import Decimal

import pytest

from lessons.models import Attendance
from officers.roles import Tier
from ranking.models import Track, VersionStatus
from ranking.periods import PeriodKind, period_containing, period_parse
from ranking.selectors import (
    officer_breakdown,
    officer_trend,
    standings,
    version_for_period,
)
from ranking.services import points_post, version_bring_into_force, version_copy
from tests.factories.lessons import TrainingSessionFactory
from tests.factories.officers import OfficerFactory, UnitFactory
from tests.factories.ranking import ManualEntryFactory
from tests.ranking.conftest import at, published_quiz, sit

pytestmark = pytest.mark.django_db
Q3 = period_parse("2026Q3")


def award(officer, points, day=dt.date(2026, 8, 10), code="award"):
    return ManualEntryFactory(officer=officer, points=points, occurred_on=day, rule_code=code,
                              reason=f"{code} {points} {day}")


def test_ties_share_a_rank_one_two_two_four(book, station):
    a, b, c, d = (OfficerFactory(unit=station, police_number=f"80000{i}") for i in range(4))
    award(a, 9)
    award(b, 5)
    award(c, 5)
    award(d, 2)
    points_post()
    table = standings(track=Track.OFFICER, period=Q3)
    mine = {r.officer_id: r.rank for r in table.rows}
    assert [mine[o.pk] for o in (a, b, c, d)] == [1, 2, 2, 4]
    assert [r.points for r in table.rows[:4]] == [9, 5, 5, 2]


def test_officers_without_entries_are_ranked_with_the_base_points(book, station):
    nobody = OfficerFactory(unit=station)
    table = standings(track=Track.OFFICER, period=Q3)
    assert table.row_of(nobody.pk).points == 0
    mid = OfficerFactory(unit=station, tier=Tier.MID_LEVEL)
    assert table.row_of(mid.pk) is None, "mid-level officers are on their own track"


def test_rule_caps_and_floors_apply_per_period(book, station):
    officer = OfficerFactory(unit=station)
    for day in (3, 10, 17):  # three sessions of 2 points, the rule's cap is 4 a period
        session = TrainingSessionFactory(starts_at=at(dt.date(2026, 7, day)), ends_at=at(dt.date(2026, 7, day), 12))
        Attendance.objects.create(session=session, officer=officer, method="list")
    award(officer, -8, dt.date(2026, 8, 1), code="fault")
    award(officer, -7, dt.date(2026, 9, 1), code="fault")  # -15, the rule's floor is -10
    points_post()
    assert standings(track=Track.OFFICER, period=Q3).row_of(officer.pk).points == 4 - 10
    data = officer_breakdown(officer=officer, track=Track.OFFICER, period=Q3)
    by_rule = {s.rule_name: (s.raw, s.counted) for s in data.subtotals}
    assert by_rule["参加培训"] == (6, 4) and by_rule["执法过错"] == (-15, -10)
    # A month is a period of its own: July alone stays under the session cap.
    assert standings(track=Track.OFFICER, period=period_parse("2026-07")).row_of(officer.pk).points == 4


def test_version_base_points_cap_and_floor(book, reviewer, station):
    top, low = OfficerFactory(unit=station), OfficerFactory(unit=station)
    award(top, 20)
    award(low, -20, code="fault")
    points_post()
    v2 = version_copy(version=book["version"], effective_from=dt.date(2026, 9, 1))
    v2.base_points, v2.period_cap, v2.period_floor = Decimal(100), Decimal(110), Decimal(95)
    v2.save()
    version_bring_into_force(version=v2, by=reviewer)
    points_post()
    table = standings(track=Track.OFFICER, period=Q3)
    assert table.version == v2
    assert table.row_of(top.pk).points == 110 and table.row_of(low.pk).points == 95


def test_a_period_is_ranked_under_the_version_in_force_at_its_end(book, reviewer):
    v1 = book["version"]
    v2 = version_copy(version=v1, effective_from=dt.date(2026, 7, 1))
    assert version_for_period(track=Track.OFFICER, period=Q3) == v1, "a draft is never used"
    version_bring_into_force(version=v2, by=reviewer)
    assert version_for_period(track=Track.OFFICER, period=period_parse("2026Q2")) == v1
    assert version_for_period(track=Track.OFFICER, period=Q3) == v2
    assert version_for_period(track=Track.OFFICER, period=period_parse("2026")) == v2
    assert version_for_period(track=Track.OFFICER, period=period_parse("2025Q4")) is None
    v2.refresh_from_db()
    assert v2.status == VersionStatus.IN_FORCE


def test_the_unit_table_gives_the_average_with_the_head_count(book):
    big, small = UnitFactory(name="东城派出所"), UnitFactory(name="石柱派出所")
    for points in (10, 0, 2, 0):
        officer = OfficerFactory(unit=big)
        if points:
            award(officer, points)
    award(OfficerFactory(unit=small), 5)
    points_post()
    units = {u.unit: u for u in standings(track=Track.OFFICER, period=Q3).units}
    assert (units["石柱派出所"].head_count, units["石柱派出所"].average, units["石柱派出所"].rank) == (1, 5, 1)
    assert (units["东城派出所"].head_count, units["东城派出所"].average, units["东城派出所"].rank) == (4, 3, 2)


def test_the_breakdown_lists_every_entry_with_its_rule_and_source(book, reviewer, station, django_assert_max_num_queries):
    officer = OfficerFactory(unit=station)
    quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer)
    sitting = sit(quiz, officer, 70)
    quiz._publish()
    entry = award(officer, 6)
    points_post()
    sitting.score = Decimal(95)
    sitting.save()
    points_post()
    with django_assert_max_num_queries(4):
        data = officer_breakdown(officer=officer, track=Track.OFFICER, period=Q3)
    assert data.total == 10 + 6
    notes = [(line.entry.rule.name, line.entry.points, line.source_url) for line in data.lines]
    assert ("法律知识抽测", Decimal(4), f"/assessments/sittings/{sitting.pk}/result/") in notes
    assert ("法律知识抽测", Decimal(-4), f"/assessments/sittings/{sitting.pk}/result/") in notes
    assert ("技能比武获奖", Decimal(6), f"/ranking/manual/{entry.pk}/") in notes
    assert sum(1 for line in data.lines if line.entry.is_reversal) == 1


def test_the_trend_gives_rank_and_points_per_quarter(book, station):
    officer, other = OfficerFactory(unit=station), OfficerFactory(unit=station)
    award(officer, 3, dt.date(2026, 5, 5))
    award(other, 6, dt.date(2026, 5, 6))
    award(officer, 9, dt.date(2026, 8, 5))
    points_post()
    trend = officer_trend(officer=officer, track=Track.OFFICER, count=4, today=dt.date(2026, 9, 30))
    assert [p.period.code for p in trend] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert [(p.rank, p.points) for p in trend] == [(None, None), (1, 0), (2, 3), (1, 9)]


def test_periods_follow_the_rule_books_assessment_year():
    year = period_parse("2026", start_month=11)
    assert (year.start, year.end) == (dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    q1 = period_parse("2026Q1", start_month=11)
    assert (q1.start, q1.end) == (dt.date(2025, 11, 1), dt.date(2026, 1, 31))
    assert period_containing(dt.date(2025, 12, 5), PeriodKind.QUARTER, start_month=11).code == "2026Q1"
    assert period_containing(dt.date(2026, 11, 5), PeriodKind.YEAR, start_month=11).code == "2027"
    assert period_parse("2026-2").code == "2026-02"
    with pytest.raises(Exception, match="2026Q3"):
        period_parse("2026Q5")
