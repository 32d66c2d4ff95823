import pytest
from django.contrib.auth.models import Group

from officers.permissions import is_legal_affairs_reviewer
from officers.roles import Role, Tier
from officers.selectors import led_unit
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory


@pytest.mark.django_db
def test_every_role_has_its_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
def test_role_permissions():
    trainer = OfficerFactory(roles=[Role.TRAINER])
    admin = OfficerFactory(roles=[Role.ADMINISTRATOR])
    plain = OfficerFactory(roles=[Role.LEGAL_OFFICER, Role.MENTOR])
    assert trainer.has_perm("wagtailadmin.access_admin")
    assert not trainer.has_perm("officers.add_officer")
    assert admin.has_perm("officers.add_officer") and admin.has_perm("wagtailadmin.access_admin")
    assert not plain.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "allowed"),
    [([], False), ([Role.MENTOR], False), ([Role.TRAINER], True), ([Role.ADMINISTRATOR], True)],
)
def test_wagtail_admin_is_for_trainers_and_administrators(client, login, roles, allowed):
    login(OfficerFactory(roles=roles))
    response = client.get("/admin/")
    if allowed:
        assert response.status_code == 200
    else:
        # Wagtail sends them to the login page, which (they being signed in) refuses
        # with 403 instead of bouncing them back to the admin for ever.
        for path in ("/admin/", "/admin/pages/", "/admin/officers/import/"):
            final = client.get(path, follow=True)
            assert final.status_code == 403 and len(final.redirect_chain) <= 1, path


@pytest.mark.django_db
def test_administrator_opens_the_officer_list_in_wagtail(client, login):
    OfficerFactory(police_number="200001", name="王法制")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    response = client.get("/admin/users/?q=王法制")
    assert response.status_code == 200
    assert "200001" in response.content.decode()
    assert client.get("/admin/users/new/").status_code == 200


@pytest.mark.django_db
def test_access_helpers():
    member = OfficerFactory(unit=LegalAffairsUnitFactory())
    reviewer = OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])
    admin = OfficerFactory(roles=[Role.ADMINISTRATOR])
    head = OfficerFactory(tier=Tier.MID_LEVEL)
    plain = OfficerFactory()
    # By role, never by the unit: a member of 法制大队 without the role is not a reviewer.
    assert is_legal_affairs_reviewer(reviewer) and is_legal_affairs_reviewer(admin)
    assert not is_legal_affairs_reviewer(member) and not is_legal_affairs_reviewer(plain)
    assert led_unit(head) == head.unit and led_unit(plain) is None


@pytest.mark.django_db
def test_administrator_creates_an_officer_in_wagtail(client, login):
    from officers.models import Officer
    from tests.factories.officers import UnitFactory

    unit = UnitFactory(name="东城派出所")
    trainer_group = Group.objects.get(name=Role.TRAINER)
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    form_page = client.get("/admin/users/new/").content.decode()
    assert "姓名" in form_page and "所队" in form_page and "层级" in form_page
    response = client.post(
        "/admin/users/new/",
        {
            "police_number": "300123",
            "name": "钱七",
            "unit": unit.pk,
            "tier": Tier.OFFICER,
            "password1": "Qz8!long-enough",
            "password2": "Qz8!long-enough",
            "groups": [trainer_group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Officer.objects.get(police_number="300123")
    assert created.name == "钱七" and created.unit == unit and created.role_codes == {Role.TRAINER}
    assert created.check_password("Qz8!long-enough")


@pytest.mark.django_db
def test_the_officer_form_names_every_group_in_chinese(client, login):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="lesson_reviewers")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    html = client.get("/admin/users/new/").content.decode()
    assert "课程审核人（法制大队）" in html and ">lesson_reviewers<" not in html


@pytest.mark.django_db
def test_a_unit_cannot_be_placed_under_itself_or_its_squads():
    from django.core.exceptions import ValidationError

    from tests.factories.officers import UnitFactory

    brigade = UnitFactory(name="刑侦大队")
    squad = UnitFactory(name="刑侦大队重案中队", parent=brigade)
    for parent in (brigade, squad):
        brigade.parent = parent
        with pytest.raises(ValidationError) as error:
            brigade.full_clean()
        assert "不能" in str(error.value)
    brigade.parent = None
    brigade.full_clean()
