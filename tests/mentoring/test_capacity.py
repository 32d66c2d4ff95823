"""Per-mentor limits in the platform, by police number, in Chinese; the assign page shows
each mentor's load against their limit and does not offer full mentors."""

import pytest
from django.urls import reverse

from mentoring.models import MentorCapacity
from officers.roles import Role, Tier
from tests.factories.mentoring import MentorFactory, MentorshipFactory, RecruitFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal():
    return OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])


def test_a_reviewer_sets_a_limit_by_police_number_and_the_page_shows_each_load(client, login, legal):
    station = UnitFactory(name="东城派出所")
    mentor = MentorFactory(police_number="300001", name="刘师傅", unit=station)
    MentorshipFactory(mentor=mentor, recruit=RecruitFactory(unit=station))
    login(legal)
    url = reverse("mentoring:mentor_limits")
    html = client.get(url).content.decode()
    assert "刘师傅" in html and "300001" in html and "现带1名，上限2名" in html and "（全局默认）" in html

    response = client.post(url, {"police_number": "300001", "max_recruits": "3"})
    assert response.status_code == 302
    assert MentorCapacity.objects.get(mentor=mentor).max_recruits == 3
    html = client.get(url).content.decode()
    assert "刘师傅的带教上限已保存。" in html and "现带1名，上限3名" in html

    # Empty: back to the bureau's default.
    client.post(url, {"police_number": "300001", "max_recruits": ""})
    assert not MentorCapacity.objects.filter(mentor=mentor).exists()


def test_bad_limits_are_refused_in_chinese_keeping_what_was_typed(client, login, legal):
    mentor = MentorFactory(police_number="300002", name="陈师傅")
    for _ in range(2):
        MentorshipFactory(mentor=mentor, recruit=RecruitFactory(unit=mentor.unit))
    RecruitFactory(police_number="400009", name="周新警")
    login(legal)
    url = reverse("mentoring:mentor_limits")
    cases = [
        ({"police_number": "999999", "max_recruits": "2"}, "没有警号为999999的在职民警。"),
        ({"police_number": "300002", "max_recruits": "1"}, "陈师傅目前带教2名新警，上限不能低于这个人数。"),
        ({"police_number": "300002", "max_recruits": "0"}, "上限至少为1。"),
        ({"police_number": "300002", "max_recruits": "两"}, "请输入整数。"),
        ({"police_number": "400009", "max_recruits": "2"}, "周新警没有带教师傅角色。"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        html = response.content.decode()
        assert message in html, message
        assert f'value="{data["police_number"]}"' in html
    assert not MentorCapacity.objects.exists()


def test_only_legal_affairs_reviewers_set_limits(client, login):
    mentor = MentorFactory(police_number="300003")
    login(OfficerFactory(roles=[Role.MENTOR]))
    assert client.post(reverse("mentoring:mentor_limits"), {"police_number": "300003", "max_recruits": "5"}).status_code == 403
    assert not MentorCapacity.objects.filter(mentor=mentor).exists()


def test_the_assign_page_shows_loads_and_does_not_offer_full_mentors_or_recruits(client, login, legal):
    station = UnitFactory(name="西城派出所")
    free = MentorFactory(name="赵师傅", unit=station)
    full = MentorFactory(name="钱师傅", unit=station)
    MentorCapacity.objects.create(mentor=full, max_recruits=1)
    MentorshipFactory(mentor=full, recruit=RecruitFactory(unit=station))
    recruit_with_role = MentorFactory(name="孙新警", unit=station, tier=Tier.RECRUIT)
    login(legal)
    response = client.get(reverse("mentoring:assign"))
    offered = {m.name for m in response.context["form"].fields["mentor"].queryset}
    assert "赵师傅" in offered and "钱师傅" not in offered and "孙新警" not in offered
    html = response.content.decode()
    assert "赵师傅" in html and "现带0名，上限2名" in html
    assert "已达带教上限的师傅（不可选）" in html and "钱师傅" in html and "现带1名，上限1名" in html

    # A full mentor posted by hand is refused, and nothing is created.
    new_recruit = RecruitFactory(unit=station)
    response = client.post(reverse("mentoring:assign"), {
        "recruit": new_recruit.pk, "mentor": full.pk, "started_on": "2026-11-30",
    })
    assert response.status_code == 400
    assert not new_recruit.mentorships_as_recruit.exists()
    assert free.pk and recruit_with_role.pk
