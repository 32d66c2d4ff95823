import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from mentoring.models import Competency, LogRating, Mentorship, ShadowingLog
from officers.roles import Role, Tier
from tests.factories.officers import OfficerFactory, UnitFactory


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"培训项目{n}")
    position = factory.Sequence(lambda n: n)
    guideline_1 = "不可接受"
    guideline_4 = "合格"
    guideline_7 = "优秀"


class MentorFactory(OfficerFactory):
    """An officer holding the mentor role."""

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in (extracted or [Role.MENTOR])])
            self.__dict__.pop("role_codes", None)


class RecruitFactory(OfficerFactory):
    tier = Tier.RECRUIT


class MentorshipFactory(factory.django.DjangoModelFactory):
    """An active mentorship; mentor and recruit of the same station."""

    class Meta:
        model = Mentorship

    recruit = factory.SubFactory(RecruitFactory)
    mentor = factory.SubFactory(MentorFactory, unit=factory.SelfAttribute("..recruit.unit"))
    assigned_by = factory.SubFactory(OfficerFactory, unit=factory.SubFactory(UnitFactory, name="法制大队", kind="legal_affairs"))
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    planned_end_on = factory.LazyAttribute(lambda o: o.started_on + dt.timedelta(days=91))


class ShadowingLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShadowingLog

    mentorship = factory.SubFactory(MentorshipFactory)
    author = factory.SelfAttribute("mentorship.mentor")
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    start_time = dt.time(8, 30)
    end_time = dt.time(17, 30)
    duration_minutes = 540
    best = "询问条理清楚"
    worst = "现场照片不全"
    next_plan = "练习笔录制作"


class LogRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LogRating

    log = factory.SubFactory(ShadowingLogFactory)
    competency = factory.SubFactory(CompetencyFactory)
    rating = 4
