"""The organiser's pages end to end: a file with a document and a key, a round, assignment
(problems shown before anything opens), release, a swap, the taxonomy in the admin."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.case_review.models import (
    CaseFile,
    CaseReview,
    DefectType,
    KeyDefect,
    ReviewerSwap,
    ReviewRound,
)
from officers.models import AuditEvent
from officers.roles import Tier
from tests.factories.case_review import pdf_bytes
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _local(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_organiser_prepares_a_file_and_a_round_then_assigns_releases_and_swaps(login, grader, bureau):
    client = login(grader)
    response = client.post(reverse("case_review:file_new"), {
        "title": "孙某某诈骗案", "kind": "criminal", "unit": bureau["east"].pk, "summary": "电信诈骗",
        "correct_conclusion": "return", "conclusion_explanation": "证据不足",
    })
    case_file = CaseFile.objects.get(title="孙某某诈骗案")
    url = reverse("case_review:manage_file", args=[case_file.pk])
    assert response.url == url

    bad = client.post(url, {"action": "document", "title": "受案登记表",
                            "pdf": SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")})
    assert "该文件不是 PDF" in bad.content.decode() and not case_file.documents.exists()
    client.post(url, {"action": "document", "title": "受案登记表",
                      "pdf": SimpleUploadedFile("a.pdf", pdf_bytes(2), content_type="application/pdf")})
    document = case_file.documents.get()
    assert document.page_count == 2
    no_page = client.post(url, {"action": "key", "defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk,
                                "page": 5, "description": "只有一人", "weight": "2"})
    assert "没有第 5 页" in no_page.content.decode()
    client.post(url, {"action": "key", "defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk,
                      "page": 2, "description": "只有一人", "weight": "2", "legal_basis": "第一百一十八条"})
    assert KeyDefect.objects.filter(case_file=case_file, page=2).exists()

    east_head = OfficerFactory(name="东城所长", unit=bureau["east"], tier=Tier.MID_LEVEL)
    opens = timezone.now() + dt.timedelta(days=1)
    client.post(reverse("case_review:round_new"), {
        "name": "第一轮", "opens_at": _local(opens), "closes_at": _local(opens + dt.timedelta(days=7)),
        "files_per_reviewer": 1, "audience_units": [bureau["east"].pk], "files": [case_file.pk],
    })
    round = ReviewRound.objects.get(name="第一轮")
    round_url = reverse("case_review:manage_round", args=[round.pk])
    page = client.post(round_url, {"action": "assign"}).content.decode()
    assert "本轮无法分配" in page and "东城所长（" in page and "本单位" in page
    assert not CaseReview.objects.filter(round=round).exists()

    west_head = OfficerFactory(name="西城所长", unit=bureau["west"], tier=Tier.MID_LEVEL)
    round.audience_units.set([bureau["west"]])
    assert client.post(round_url, {"action": "assign"}).status_code == 302
    assert CaseReview.objects.get(round=round).reviewer == west_head
    assert client.post(round_url, {"action": "release"}).status_code == 302
    round.refresh_from_db()
    assert round.is_released

    stand_in = OfficerFactory(police_number="500777", unit=bureau["west"], tier=Tier.MID_LEVEL)
    own_unit = client.post(round_url, {"action": "swap", "replaced": west_head.pk, "replacement": east_head.police_number,
                                       "reason": "病假"})
    assert "不得审核" in own_unit.content.decode()
    client.post(round_url, {"action": "swap", "replaced": west_head.pk, "replacement": "500777", "reason": "病假"})
    assert ReviewerSwap.objects.get().replacement == stand_in
    assert CaseReview.objects.get(round=round).reviewer == stand_in
    assert AuditEvent.objects.filter(actor=grader, action="case_file.view").exists()


def test_the_defect_taxonomy_is_seeded_and_editable_by_legal_affairs_reviewers_in_the_admin(login, grader):
    assert set(DefectType.objects.values_list("name", flat=True)) >= {"现场取证不到位", "违规调解", "文书制作不规范"}
    client = login(grader)
    listing = client.get(reverse("assessments_defecttype:index"))
    assert listing.status_code == 200 and "在用" in listing.content.decode()
    assert "True" not in listing.content.decode()  # a tick, not Python's True
    client.post(reverse("assessments_defecttype:add"), {"name": "告知程序缺失", "description": "", "sort_order": 9, "active": "on"})
    assert DefectType.objects.filter(name="告知程序缺失").exists()
    trainer = OfficerFactory(roles=["trainer"])
    assert login(trainer).get(reverse("assessments_defecttype:index")).status_code in (302, 403)


def test_navigation_shows_the_rotation_to_reviewers_and_organisers_only(login, open_round, reviewer, grader):
    assert "案件审核轮测" in login(reviewer).get("/").content.decode()
    assert "审核轮测管理" in login(grader).get("/").content.decode()
    assert "案件审核轮测" not in login(OfficerFactory()).get("/").content.decode()


def test_a_defect_type_in_use_is_not_deleted_but_refused_in_chinese(login, grader, case_file, bureau):
    used = bureau["types"]["单人讯问"]
    response = login(grader).post(reverse("assessments_defecttype:delete", args=[used.pk]), follow=True)
    assert response.status_code == 200 and "不能删除" in response.content.decode()
    assert DefectType.objects.filter(pk=used.pk).exists()


def test_a_round_closing_before_it_opens_is_refused_in_chinese_keeping_what_was_typed(login, grader, case_file):
    client = login(grader)
    opens = timezone.now() + dt.timedelta(days=2)
    response = client.post(reverse("case_review:round_new"), {
        "name": "第二轮", "opens_at": _local(opens), "closes_at": _local(opens - dt.timedelta(days=1)),
        "files_per_reviewer": 0, "files": [case_file.pk],
    })
    page = response.content.decode()
    assert response.status_code == 200 and not ReviewRound.objects.filter(name="第二轮").exists()
    assert "轮次的结束时间必须晚于开始时间。" in page and "每人至少审核 1 份案卷。" in page
    assert "review_round" not in page and 'value="第二轮"' in page


@pytest.mark.parametrize("opens, closes", [("0001-01-01T00:00", "2026-12-31T08:00"),
                                           ("2026-12-01T08:00", "9999-12-31T23:59")])
def test_a_round_dated_off_the_calendar_is_refused_in_chinese(login, grader, case_file, opens, closes):
    response = login(grader).post(reverse("case_review:round_new"), {
        "name": "第三轮", "opens_at": opens, "closes_at": closes, "files_per_reviewer": 1, "files": [case_file.pk],
    })
    assert response.status_code == 200 and not ReviewRound.objects.filter(name="第三轮").exists()
    assert "10 年" in response.content.decode() and 'value="第三轮"' in response.content.decode()


def test_a_swap_sent_after_the_window_opened_is_refused_with_a_message_the_organiser_sees(
        login, grader, open_round, reviewer):
    """The page was loaded before the opening (swap form shown) and sent after it: the form is
    gone from the page, so the refusal is shown as a message, and nothing changes."""
    stand_in = OfficerFactory(police_number="500778", unit=reviewer.unit, tier=Tier.MID_LEVEL)
    response = login(grader).post(reverse("case_review:manage_round", args=[open_round.pk]), {
        "action": "swap", "replaced": reviewer.pk, "replacement": stand_in.police_number, "reason": "病假"})
    assert "本轮审核已开始，不能再替换审核人。" in response.content.decode()
    assert not ReviewerSwap.objects.exists() and CaseReview.objects.get(round=open_round).reviewer == reviewer


def test_the_case_file_documents_heading_does_not_rename_wagtails_documents(login, grader, case_file):
    """The case-review pages say 卷内文书 under their own context; Wagtail's 文档 menu keeps its name."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Documents") == "文档"
    page = login(grader).get(reverse("case_review:manage_file", args=[case_file.pk])).content.decode()
    assert "<h2>卷内文书</h2>" in page


def test_a_file_in_a_released_round_keeps_its_unit_and_correct_conclusion(login, grader, open_round, case_file, bureau):
    """Reviewers were assigned by the file's unit and are scored against its conclusion: the edit is
    refused in Chinese on the field, with what was typed kept."""
    response = login(grader).post(reverse("case_review:file_edit", args=[case_file.pk]), {
        "title": "改过的标题", "kind": case_file.kind, "unit": bureau["west"].pk, "summary": "",
        "correct_conclusion": "do_not_file" if case_file.correct_conclusion != "do_not_file" else "approve",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "该案卷已用于已发布的轮次，不能再更改来源单位。" in page
    assert 'value="改过的标题"' in page
    case_file.refresh_from_db()
    assert case_file.unit == bureau["east"] and case_file.title != "改过的标题"


def test_changing_a_files_unit_clears_an_assignment_not_yet_released(login, grader, bureau):
    from assessments.case_review import services
    from tests.factories.case_review import (
        CaseFileFactory,
        KeyDefectFactory,
        ReviewRoundFactory,
    )

    case_file = CaseFileFactory(unit=bureau["east"])
    KeyDefectFactory(case_file=case_file)
    OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    round = ReviewRoundFactory(files=[case_file], files_per_reviewer=1)
    round.audience_units.set([bureau["west"]])
    assert services.round_assign(round=round, seed=3).feasible
    client = login(grader)
    client.post(reverse("case_review:file_edit", args=[case_file.pk]), {
        "title": case_file.title, "kind": case_file.kind, "unit": bureau["west"].pk, "summary": "",
        "correct_conclusion": case_file.correct_conclusion,
    })
    round.refresh_from_db()
    assert round.assigned_at is None and not CaseReview.objects.filter(round=round).exists()
    assert "本轮尚未分配" in client.get(reverse("case_review:manage_round", args=[round.pk])).content.decode()


def test_on_a_phone_the_grading_list_opens_a_review_from_its_first_column(login, grader, open_round):
    """The list scrolls sideways on a phone: the file's title itself leads to the grading page."""
    import time_machine

    from assessments.case_review import services

    review = CaseReview.objects.get(round=open_round)
    services.review_save(review_id=review.pk, officer=review.reviewer, revision=1, conclusion="approve",
                         reasons="同意", findings=[])
    services.review_submit(review_id=review.pk, officer=review.reviewer)
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=5)):
        page = login(grader).get(reverse("case_review:grading", args=[open_round.pk])).content.decode()
    grade_url = reverse("case_review:grade", args=[review.pk])
    assert f'<td><a href="{grade_url}">{review.case_file.title}</a></td>' in page
