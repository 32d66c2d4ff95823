import factory
from django.contrib.auth.models import Group

from officers.models import Officer, Unit
from officers.roles import Tier, UnitKind

TEST_PASSWORD = "Correct-Horse-42"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试{n}派出所")
    kind = UnitKind.POLICE_STATION


class LegalAffairsUnitFactory(UnitFactory):
    name = "法制大队"
    kind = UnitKind.LEGAL_AFFAIRS


class OfficerFactory(factory.django.DjangoModelFactory):
    """An active officer with the password TEST_PASSWORD; `roles=[...]` adds role groups."""

    class Meta:
        model = Officer
        skip_postgeneration_save = True

    police_number = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Faker("name", locale="zh_CN")
    unit = factory.SubFactory(UnitFactory)
    tier = Tier.OFFICER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in extracted])
            self.__dict__.pop("role_codes", None)
