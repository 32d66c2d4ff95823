"""Rule books, versions, rules and manual entries for the ranking tests."""

import datetime as dt

import factory
from django.core.files.base import ContentFile

from ranking.models import (
    ManualEntry,
    ManualStatus,
    PointRule,
    RuleBook,
    RuleBookVersion,
    Track,
    VersionStatus,
)
from tests.factories.officers import OfficerFactory


class RuleBookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleBook
        django_get_or_create = ["track"]

    track = Track.OFFICER
    name = factory.LazyAttribute(
        lambda o: "中层干部执法质效积分排名办法" if o.track == Track.MID_LEVEL else "民警执法质效积分排名办法"
    )


class RuleBookVersionFactory(factory.django.DjangoModelFactory):
    """A version in force from 2026-01-01, approved by a legal affairs reviewer."""

    class Meta:
        model = RuleBookVersion

    rule_book = factory.SubFactory(RuleBookFactory)
    number = factory.Sequence(lambda n: n + 1)
    effective_from = dt.date(2026, 1, 1)
    status = VersionStatus.IN_FORCE
    approved_by = factory.SubFactory(OfficerFactory)
    approved_at = factory.LazyFunction(lambda: dt.datetime(2025, 12, 20, 9, 0, tzinfo=dt.UTC))


class PointRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointRule

    version = factory.SubFactory(RuleBookVersionFactory)
    code = factory.Sequence(lambda n: f"rule-{n}")
    name = factory.Sequence(lambda n: f"规则{n}")
    kind = "manual"
    params = factory.LazyFunction(dict)
    sort_order = factory.Sequence(lambda n: n)


class ManualEntryFactory(factory.django.DjangoModelFactory):
    """An approved award of 5 points under the rule code "award"."""

    class Meta:
        model = ManualEntry

    officer = factory.SubFactory(OfficerFactory)
    track = Track.OFFICER
    rule_code = "award"
    points = 5
    occurred_on = dt.date(2026, 8, 10)
    reason = "执法技能比武三等奖"
    evidence = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"))
    evidence_name = "evidence.pdf"
    entered_by = factory.SubFactory(OfficerFactory)
    status = ManualStatus.APPROVED
    decided_by = factory.SubFactory(OfficerFactory)
    decided_at = factory.LazyFunction(lambda: dt.datetime(2026, 8, 11, 9, 0, tzinfo=dt.UTC))
