"""The demo bureau: about 30 units and 300 officers, with fixed demo logins."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Officer, Unit
from .roles import Role, Tier, UnitKind

DEMO_PASSWORD = "Yongjing@2024"

STATIONS = [
    "东城派出所", "西城派出所", "南城派出所", "北城派出所", "江南派出所", "石柱派出所",
    "古山派出所", "方岩派出所", "花街派出所", "唐先派出所", "龙山派出所", "西溪派出所",
    "象珠派出所", "舟山派出所", "芝英派出所", "桥下派出所", "经济开发区派出所",
]
BRIGADES = [
    "交警大队", "刑侦大队", "治安大队", "经侦大队", "禁毒大队", "网安大队",
    "巡特警大队", "出入境管理大队",
]
LEGAL_UNIT = "法制大队"
OTHER_UNITS = ["执法办案管理中心", "指挥中心", "警务保障室"]
SQUADS = {"城区中队": "交警大队", "重案中队": "刑侦大队"}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫斌波宇浩凯健俊帆帅旭宁龙林欣佳琳晨阳海峰建国志文博立新亮晓辉鹏飞"


@dataclass(frozen=True)
class DemoLogin:
    police_number: str
    name: str
    unit: str
    tier: str
    roles: tuple[str, ...]
    what: str
    superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("000001", "系统管理员", LEGAL_UNIT, Tier.MID_LEVEL, (Role.ADMINISTRATOR,), "administrator (Wagtail admin, officer import)", True),
    DemoLogin("100001", "陈教官", LEGAL_UNIT, Tier.OFFICER, (Role.TRAINER,), "trainer of the legal affairs unit"),
    DemoLogin("100002", "周审核", LEGAL_UNIT, Tier.MID_LEVEL, (Role.TRAINER, Role.LEGAL_OFFICER, Role.LEGAL_REVIEWER), "legal affairs reviewer, deputy head of the legal affairs unit"),
    DemoLogin("200001", "王法制", "东城派出所", Tier.OFFICER, (Role.LEGAL_OFFICER,), "legal officer of a police station"),
    DemoLogin("300001", "刘师傅", "东城派出所", Tier.OFFICER, (Role.MENTOR,), "mentor"),
    DemoLogin("400001", "李新警", "东城派出所", Tier.RECRUIT, (), "recruit shadowing the demo mentor"),
    DemoLogin("500001", "赵所长", "东城派出所", Tier.MID_LEVEL, (), "mid-level officer, head of a police station"),
    DemoLogin("600001", "孙民警", "西城派出所", Tier.OFFICER, (), "officer"),
]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


@transaction.atomic
def seed(*, stdout=None) -> None:
    """Create (or refresh) the demo units and officers; safe to run again."""
    units = {}
    for name in STATIONS:
        units[name], _ = Unit.objects.update_or_create(name=name, defaults={"kind": UnitKind.POLICE_STATION})
    for name in BRIGADES:
        units[name], _ = Unit.objects.update_or_create(name=name, defaults={"kind": UnitKind.BRIGADE})
    units[LEGAL_UNIT], _ = Unit.objects.update_or_create(name=LEGAL_UNIT, defaults={"kind": UnitKind.LEGAL_AFFAIRS})
    for name in OTHER_UNITS:
        units[name], _ = Unit.objects.update_or_create(name=name, defaults={"kind": UnitKind.OTHER})
    for name, parent in SQUADS.items():
        full = f"{parent}{name}"
        units[full], _ = Unit.objects.update_or_create(
            name=full, defaults={"kind": UnitKind.BRIGADE, "parent": units[parent]}
        )

    password = make_password(DEMO_PASSWORD)  # one hash: 300 PBKDF2 runs would take minutes
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    rng = random.Random(2024)
    today = dt.date(2026, 11, 1)

    for login in DEMO_LOGINS:
        officer, created = Officer.objects.get_or_create(
            police_number=login.police_number,
            defaults={"name": login.name, "unit": units[login.unit], "tier": login.tier, "password": password},
        )
        officer.name, officer.unit, officer.tier = login.name, units[login.unit], login.tier
        officer.is_superuser = officer.is_staff = login.superuser
        officer.is_active = True
        officer.joined_force_on = today - dt.timedelta(days=120 if login.tier == Tier.RECRUIT else 365 * 9)
        officer.save()
        officer.groups.set([groups[r] for r in login.roles])

    # The rest of the bureau: per unit one or two mid-level officers, a legal
    # officer in every station, mentors, recruits and officers.
    unit_names = list(units)
    number = 700000
    plan = []
    for unit_name in unit_names:
        unit = units[unit_name]
        size = 14 if unit.kind == UnitKind.POLICE_STATION else 7
        for i in range(size):
            if i < 2 and not (unit_name == "东城派出所" and i == 0):
                tier, roles = Tier.MID_LEVEL, ()
            elif i == 2 and unit.kind == UnitKind.POLICE_STATION:
                tier, roles = Tier.OFFICER, (Role.LEGAL_OFFICER,)
            elif i in (3, 4) and unit.kind == UnitKind.POLICE_STATION:
                tier, roles = Tier.OFFICER, (Role.MENTOR,)
            elif i in (5,) and unit.kind == UnitKind.POLICE_STATION:
                tier, roles = Tier.RECRUIT, ()
            elif unit.kind == UnitKind.LEGAL_AFFAIRS and i < 5:
                tier, roles = Tier.OFFICER, (Role.TRAINER,)
            else:
                tier, roles = Tier.OFFICER, ()
            number += 1
            plan.append((f"{number:06d}", unit, tier, roles))

    existing = set(Officer.objects.filter(police_number__in=[p[0] for p in plan]).values_list("police_number", flat=True))
    new = []
    for police_number, unit, tier, _roles in plan:
        name = _name(rng)
        joined = today - dt.timedelta(days=rng.randint(60, 300) if tier == Tier.RECRUIT else rng.randint(800, 9000))
        if police_number not in existing:
            new.append(Officer(police_number=police_number, name=name, unit=unit, tier=tier, joined_force_on=joined, password=password))
    Officer.objects.bulk_create(new)
    ids = dict(Officer.objects.filter(police_number__in=[p[0] for p in plan]).values_list("police_number", "id"))
    membership = Officer.groups.through
    membership.objects.filter(officer_id__in=ids.values(), group__name__in=Role.values).delete()
    membership.objects.bulk_create(
        [membership(officer_id=ids[p[0]], group_id=groups[r].id) for p in plan for r in p[3]]
    )
    if stdout:
        stdout.write(f"officers: {Unit.objects.count()} units, {Officer.objects.count()} officers")
