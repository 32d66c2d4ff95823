"""The demo: rule books for both tracks, each quarter's ranking published, an objection accepted."""

import pytest

from officers import demo as officers_demo
from ranking import demo
from ranking.models import PointEntry, RuleBook, Track
from ranking.services import ledger_compare

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from assessments import demo as assessments_demo
    from lessons import demo as lessons_demo
    from mentoring import demo as mentoring_demo

    officers_demo.seed()
    lessons_demo.seed()
    assessments_demo.seed()
    mentoring_demo.seed()
    demo.seed()
    demo.seed()  # idempotent


def test_the_demo_publishes_both_tracks_with_a_corrected_second_version(seeded):
    from publications.models import Objection, ObjectionStatus
    from publications.selectors import publication_current, publication_versions
    from ranking.models import Ranking

    assert set(RuleBook.objects.values_list("track", flat=True)) == {Track.MID_LEVEL, Track.OFFICER}
    period = demo.demo_period()
    mid = Ranking.objects.get(track=Track.MID_LEVEL, period=period.code)
    officers = Ranking.objects.get(track=Track.OFFICER, period=period.code)
    assert publication_current(subject=mid, kind="ranking").version == 1
    versions = publication_versions(subject=officers, kind="ranking")
    assert sorted(v.version for v in versions) == [1, 2]
    objection = Objection.objects.get(officer__police_number="600001")
    assert objection.status == ObjectionStatus.ACCEPTED
    current = publication_current(subject=officers, kind="ranking")
    first = next(v for v in versions if v.version == 1)
    before = first.row_of(objection.officer_id)
    after = current.row_of(objection.officer_id)
    assert float(after["points"]) == float(before["points"]) + 6
    assert current.changes, "the second version lists what changed"
    # Built from the demo's own facts: tests, lessons, logs and manual entries.
    kinds = set(PointEntry.objects.values_list("rule__kind", flat=True))
    assert {"quiz_result", "session_attendance", "shadowing_log", "manual"} <= kinds


def test_the_demo_ledger_equals_a_rebuild_from_the_facts(seeded):
    period = demo.demo_period()
    assert ledger_compare(start=period.start, end=period.end).empty
