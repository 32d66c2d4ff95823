import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from officers.models import AuditEvent
from publications.models import BulletinStatus, Objection, ObjectionStatus, Publication
from publications.selectors import publication_current, publication_versions
from publications.services import (
    PublicationError,
    objection_accept,
    objection_file,
    objection_reject,
    objection_window_close,
    publication_publish,
    working_days_after,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def test_publishing_freezes_the_snapshot_as_version_one(subject, facts, reviewer):
    officers, points = facts
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    assert publication.version == 1 and publication.is_current
    assert [r["points"] for r in publication.rows] == [90, 80, 80]
    assert [r["rank"] for r in publication.rows] == [1, 2, 2]
    assert publication.columns[0] == {"key": "rank", "label": "名次", "numeric": True}
    assert publication.published_by == reviewer
    assert publication.document_number == f"永公法〔{timezone.localdate().year}〕1号"
    points[officers[0].pk] = 10  # the facts change afterwards...
    publication.refresh_from_db()
    assert publication.rows[0]["points"] == 90  # ...the published version does not
    assert AuditEvent.objects.filter(action="publication.publish", actor=reviewer).count() == 1


def test_a_new_version_supersedes_the_old_one_and_lists_the_differences(subject, facts, reviewer):
    officers, points = facts
    first = publication_publish(subject=subject, kind="sample", by=reviewer)
    points[officers[2].pk] = 95
    second = publication_publish(subject=subject, kind="sample", by=reviewer)
    first.refresh_from_db()
    assert (second.version, first.superseded_by, first.is_current) == (2, second, False)
    assert second.number == first.number + 1
    changed = {c["officer_id"]: c for c in second.changes}
    assert set(changed) == {o.pk for o in officers}  # 95, 90, 80: every rank moved
    fields = {f["key"]: (f["old"], f["new"]) for f in changed[officers[2].pk]["fields"]}
    assert fields == {"rank": (2, 1), "points": (80, 95)}
    assert publication_current(subject=subject, kind="sample") == second
    assert publication_versions(subject=subject, kind="sample") == [second, first]


def test_an_unchanged_snapshot_is_not_published_again(subject, facts, reviewer):
    publication_publish(subject=subject, kind="sample", by=reviewer)
    with pytest.raises(PublicationError):
        publication_publish(subject=subject, kind="sample", by=reviewer)
    assert Publication.objects.count() == 1


def test_only_those_the_kind_allows_may_publish(subject, facts, officer):
    with pytest.raises(PermissionDenied):
        publication_publish(subject=subject, kind="sample", by=officer)


def test_the_bulletin_is_rendered_after_commit(subject, facts, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    publication.refresh_from_db()
    assert publication.bulletin_status == BulletinStatus.READY
    assert publication.bulletin.read()[:4] == b"%PDF"


def test_five_working_days_skip_weekends_and_holidays(settings):
    friday = dt.date(2026, 12, 4)
    assert working_days_after(friday, 5) == dt.date(2026, 12, 11)
    settings.PUBLICATION_HOLIDAYS = ["2026-12-07"]
    assert working_days_after(friday, 5) == dt.date(2026, 12, 14)
    settings.PUBLICATION_WORKDAYS = ["2026-12-05"]
    assert working_days_after(friday, 5) == dt.date(2026, 12, 11)


def test_the_window_closes_at_the_end_of_the_fifth_working_day():
    published = dt.datetime(2026, 12, 4, 15, 0, tzinfo=TZ)  # a Friday afternoon
    assert objection_window_close(published) == dt.datetime(2026, 12, 12, 0, 0, tzinfo=TZ)


def test_an_officer_objects_to_their_own_row_within_the_window(subject, facts, reviewer):
    officers, _points = facts
    with time_machine.travel(dt.datetime(2026, 12, 4, 15, 0, tzinfo=TZ), tick=False):
        publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    stranger = OfficerFactory()
    with pytest.raises(PermissionDenied):
        objection_file(publication=publication, officer=stranger, reason="我的分数不对")
    with pytest.raises(PublicationError):
        objection_file(publication=publication, officer=officers[1], reason="   ")
    late = dt.datetime(2026, 12, 12, 0, 0, tzinfo=TZ)
    with pytest.raises(PublicationError, match="2026-12-11"):
        objection_file(publication=publication, officer=officers[1], reason="漏记了比武加分", now=late)
    objection = objection_file(publication=publication, officer=officers[1], reason="漏记了比武加分",
                               now=late - dt.timedelta(minutes=1))
    assert objection.status == ObjectionStatus.OPEN
    with pytest.raises(PublicationError):
        objection_file(publication=publication, officer=officers[1], reason="再提一次",
                       now=late - dt.timedelta(minutes=1))


def test_accepting_then_publishing_resolves_the_objection(subject, facts, reviewer):
    officers, points = facts
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection = objection_file(publication=publication, officer=officers[1], reason="漏记了比武加分")
    with pytest.raises(PermissionDenied):
        objection_accept(objection=objection, by=officers[0], response="同意")
    with pytest.raises(PublicationError):
        objection_accept(objection=objection, by=reviewer, response="")
    objection_accept(objection=objection, by=reviewer, response="经核实，补记比武加分。")
    with pytest.raises(PublicationError):
        objection_reject(objection=objection, by=reviewer, response="不予采纳")
    points[officers[1].pk] = 100
    second = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection.refresh_from_db()
    assert (objection.status, objection.resolved_in) == (ObjectionStatus.ACCEPTED, second)
    assert AuditEvent.objects.filter(action="publication.objection_accept").count() == 1


def test_rejecting_needs_a_reason(subject, facts, reviewer):
    officers, _points = facts
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection = objection_file(publication=publication, officer=officers[0], reason="名次有误")
    objection_reject(objection=objection, by=reviewer, response="经核实，积分计算无误。")
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.status == ObjectionStatus.REJECTED and objection.decided_by == reviewer
    # Decided: the officer may object again while the window is open.
    objection_file(publication=publication, officer=officers[0], reason="补充材料")


def test_a_kind_may_set_its_own_window_in_working_days(subject, facts, reviewer):
    with time_machine.travel(dt.datetime(2026, 12, 4, 15, 0, tzinfo=TZ), tick=False):  # a Friday
        publication = publication_publish(subject=subject, kind="sample", by=reviewer, objection_days=3)
    assert publication.objections_last_day == dt.date(2026, 12, 9)


def test_an_accepted_objection_is_corrected_only_by_a_version_that_changes_its_entry(subject, facts, reviewer):
    """A new version issued for someone else's correction does not tell the objector theirs was made."""
    officers, points = facts
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection = objection_file(publication=publication, officer=officers[1], reason="漏记了比武加分")
    objection_accept(objection=objection, by=reviewer, response="经核实，补记比武加分。")
    points[officers[2].pk] = 95  # officers[1] drops from 2nd to 3rd: a rank moved, the entry not corrected
    second = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection.refresh_from_db()
    moved = {c["officer_id"]: [f["key"] for f in c["fields"]] for c in second.changes}
    assert moved[officers[1].pk] == ["rank"] and objection.resolved_in is None
    points[officers[1].pk] = 100
    third = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection.refresh_from_db()
    assert objection.resolved_in == third
