"""Rule books in the Wagtail admin: drafts edited with their rules, versions in force locked."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from officers.services import roles_sync
from ranking.models import PointRule, RuleBookVersion, VersionStatus
from ranking.services import version_copy
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login, reviewer):
    roles_sync()
    reviewer.__dict__.pop("role_codes", None)
    return login(reviewer)


def _version_form(version, rules, **overrides):
    data = {
        "rule_book": version.rule_book_id, "effective_from": version.effective_from.isoformat(),
        "summary": version.summary, "base_points": "0", "period_floor": "", "period_cap": "",
        "rules-TOTAL_FORMS": str(len(rules)), "rules-INITIAL_FORMS": str(sum(1 for r in rules if r.get("id"))),
        "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules):
        for key, value in rule.items():
            data[f"rules-{i}-{key}"] = value
        data.setdefault(f"rules-{i}-ORDER", str(i + 1))
        data.setdefault(f"rules-{i}-DELETE", "")
    data.update(overrides)
    return data


def test_the_legal_affairs_unit_reaches_the_rule_books(admin_client, book):
    assert admin_client.get(reverse("ranking_version:index")).status_code == 200
    assert admin_client.get(reverse("ranking_rulebook:index")).status_code == 200


def test_other_officers_get_no_rule_book_admin(login, book):
    roles_sync()
    client = login(OfficerFactory())
    assert client.get(reverse("ranking_version_detail", args=[book["version"].pk])).status_code in (302, 403)


def test_a_version_in_force_cannot_be_edited_only_copied(admin_client, book):
    version = book["version"]
    response = admin_client.get(reverse("ranking_version:edit", args=[version.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ranking_version_detail", args=[version.pk])
    detail = admin_client.get(reverse("ranking_version_detail", args=[version.pk]))
    assert "复制为新草稿" in detail.content.decode()
    response = admin_client.post(reverse("ranking_version_copy", args=[version.pk]))
    copy = RuleBookVersion.objects.exclude(pk=version.pk).get()
    assert response["Location"] == reverse("ranking_version:edit", args=[copy.pk])
    assert copy.status == VersionStatus.DRAFT and copy.rules.count() == version.rules.count()


def test_a_draft_is_edited_with_its_rules_and_bad_parameters_are_refused_in_chinese(admin_client, book, reviewer):
    draft = version_copy(version=book["version"], effective_from=dt.date(2026, 10, 1))
    rules = [
        {"id": str(r.pk), "code": r.code, "name": r.name, "kind": r.kind, "params": json.dumps(r.params),
         "period_floor": "" if r.period_floor is None else str(r.period_floor),
         "period_cap": "" if r.period_cap is None else str(r.period_cap)}
        for r in draft.rules.order_by("sort_order")
    ]
    rules[0]["params"] = '{"bands": "很多"}'
    response = admin_client.post(reverse("ranking_version:edit", args=[draft.pk]), _version_form(draft, rules))
    assert response.status_code == 200
    errors = response.context["form"].formsets["rules"].forms[0].errors
    assert "分档必须是分档列表" in errors["params"][0]
    rules[0]["params"] = json.dumps({"bands": [{"min": 85, "points": 9}], "absent_points": "-3"})
    rules[0]["name"] = "法律知识抽测（修订）"
    response = admin_client.post(reverse("ranking_version:edit", args=[draft.pk]), _version_form(draft, rules))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = PointRule.objects.get(version=draft, code="quiz")
    assert rule.name == "法律知识抽测（修订）" and rule.params["bands"] == [{"min": "85.00", "points": "9.00"}]


def test_the_draft_edit_page_shows_every_rule_with_its_parameters(admin_client, book):
    """The page a reviewer edits, not only the POST it accepts: each rule's name, kind and
    parameters are there to edit, and a bad one comes back with what was typed."""
    draft = version_copy(version=book["version"], effective_from=dt.date(2026, 10, 1))
    page = admin_client.get(reverse("ranking_version:edit", args=[draft.pk])).content.decode()
    assert page.count('name="rules-') >= draft.rules.count() * 4
    assert 'name="rules-0-params"' in page and "法律知识抽测" in page and "规则" in page
    rules = [{"id": str(r.pk), "code": r.code, "name": r.name, "kind": r.kind, "params": json.dumps(r.params),
              "period_floor": "", "period_cap": ""} for r in draft.rules.order_by("sort_order")]
    rules[0]["params"] = '{"bands": [{"min": 90, "points": 5}, 坏'
    page = admin_client.post(reverse("ranking_version:edit", args=[draft.pk]), _version_form(draft, rules)).content.decode()
    assert "参数不是有效的 JSON" in page and "坏" in page


def test_bringing_a_draft_into_force_records_who_approved(admin_client, book, reviewer):
    draft = version_copy(version=book["version"], effective_from=dt.date(2026, 10, 1))
    assert admin_client.get(reverse("ranking_version_approve", args=[draft.pk])).status_code == 200
    response = admin_client.post(reverse("ranking_version_approve", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_FORCE and draft.approved_by == reviewer
    assert admin_client.get(reverse("ranking_version:edit", args=[draft.pk])).status_code == 302


def test_a_rule_book_with_versions_cannot_be_deleted(admin_client, book):
    rule_book = book["version"].rule_book
    response = admin_client.post(reverse("ranking_rulebook:delete", args=[rule_book.pk]))
    assert response.status_code == 302
    assert rule_book.__class__.objects.filter(pk=rule_book.pk).exists()
