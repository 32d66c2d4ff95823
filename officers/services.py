"""Writes for people and organisation: roles, officers, the officer import."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Officer, Unit, police_number_validator
from .roles import Role, Tier
from .sheets import (
    ImportRejected,
    RowError,
    SheetError,
    parse_date,
    read_rows,
    workbook_sheets_bytes,
)

# Column headers of the officer sheet, as the bureau writes them.
COL_POLICE_NUMBER = "警号"
COL_NAME = "姓名"
COL_UNIT = "所队"
COL_TIER = "层级"
COL_ROLES = "角色"
COL_JOINED = "入警日期"
COL_ACTIVE = "在职"
OFFICER_SHEET_HEADER = [
    COL_POLICE_NUMBER, COL_NAME, COL_UNIT, COL_TIER, COL_ROLES, COL_JOINED, COL_ACTIVE,
]
REQUIRED_COLUMNS = [COL_POLICE_NUMBER, COL_NAME, COL_UNIT, COL_TIER]

TIER_WORDS = {
    "新警": Tier.RECRUIT, "民警": Tier.OFFICER, "中层": Tier.MID_LEVEL, "中层干部": Tier.MID_LEVEL,
    **{t.value: t for t in Tier},
}
ROLE_WORDS = {
    "法制员": Role.LEGAL_OFFICER, "法制民警": Role.LEGAL_OFFICER,
    "教官": Role.TRAINER, "授课人": Role.TRAINER,
    "师傅": Role.MENTOR, "带教民警": Role.MENTOR,
    "法制审核员": Role.LEGAL_REVIEWER, "法制审核": Role.LEGAL_REVIEWER,
    "管理员": Role.ADMINISTRATOR, "系统管理员": Role.ADMINISTRATOR,
    **{r.value: r for r in Role},
}
YES_WORDS = {"是", "在职", "yes", "y", "1", "true", "√"}
NO_WORDS = {"否", "离职", "停用", "no", "n", "0", "false", "×"}


def roles_sync(*, using: str = "default") -> None:
    """Create one group per role and grant it what every app's config declares.

    Additive: permissions an administrator granted by hand are kept.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[role].update(perms)
    all_permissions = Permission.objects.using(using).select_related("content_type")
    by_key = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        names = wanted.get(role.value, set())
        perms = list(by_key.values()) if "*" in names else [by_key[n] for n in names if n in by_key]
        if perms:
            group.permissions.add(*perms)


@dataclass(frozen=True)
class OfficerImportResult:
    created: int
    updated: int
    without_password: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated


@dataclass
class _ParsedOfficer:
    row: int
    police_number: str
    name: str
    unit: Unit
    tier: str
    roles: set[str]
    joined_force_on: object
    is_active: bool


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[,，、;；/\s]+", text) if w]


def _parse_row(row, *, units, seen, errors) -> _ParsedOfficer | None:
    values = row.values
    count = len(errors)

    def fail(column, message):
        errors.append(RowError(row.number, column, message))

    number = values.get(COL_POLICE_NUMBER)
    number = str(number).strip() if number is not None else ""
    if not number:
        fail(COL_POLICE_NUMBER, _("The police number is missing."))
    else:
        number = number.zfill(6) if number.isdigit() and len(number) < 6 else number
        try:
            police_number_validator(number)
        except Exception:
            fail(COL_POLICE_NUMBER, _("“%(value)s” is not six digits.") % {"value": number})
        else:
            if number in seen:
                fail(
                    COL_POLICE_NUMBER,
                    _("Duplicate police number %(number)s (also in row %(row)s).")
                    % {"number": number, "row": seen[number]},
                )
            else:
                seen[number] = row.number

    name = str(values.get(COL_NAME) or "").strip()
    if not name:
        fail(COL_NAME, _("The name is missing."))
    elif len(name) > 50:
        fail(COL_NAME, _("The name is longer than 50 characters."))

    unit_name = str(values.get(COL_UNIT) or "").strip()
    unit = units.get(unit_name)
    if not unit_name:
        fail(COL_UNIT, _("The unit is missing."))
    elif unit is None:
        fail(COL_UNIT, _("Unknown unit “%(value)s”.") % {"value": unit_name})

    tier_word = str(values.get(COL_TIER) or "").strip()
    tier = TIER_WORDS.get(tier_word)
    if not tier_word:
        fail(COL_TIER, _("The tier is missing."))
    elif tier is None:
        fail(
            COL_TIER,
            _("Unknown tier “%(value)s” (use 新警, 民警 or 中层).") % {"value": tier_word},
        )

    roles = set()
    for word in _split_words(str(values.get(COL_ROLES) or "")):
        if word in ROLE_WORDS:
            roles.add(ROLE_WORDS[word].value)
        else:
            fail(
                COL_ROLES,
                _("Unknown role “%(value)s” (use 法制员, 教官, 师傅 or 管理员).") % {"value": word},
            )

    if tier == Tier.RECRUIT and Role.MENTOR.value in roles:
        fail(COL_ROLES, _("A recruit cannot be a mentor (师傅): remove the role or change the tier."))

    joined = None
    try:
        joined = parse_date(values.get(COL_JOINED))
    except ValueError:
        fail(COL_JOINED, _("“%(value)s” is not a date (use 2024-03-01).") % {"value": values.get(COL_JOINED)})

    active_word = str(values.get(COL_ACTIVE) or "是").strip().lower()
    is_active = True
    if active_word in NO_WORDS:
        is_active = False
    elif active_word not in YES_WORDS:
        fail(COL_ACTIVE, _("Write 是 or 否, not “%(value)s”.") % {"value": active_word})

    if len(errors) > count:
        return None
    return _ParsedOfficer(row.number, number, name, unit, tier.value, roles, joined, is_active)


def officers_import(
    *,
    data: bytes,
    filename: str,
    initial_password: str | None = None,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str, int], None] | None = None,
) -> OfficerImportResult:
    """Import a sheet of officers: all rows or none.

    Raises ImportRejected naming every bad row. A police number already in the
    platform updates that officer and keeps their password. New officers get
    ``initial_password`` and must choose their own at their first login; without
    one they cannot log in until an administrator sets a password.
    """
    try:
        header, rows = read_rows(data, filename)
    except SheetError as error:
        raise ImportRejected([RowError(1, "-", str(error))]) from error
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, c, _("This column is missing from the header row.")) for c in missing]
        )
    if not rows:
        raise ImportRejected([RowError(2, "-", _("The sheet has no officers."))])

    if stage:
        stage("check", len(rows))
    units = {u.name: u for u in Unit.objects.all()}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    parsed = []
    for row in rows:
        officer = _parse_row(row, units=units, seen=seen, errors=errors)
        if officer:
            parsed.append(officer)
        if progress:
            progress(1)
    if errors:
        raise ImportRejected(errors)

    if stage:
        stage("save", len(parsed))
    try:
        return _officers_save(parsed, initial_password=initial_password, columns=set(header))
    except IntegrityError as error:
        raise ImportRejected(
            [RowError(1, "-", _("Another import changed the same officers at the same time; import the sheet again."))]
        ) from error


@transaction.atomic
def _officers_save(
    parsed: list[_ParsedOfficer], *, initial_password: str | None, columns: set[str]
) -> OfficerImportResult:
    existing = {
        o.police_number: o
        for o in Officer.objects.select_for_update().filter(
            police_number__in=[p.police_number for p in parsed]
        )
    }
    # One hash for every new officer: 2,000 PBKDF2 runs would take minutes, and
    # each officer replaces it with their own password at their first login.
    password = make_password(initial_password or None)
    # Optional columns left out of the sheet leave those fields as they are.
    fields = ["name", "unit", "tier"]
    if COL_JOINED in columns:
        fields.append("joined_force_on")
    if COL_ACTIVE in columns:
        fields.append("is_active")
    to_create, to_update, unchanged = [], [], 0
    for p in parsed:
        officer = existing.get(p.police_number)
        new = {"name": p.name, "unit": p.unit, "tier": p.tier, "joined_force_on": p.joined_force_on, "is_active": p.is_active}
        if officer is None:
            officer = Officer(
                police_number=p.police_number, password=password, must_change_password=bool(initial_password), **new
            )
            to_create.append(officer)
            continue
        if all(getattr(officer, f if f != "unit" else "unit_id") == (new[f].pk if f == "unit" else new[f]) for f in fields):
            unchanged += 1  # nothing to write: a re-import of 2,000 unchanged rows stays fast
        else:
            for f in fields:
                setattr(officer, f, new[f])
            to_update.append(officer)
    Officer.objects.bulk_create(to_create, batch_size=500)
    Officer.objects.bulk_update(to_update, fields, batch_size=500)

    if COL_ROLES in columns:
        _roles_replace(parsed)
    return OfficerImportResult(
        created=len(to_create),
        updated=len(to_update) + unchanged,
        without_password=0 if initial_password else len(to_create),
    )


def _roles_replace(parsed: list[_ParsedOfficer]) -> None:
    """The sheet is the truth for role groups; other groups are left alone. Only officers
    whose roles differ are rewritten."""
    numbers = [p.police_number for p in parsed]
    ids = dict(Officer.objects.filter(police_number__in=numbers).values_list("police_number", "id"))
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    membership = Officer.groups.through
    current: dict[int, set[str]] = defaultdict(set)
    id_list = list(ids.values())
    for start in range(0, len(id_list), 500):
        for officer_id, name in membership.objects.filter(
            officer_id__in=id_list[start : start + 500], group__name__in=Role.values
        ).values_list("officer_id", "group__name"):
            current[officer_id].add(name)
    changed = [p for p in parsed if current[ids[p.police_number]] != {r for r in p.roles if r in groups}]
    changed_ids = [ids[p.police_number] for p in changed]
    for start in range(0, len(changed_ids), 500):
        membership.objects.filter(
            officer_id__in=changed_ids[start : start + 500], group__name__in=Role.values
        ).delete()
    membership.objects.bulk_create(
        [
            membership(officer_id=ids[p.police_number], group_id=groups[role].id)
            for p in changed
            for role in sorted(p.roles)
            if role in groups
        ],
        batch_size=500,
    )


def officer_password_set(*, officer: Officer, password: str, by_administrator: bool = False) -> None:
    """Give an officer a new password.

    A password an administrator gives is temporary: the officer must choose
    their own at their next login. Choosing their own clears that.
    """
    officer.set_password(password)
    officer.must_change_password = by_administrator
    officer.save(update_fields=["password", "must_change_password"])


def officer_import_template() -> bytes:
    """The sheet an administrator fills in: an empty first sheet, the rules, and two
    examples on sheets of their own, so importing the template unchanged saves nothing
    (example police numbers could be real officers')."""
    return workbook_sheets_bytes(
        sheets=[
            (_("Officers"), OFFICER_SHEET_HEADER, []),
            (
                _("Instructions"),
                [_("Instructions")],
                [[note] for note in (
                    _("Fill in the first sheet, one officer per row; only the first sheet is imported."),
                    _("警号: six digits, unique; a police number already in the platform updates that officer."),
                    _("所队: the unit's exact name as in the platform."),
                    _("层级: 新警, 民警 or 中层."),
                    _("角色: any of 法制员, 教官, 师傅, 法制审核员, 管理员, separated by 、 or commas; may be empty."),
                    _("入警日期: a date such as 2015-07-01; may be empty."),
                    _("在职: 是 or 否; empty means 是."),
                    _("Columns 角色, 入警日期 and 在职 may be left out of the sheet: officers already in the platform then keep what they have."),
                )],
            ),
            (
                _("Example"),
                OFFICER_SHEET_HEADER,
                [
                    ["000123", "张三", "东城派出所", "民警", "法制员", "2015-07-01", "是"],
                    ["000456", "李四", "刑侦大队", "中层", "教官、师傅", "2008-09-01", "是"],
                ],
            ),
        ]
    )


def audit_record(*, actor, action: str, target=None, detail: str = ""):
    """Write one line of the audit trail (who viewed or exported what, who changed a published fact).

    `action` is a dotted code such as "case_file.view" or "results.export";
    `target` any model instance (or None). Never raises for a long text: it is cut.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEvent

    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action[:64],
        detail=(detail or "")[:500],
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)[:64]
        event.target_repr = str(target)[:200]
    event.save()
    return event
