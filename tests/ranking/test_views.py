"""The ranking pages: who sees what, manual entries, publishing, query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from officers.models import AuditEvent
from officers.roles import Tier
from ranking.models import ManualEntry, ManualStatus, PointEntry, Ranking, Track
from ranking.services import points_post
from tests.factories.officers import OfficerFactory, UnitFactory
from tests.factories.ranking import ManualEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("ranking:ranking", args=["officer", "2026Q3"])


@pytest.fixture
def bureau(book):
    """Two stations with a head each and three officers with points."""
    east, west = UnitFactory(name="东城派出所"), UnitFactory(name="西城派出所")
    people = {
        "east_head": OfficerFactory(unit=east, tier=Tier.MID_LEVEL, name="赵所长"),
        "west_head": OfficerFactory(unit=west, tier=Tier.MID_LEVEL, name="钱所长"),
        "east_a": OfficerFactory(unit=east, name="孙一"),
        "east_b": OfficerFactory(unit=east, name="李二"),
        "west_a": OfficerFactory(unit=west, name="周三"),
    }
    for key, points in (("east_a", 9), ("east_b", 4), ("west_a", 6)):
        ManualEntryFactory(officer=people[key], points=points, reason=f"比武 {key}")
    points_post()
    return people


def names(response):
    return [r.name for r in response.context["rows"]]


def test_anonymous_visitors_are_sent_to_log_in(client, bureau):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_officer_sees_only_their_own_row_and_position(login, bureau):
    client = login(bureau["west_a"])
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["周三"]
    assert response.context["mine"].rank == 2
    assert response.context["units"] == []
    assert "发布" not in response.content.decode() or not response.context["can_publish"]


def test_a_unit_head_sees_their_units_officers_with_their_bureau_rank(login, bureau):
    response = login(bureau["east_head"]).get(reverse("ranking:ranking", args=["officer", "2026Q3"]))
    assert names(response) == ["孙一", "李二"]
    assert [r.rank for r in response.context["rows"]] == [1, 3]
    assert [u.unit for u in response.context["units"]] == ["东城派出所"]


def test_the_legal_affairs_unit_sees_everything(login, bureau, reviewer):
    response = login(reviewer).get(URL)
    assert names(response)[:3] == ["孙一", "周三", "李二"]
    assert {u.unit for u in response.context["units"]} >= {"东城派出所", "西城派出所"}
    assert response.context["can_publish"]


def test_an_officer_of_the_other_track_gets_404_without_rows(login, bureau):
    mid = OfficerFactory(unit=UnitFactory(name="石柱派出所"), tier=Tier.MID_LEVEL)
    assert login(mid).get(URL).status_code == 404


@pytest.mark.parametrize("viewer, subject, status", [
    ("west_a", "west_a", 200),      # their own
    ("west_a", "east_a", 404),      # a colleague elsewhere
    ("east_b", "east_a", 404),      # a colleague in the same unit
    ("east_head", "east_a", 200),   # the unit head
    ("west_head", "east_a", 404),   # another unit's head
])
def test_breakdown_visibility(login, bureau, viewer, subject, status):
    url = reverse("ranking:breakdown", args=["officer", "2026Q3", bureau[subject].pk])
    assert login(bureau[viewer]).get(url).status_code == status
    trend = reverse("ranking:trend", args=[bureau[subject].pk])
    assert login(bureau[viewer]).get(trend).status_code == status


def test_the_breakdown_shows_entries_with_their_rule_and_source(login, bureau, reviewer):
    response = login(reviewer).get(reverse("ranking:breakdown", args=["officer", "2026Q3", bureau["east_a"].pk]))
    html = response.content.decode()
    assert AuditEvent.objects.filter(action="ranking.breakdown.view", actor=reviewer).count() == 1
    entry = ManualEntry.objects.get(officer=bureau["east_a"])
    assert "技能比武获奖" in html and reverse("ranking:manual_detail", args=[entry.pk]) in html
    assert response.context["data"].total == 9


def test_every_source_link_in_a_breakdown_opens_for_its_reader(login, bureau, reviewer):
    """A unit head reads their officer's breakdown, but a manual entry's evidence is for the officer
    and the legal affairs unit: the head gets the entry's reason without a link that would 404."""
    import re

    url = reverse("ranking:breakdown", args=["officer", "2026Q3", bureau["east_a"].pk])
    entry = reverse("ranking:manual_detail", args=[ManualEntry.objects.get(officer=bureau["east_a"]).pk])
    for viewer, linked in ((bureau["east_head"], False), (bureau["east_a"], True), (reviewer, True)):
        client = login(viewer)
        html = client.get(url).content.decode()
        assert "比武 east_a" in html
        assert (entry in html) is linked
        ledger = html[html.index('class="data ledger'):]
        for href in re.findall(r'href="(/[^"]+)"', ledger.split("</table>")[0]):
            assert client.get(href).status_code == 200, (viewer.name, href)


def test_a_course_certificate_is_linked_only_for_its_own_officer(bureau):
    from ranking.rule_kinds import get_kind

    kind = get_kind("course_completion")
    assert kind.source_visible(bureau["east_a"], bureau["east_a"])
    assert not kind.source_visible(bureau["east_head"], bureau["east_a"])


def test_bad_tracks_and_periods_are_404(login, bureau):
    client = login(bureau["west_a"])
    assert client.get(reverse("ranking:ranking", args=["chief", "2026Q3"])).status_code == 404
    assert client.get(reverse("ranking:ranking", args=["officer", "2026Q9"])).status_code == 404


@pytest.mark.parametrize("period", ["0000Q1", "9999Q4", "0000", "9999", "0000-01", "9999-12", "0001"])
def test_periods_outside_the_calendar_are_404_not_500(login, bureau, reviewer, period):
    client = login(reviewer)
    assert client.get(reverse("ranking:ranking", args=["officer", period])).status_code == 404
    officer_id = bureau["west_a"].pk
    assert client.get(reverse("ranking:breakdown", args=["officer", period, officer_id])).status_code == 404
    assert client.post(reverse("ranking:publish", args=["officer", period])).status_code == 404


def test_the_trend_is_an_svg_drawn_on_the_server(login, bureau):
    response = login(bureau["east_a"]).get(reverse("ranking:my_trend"))
    assert response.status_code == 200
    html = response.content.decode()
    # Drawn on the server: no inline script (the site's own static scripts load by src).
    assert "<svg" in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    # Its axes are labelled in Chinese, like the page around it.
    svg = str(response.context["chart"])
    assert ">名次</text>" in svg and ">积分</text>" in svg and ">rank<" not in svg


def test_a_trend_without_any_ranking_says_so_in_chinese():
    from ranking.charts import trend_chart

    assert "尚无排名" in trend_chart([])


def test_the_ranking_page_takes_the_same_number_of_queries_for_many_officers(login, bureau, reviewer, django_assert_max_num_queries):
    from django.core.cache import cache

    client = login(reviewer)
    client.get(URL)
    cache.clear()  # the standings are computed afresh (the costlier path)
    with django_assert_max_num_queries(14) as few:
        client.get(URL)
    for i in range(40):
        officer = OfficerFactory(unit=UnitFactory(name=f"第{i % 5}派出所"))
        ManualEntryFactory(officer=officer, points=1 + i % 7, reason=f"比武 {i}")
    points_post()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    with django_assert_max_num_queries(len(few.captured_queries) - 3):
        client.get(URL)  # remembered until the ledger changes
    assert len(response.context["rows"]) == 50, "50 rows a page"
    assert response.context["total"] > 50


def test_the_breakdown_takes_a_constant_number_of_queries(login, bureau, reviewer, django_assert_max_num_queries):
    officer = bureau["east_a"]
    for i in range(10):
        ManualEntryFactory(officer=officer, points=1, reason=f"再比武 {i}", occurred_on=dt.date(2026, 7, 1 + i))
    points_post()
    client = login(reviewer)
    url = reverse("ranking:breakdown", args=["officer", "2026Q3", officer.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["data"].lines) == 11


# --- manual entries -------------------------------------------------------------


def test_only_reviewers_open_the_manual_entry_pages(login, bureau):
    client = login(bureau["east_head"])
    assert client.get(reverse("ranking:manual_list")).status_code == 403
    assert client.get(reverse("ranking:manual_new")).status_code == 403


def test_a_reviewer_enters_and_another_approves(client, login, bureau, reviewer, second_reviewer):
    officer = bureau["west_a"]
    response = login(reviewer).post(reverse("ranking:manual_new"), {
        "police_number": officer.police_number, "rule_code": "award", "points": "5",
        "occurred_on": "2026-08-20", "reason": "全市执法技能比武个人三等奖",
        "evidence": SimpleUploadedFile("证书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    })
    entry = ManualEntry.objects.get(reason="全市执法技能比武个人三等奖")
    assert response.status_code == 302 and response["Location"] == reverse("ranking:manual_detail", args=[entry.pk])
    detail = client.get(reverse("ranking:manual_detail", args=[entry.pk]))
    assert not detail.context["can_decide"], "whoever enters cannot approve"
    client.post(reverse("ranking:manual_detail", args=[entry.pk]), {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == ManualStatus.PENDING
    login(second_reviewer).post(reverse("ranking:manual_detail", args=[entry.pk]), {"decision": "approve", "note": "属实"})
    entry.refresh_from_db()
    assert entry.status == ManualStatus.APPROVED and entry.decided_by == second_reviewer


def test_a_bad_manual_entry_keeps_what_was_typed_and_says_why(login, bureau, reviewer):
    response = login(reviewer).post(reverse("ranking:manual_new"), {
        "police_number": "123456", "rule_code": "award", "points": "5", "occurred_on": "2026-08-20",
        "reason": "我写的理由",
    })
    assert response.status_code == 200
    assert "我写的理由" in response.content.decode()
    assert response.context["form"].errors["police_number"]
    assert response.context["form"].errors["evidence"]


def test_a_refused_entry_with_its_evidence_asks_for_the_file_again(login, bureau, reviewer):
    """Points out of the rule's range: everything typed comes back, and the page says the file must
    be chosen again (no browser keeps a chosen file)."""
    response = login(reviewer).post(reverse("ranking:manual_new"), {
        "police_number": bureau["west_a"].police_number, "rule_code": "award", "points": "200",
        "occurred_on": "2026-08-20", "reason": "市局执法技能比武团体二等奖",
        "evidence": SimpleUploadedFile("证书.pdf", b"%PDF-1.4", content_type="application/pdf"),
    })
    html = response.content.decode()
    assert response.status_code == 200 and "市局执法技能比武团体二等奖" in html and 'value="200"' in html
    assert "请重新选择证明材料文件" in html


def test_evidence_is_private_to_the_officer_and_the_legal_affairs_unit(login, bureau, reviewer):
    entry = ManualEntry.objects.get(officer=bureau["west_a"])
    url = reverse("ranking:manual_evidence", args=[entry.pk])
    own = login(bureau["west_a"]).get(url)
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    assert login(bureau["east_a"]).get(url).status_code == 404
    assert login(bureau["west_head"]).get(url).status_code == 404
    assert login(reviewer).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="ranking.evidence.view").count() == 2


# --- publishing -------------------------------------------------------------------


def test_only_the_legal_affairs_unit_publishes(login, bureau):
    publish = reverse("ranking:publish", args=["officer", "2026Q3"])
    assert login(bureau["east_head"]).post(publish).status_code == 403
    assert not Ranking.objects.exists()


def test_publishing_freezes_the_standings_and_editing_a_rule_never_changes_them(login, bureau, reviewer, book):
    from publications.selectors import publication_current

    response = login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]), {"note": "季度通报"})
    assert response.status_code == 302
    ranking = Ranking.objects.get(track=Track.OFFICER, period="2026Q3")
    publication = publication_current(subject=ranking, kind="ranking")
    rows = {r["name"]: (r["rank"], r["points"]) for r in publication.rows}
    assert rows["孙一"] == (1, "9") and rows["周三"] == (2, "6") and rows["李二"] == (3, "4")
    assert publication.meta["settings"]["rule_book_version"] == book["version"].number
    frozen = (publication.rows, publication.meta)
    # A rule edited afterwards (in a new version in force from the same quarter), and the ledger reposted:
    from ranking.services import version_bring_into_force, version_copy

    v2 = version_copy(version=book["version"], effective_from=dt.date(2026, 7, 1))
    v2.rules.filter(code="award").update(params={"min_points": "1", "max_points": "2"})
    version_bring_into_force(version=v2, by=reviewer)
    points_post()
    assert PointEntry.objects.filter(rule_version=v2).exists()
    publication.refresh_from_db()
    assert (publication.rows, publication.meta) == frozen
    live = login(reviewer).get(URL)
    assert [r.points for r in live.context["rows"][:3]] == [Decimal(2), Decimal(2), Decimal(2)]


def test_the_ranking_shows_its_publication(login, bureau, reviewer):
    login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    response = login(bureau["west_a"]).get(URL)
    assert response.context["publication"] is not None
    assert response.context["publication_url"].startswith("/publications/")


def test_the_objection_window_follows_the_rule_book(login, bureau, reviewer, book):
    from publications.services import working_days_after
    from ranking.models import RuleBook

    RuleBook.objects.filter(track=Track.OFFICER).update(objection_days=3)
    login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    from publications.models import Publication

    publication = Publication.objects.get(kind="ranking")
    from django.utils import timezone

    assert publication.objections_last_day == working_days_after(timezone.localdate(publication.published_at), 3)


def test_a_new_version_from_the_publications_page_keeps_the_rule_books_window(login, bureau, reviewer, book):
    """Every publish path asks the kind for its 公示期, not only the ranking page's button."""
    from django.utils import timezone

    from publications.models import Publication
    from publications.services import working_days_after
    from ranking.models import RuleBook

    RuleBook.objects.filter(track=Track.OFFICER).update(objection_days=3)
    login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    first = Publication.objects.get(kind="ranking")
    ManualEntryFactory(officer=bureau["east_b"], points=7, reason="异议更正：补录比武加分")
    points_post()
    response = login(reviewer).post(reverse("publications:republish", args=[first.pk]), {"note": "更正"})
    second = Publication.objects.get(kind="ranking", version=2)
    assert response["Location"] == reverse("publications:detail", args=[second.pk])
    assert second.objections_last_day == working_days_after(timezone.localdate(second.published_at), 3)


@pytest.fixture
def running_quarter():
    from django.utils import timezone

    from ranking.periods import PeriodKind, period_containing

    return period_containing(timezone.localdate(), PeriodKind.QUARTER)


def test_publishing_a_period_not_yet_ended_asks_to_confirm_and_says_so_plainly(login, bureau, reviewer, running_quarter):
    from publications.models import Publication

    url = reverse("ranking:publish", args=["officer", running_quarter.code])
    client = login(reviewer)
    response = client.post(url, {"note": "季度通报"})
    page = response.content.decode()
    assert response.status_code == 200 and not Publication.objects.exists()
    assert "尚未结束" in page and running_quarter.end.isoformat() in page
    assert "季度通报" in page  # the note typed is kept for the confirmation
    response = client.post(url, {"note": "季度通报", "confirmed": "1"})
    publication = Publication.objects.get(kind="ranking")
    assert response["Location"] == reverse("publications:detail", args=[publication.pk])
    assert publication.note == "季度通报" and publication.meta["settings"]["period_complete"] is False
    detail = client.get(response["Location"]).content.decode()
    assert "公示时本期尚未结束" in detail
    # An officer reading it sees the same sentence.
    assert "公示时本期尚未结束" in login(bureau["west_a"]).get(response["Location"]).content.decode()
    # So does the bulletin (通报).
    from django.template.loader import render_to_string

    from publications.selectors import bulletin_context

    bulletin = render_to_string("publications/pdf/bulletin.html", {**bulletin_context(publication=publication),
                                                                   "first": True, "last": True, "numbered": True})
    assert "公示时本期尚未结束" in bulletin and "本期是否结束" in bulletin


def test_a_new_version_of_a_running_period_from_the_publications_page_asks_again(login, bureau, reviewer, running_quarter):
    from publications.models import Publication

    client = login(reviewer)
    client.post(reverse("ranking:publish", args=["officer", running_quarter.code]), {"confirmed": "1"})
    first = Publication.objects.get(kind="ranking")
    ManualEntryFactory(officer=bureau["east_b"], points=7, occurred_on=running_quarter.start)
    points_post()
    republish = reverse("publications:republish", args=[first.pk])
    response = client.post(republish, {"note": "补录"})
    assert response.status_code == 200 and "尚未结束" in response.content.decode()
    assert Publication.objects.filter(kind="ranking").count() == 1
    client.post(republish, {"note": "补录", "confirmed": "1"})
    assert Publication.objects.filter(kind="ranking").count() == 2


def test_a_finished_period_publishes_without_asking(login, bureau, reviewer):
    from publications.models import Publication

    response = login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    assert response.status_code == 302
    publication = Publication.objects.get(kind="ranking")
    assert "notices" not in publication.meta and "period_complete" not in publication.meta["settings"]


def test_the_published_table_links_only_the_breakdowns_the_reader_may_open(login, bureau, reviewer):
    """An officer gets a link on their own row only, a unit head on their units' rows, the legal
    affairs unit on every row; and every link offered opens."""
    from publications.models import Publication

    login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    detail = reverse("publications:detail", args=[Publication.objects.get(kind="ranking").pk])

    def links(viewer):
        client = login(viewer)
        table = client.get(detail).context["table"]
        urls = [row["url"] for row in table if row["url"]]
        assert all(client.get(url).status_code == 200 for url in urls)
        return {row["cells"][1][0] for row in table if row["url"]}

    assert links(bureau["west_a"]) == {"周三"}
    assert links(bureau["east_head"]) == {"孙一", "李二"}
    assert links(reviewer) == {row["name"] for row in Publication.objects.get(kind="ranking").rows}


def test_the_published_settings_state_the_limits_in_words(login, bureau, reviewer, book):
    """The bulletin reads 不设上下限 or 不低于-10分, not a row of dashes."""
    from publications.models import Publication

    login(reviewer).post(reverse("ranking:publish", args=["officer", "2026Q3"]))
    items = dict(Publication.objects.get(kind="ranking").meta["items"])
    assert items["每期总分"] == "不设上下限"
    assert "执法过错 不低于-10分" in items["各规则每期上下限"] and "参加培训 不超过4分" in items["各规则每期上下限"]
