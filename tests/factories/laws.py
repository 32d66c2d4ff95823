"""法律法规库 for tests: laws and their versions."""

import datetime as dt

import factory

from lessons.models import Law, LawVersion


class LawFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Law
        django_get_or_create = ("name",)

    name = "中华人民共和国治安管理处罚法"
    short_name = "治安管理处罚法"


class LawVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LawVersion

    law = factory.SubFactory(LawFactory)
    label = factory.Sequence(lambda n: f"{2000 + n}年修正")
    effective_on = dt.date(2013, 1, 1)


def superseded_pair() -> tuple[LawVersion, LawVersion]:
    """The 2012 text of the 治安管理处罚法, superseded by the 2025 revision."""
    old = LawVersionFactory(label="2012年修正", effective_on=dt.date(2013, 1, 1))
    new = LawVersionFactory(law=old.law, label="2025年修订", effective_on=dt.date(2026, 1, 1))
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    return old, new
