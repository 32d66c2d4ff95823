"""Pages: who gets 403/404, key and document secrecy before the close for every role,
autosave over HTTP, the result with its worked formula, results, export, publication."""

import datetime as dt
import io
import json
from decimal import Decimal
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assessments.case_review import services
from assessments.case_review.models import CaseReview, Finding, ReviewState
from officers.models import AuditEvent
from officers.roles import Role, Tier
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db
KEY_TEXT = "讯问笔录只有一名侦查人员签名"
KEY_EXPLANATION = "讯问应当由两名以上侦查人员进行。"
MODEL_REVIEW = "证据存在瑕疵，应退回补正。"


def _review(round):
    return CaseReview.objects.select_related("case_file").get(round=round)


def _reviewer_urls(review):
    document = review.case_file.documents.first()
    return [
        reverse("case_review:index"),
        reverse("case_review:review", args=[review.pk]),
        reverse("case_review:result", args=[review.pk]),
        reverse("case_review:page", args=[document.pk, 1]),
    ]


def _everyone(bureau, reviewer):
    return {
        "reviewer": reviewer,
        "colleague": OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL),
        "legal officer of the file's unit": OfficerFactory(unit=bureau["east"], roles=[Role.LEGAL_OFFICER]),
        "trainer": OfficerFactory(roles=[Role.TRAINER]),
        "mentor": OfficerFactory(roles=[Role.MENTOR]),
    }


def test_the_key_is_never_shown_to_anyone_but_graders_before_the_close(login, open_round, bureau, reviewer, client):
    review = _review(open_round)
    for who, officer in _everyone(bureau, reviewer).items():
        client = login(officer)
        for url in _reviewer_urls(review) + [reverse("case_review:manage_file", args=[review.case_file_id])]:
            response = client.get(url)
            body = response.content.decode(errors="ignore")
            assert KEY_TEXT not in body and KEY_EXPLANATION not in body and MODEL_REVIEW not in body, (who, url)
        save = client.post(reverse("case_review:save", args=[review.pk]), {"revision": 1, "findings": []},
                           content_type="application/json")
        assert KEY_TEXT not in save.content.decode(), who


def test_others_get_404_on_a_review_and_its_documents(login, open_round, bureau, reviewer):
    review = _review(open_round)
    for who, officer in _everyone(bureau, reviewer).items():
        if who == "reviewer":
            continue
        client = login(officer)
        for url in _reviewer_urls(review)[1:]:
            assert client.get(url).status_code == 404, (who, url)
        response = client.post(reverse("case_review:save", args=[review.pk]),
                               {"revision": 1, "findings": [{"description": "x"}]}, content_type="application/json")
        assert response.status_code == 404
        assert client.post(reverse("case_review:submit", args=[review.pk])).status_code == 404
    assert not Finding.objects.exists()


def test_organiser_pages_are_403_for_everyone_but_legal_affairs_reviewers(login, open_round, bureau, reviewer, grader):
    review = _review(open_round)
    urls = [
        reverse("case_review:manage"), reverse("case_review:manage_file", args=[review.case_file_id]),
        reverse("case_review:file_new"), reverse("case_review:round_new"),
        reverse("case_review:manage_round", args=[open_round.pk]), reverse("case_review:grading", args=[open_round.pk]),
        reverse("case_review:results", args=[open_round.pk]),
        reverse("case_review:results_export", args=[open_round.pk]), reverse("case_review:grade", args=[review.pk]),
    ]
    # A member of the legal affairs unit without the reviewer role gets nothing by belonging to it.
    unit_member = OfficerFactory(unit=grader.unit, roles=[Role.LEGAL_OFFICER])
    for officer in [*_everyone(bureau, reviewer).values(), unit_member]:
        client = login(officer)
        for url in urls:
            assert client.get(url).status_code == 403, (officer, url)
    client = login(grader)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert KEY_TEXT in client.get(reverse("case_review:manage_file", args=[review.case_file_id])).content.decode()


def test_the_reviewer_reads_watermarked_pages_and_each_view_is_audited(login, open_round, reviewer):
    review = _review(open_round)
    client = login(reviewer)
    page = client.get(reverse("case_review:review", args=[review.pk]))
    assert page.status_code == 200 and "讯问笔录" in page.content.decode()
    page_url = reverse("case_review:page", args=[review.case_file.documents.first().pk, 1])
    assert f'<a href="{page_url}" target="_blank" rel="noopener">放大查看本页</a>' in page.content.decode()  # a phone zooms in
    image = client.get(reverse("case_review:page", args=[review.case_file.documents.first().pk, 2]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["Cache-Control"] == "private, no-store"
    assert image.content[:3] == b"\xff\xd8\xff"
    assert AuditEvent.objects.filter(actor=reviewer, action="case_file.view").count() == 1
    assert client.get(reverse("case_review:page", args=[review.case_file.documents.first().pk, 9])).status_code == 404


def test_autosave_over_http_refuses_a_stale_save_and_bad_input(login, open_round, reviewer, bureau):
    review = _review(open_round)
    document = review.case_file.documents.first()
    url = reverse("case_review:save", args=[review.pk])
    client = login(reviewer)
    finding = {"defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk, "page": 2, "description": "一人讯问"}
    ok = client.post(url, {"revision": 2, "conclusion": "return", "reasons": "退回", "findings": [finding]},
                     content_type="application/json")
    assert ok.json() == {"saved": True, "revision": 2}
    stale = client.post(url, {"revision": 1, "conclusion": "approve", "findings": []}, content_type="application/json")
    assert stale.json()["saved"] is False and "更新" in stale.json()["error"]
    bad = client.post(url, {"revision": 3, "findings": [{**finding, "page": 99}]}, content_type="application/json")
    assert bad.status_code == 409 and "没有第 99 页" in bad.json()["error"]
    assert client.post(url, b"[1, 2]", content_type="application/json").status_code == 400
    assert _review(open_round).findings.get().page == 2


@pytest.mark.parametrize("body", [
    b'{"revision": 9223372036854775808, "findings": []}',
    b'{"revision": Infinity, "findings": []}',
    b'{"revision": 1e400, "findings": []}',
    b'{"revision": NaN, "findings": []}',
    b'{"revision": -1, "findings": []}',
    b'{"revision": true, "findings": []}',
    b'{"revision": 2.5, "findings": []}',
])
def test_autosave_refuses_a_crafted_revision_in_words(login, open_round, reviewer, body):
    response = login(reviewer).post(reverse("case_review:save", args=[_review(open_round).pk]), body,
                                    content_type="application/json")
    assert response.status_code == 400 and "请求" in response.json()["error"]


@pytest.mark.parametrize("page", ["1" + "0" * 30, "Infinity", 10**20])
def test_autosave_refuses_a_crafted_page_number_in_words(login, open_round, reviewer, bureau, page):
    finding = {"defect_type": bureau["types"]["单人讯问"].pk, "page": page, "description": "一人讯问"}
    body = json.dumps({"revision": 5, "findings": [finding]}).replace('"Infinity"', "Infinity")
    response = login(reviewer).post(reverse("case_review:save", args=[_review(open_round).pk]), body,
                                    content_type="application/json")
    assert response.status_code in (400, 409) and "error" in response.json()
    assert not _review(open_round).findings.exists()


def _graded(open_round, reviewer, bureau, grader):
    review = _review(open_round)
    document = review.case_file.documents.first()
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return", reasons="退回补正",
                         findings=[{"defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk, "page": 2,
                                    "description": "一人讯问"}])
    services.review_submit(review_id=review.pk, officer=reviewer)
    single = review.case_file.key_defects.get(defect_type=bureau["types"]["单人讯问"])
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=5)):
        services.review_grade(review=review, decisions={review.findings.get().pk: f"key:{single.pk}"}, by=grader)
    return review


def test_after_the_close_the_reviewer_sees_the_result_worked_through_and_the_key(login, open_round, reviewer, bureau, grader):
    review = _graded(open_round, reviewer, bureau, grader)
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        body = login(reviewer).get(reverse("case_review:result", args=[review.pk])).content.decode()
    # 2 of 3 found: 2 ÷ 3 × 80 = 53.33, + 20 for the right conclusion, no wrong finding.
    assert "73.33" in body and "2 ÷ 3 × 80 = 53.33" in body
    assert KEY_TEXT in body and KEY_EXPLANATION in body and MODEL_REVIEW in body


def test_the_key_stays_hidden_while_the_close_still_accepts_a_last_save(login, open_round, reviewer):
    """Saves are accepted a few seconds past the close (services.CLOSE_GRACE): the key is not shown
    to the reviewer until that grace is over, so it cannot be copied into a last save."""
    review = _review(open_round)
    with time_machine.travel(open_round.closes_at + services.CLOSE_GRACE / 2):
        client = login(reviewer)
        body = client.get(reverse("case_review:result", args=[review.pk])).content.decode()
        assert KEY_TEXT not in body and KEY_EXPLANATION not in body and MODEL_REVIEW not in body
        assert client.post(reverse("case_review:save", args=[review.pk]), {"revision": 1, "findings": []},
                           content_type="application/json").json()["saved"]
    with time_machine.travel(open_round.closes_at + services.CLOSE_GRACE + dt.timedelta(seconds=1)):
        body = client.get(reverse("case_review:result", args=[review.pk])).content.decode()
        assert KEY_TEXT in body and MODEL_REVIEW in body


@pytest.mark.parametrize("weight, message", [
    ("NaN", "标准答案问题的权重必须大于 0。"), ("0", "标准答案问题的权重必须大于 0。"),
    ("100000", "标准答案问题的权重必须小于 1000。"),
])
def test_a_refused_grading_keeps_the_graders_choices_and_text(login, open_round, reviewer, bureau, grader,
                                                              weight, message):
    review = _review(open_round)
    document = review.case_file.documents.first()
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="approve", reasons="同意",
                         findings=[{"defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk, "page": 3,
                                    "description": "一人讯问"}])
    services.review_submit(review_id=review.pk, officer=reviewer)
    finding = review.findings.get()
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=5)):
        response = login(grader).post(reverse("case_review:grade", args=[review.pk]), {
            f"decision-{finding.pk}": "new", f"weight-{finding.pk}": weight,
            f"explanation-{finding.pk}": "标准答案漏列的问题"})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert '<option value="new" selected>' in page and 'value="标准答案漏列的问题"' in page
    assert f'value="{weight}"' in page
    review.refresh_from_db()
    assert review.score is None and not review.case_file.key_defects.filter(source_finding=finding).exists()


def test_grader_confirms_proposed_matches_on_the_page(login, open_round, reviewer, bureau, grader):
    review = _review(open_round)
    document = review.case_file.documents.first()
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="approve", reasons="同意",
                         findings=[{"defect_type": bureau["types"]["单人讯问"].pk, "document": document.pk, "page": 3,
                                    "description": "一人讯问"}])
    services.review_submit(review_id=review.pk, officer=reviewer)
    finding = review.findings.get()
    single = review.case_file.key_defects.get(defect_type=bureau["types"]["单人讯问"])
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=5)):
        client = login(grader)
        page = client.get(reverse("case_review:grade", args=[review.pk])).content.decode()
        assert f'value="key:{single.pk}" selected' in page  # page 3 is next to the key's page 2
        assert "第 2 页" in page and " p.2" not in page  # the key's places in Chinese
        client.post(reverse("case_review:grade", args=[review.pk]), {f"decision-{finding.pk}": f"key:{single.pk}"})
    review.refresh_from_db()
    assert review.state == ReviewState.GRADED and review.score == Decimal("53.33")


def test_results_page_in_a_constant_number_of_queries(login, grader, bureau, django_assert_max_num_queries, case_file):
    from tests.factories.case_review import (
        CaseFileFactory,
        KeyDefectFactory,
        released_round,
    )

    reviewers = [OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL) for _i in range(3)]
    round = released_round(reviewers=reviewers, files=[case_file], by=grader)
    client = login(grader)
    url = reverse("case_review:results", args=[round.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    for _i in range(12):
        reviewers.append(OfficerFactory(unit=bureau["squad"], tier=Tier.MID_LEVEL))
    other_file = KeyDefectFactory(case_file=CaseFileFactory(unit=bureau["east"])).case_file
    big = released_round(reviewers=reviewers, files=[other_file], by=grader, seed=3)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("case_review:results", args=[big.pk]))
    assert response.content.decode().count("<tr>") >= 15


def test_export_writes_text_as_text_and_is_audited(login, open_round, reviewer, bureau, grader):
    reviewer.name = "=HYPERLINK(\"http://x\")"
    reviewer.save()
    _graded(open_round, reviewer, bureau, grader)
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        response = login(grader).get(reverse("case_review:results_export", args=[open_round.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["按审核人"]
    cell = sheet["C2"]
    assert cell.value == reviewer.name and cell.data_type == "s"
    assert sheet["G2"].value == 73.33
    assert AuditEvent.objects.filter(actor=grader, action="results.export").exists()
    # Named in Chinese after the round, as users save and forward it.
    assert response["Content-Disposition"].endswith(quote(f"案审成绩-{open_round.name}.xlsx"))


def test_reading_others_reviews_and_the_rounds_results_is_audited(login, open_round, reviewer, bureau, grader):
    """A grader opening a reviewer's findings, their result or the round's unpublished
    results leaves an entry in the audit trail, as the test results and papers do."""
    review = _graded(open_round, reviewer, bureau, grader)
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        client = login(grader)
        assert client.get(reverse("case_review:results", args=[open_round.pk])).status_code == 200
        assert client.get(reverse("case_review:grade", args=[review.pk])).status_code == 200
        assert client.get(reverse("case_review:result", args=[review.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=grader, action="results.view").count() == 1
    assert AuditEvent.objects.filter(actor=grader, action="case_review.view").count() == 2
    # The reviewer reading their own result is no entry.
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        login(reviewer).get(reverse("case_review:result", args=[review.pk]))
    assert not AuditEvent.objects.filter(actor=reviewer, action="case_review.view").exists()


def test_publishing_freezes_the_round_results(login, open_round, reviewer, bureau, grader):
    from publications.models import Publication

    _graded(open_round, reviewer, bureau, grader)
    assert login(grader).post(reverse("case_review:publish", args=[open_round.pk])).status_code == 302
    assert not Publication.objects.exists()  # still open: refused
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        response = login(grader).post(reverse("case_review:publish", args=[open_round.pk]))
    publication = Publication.objects.get(kind="case_review_results")
    assert response.url == reverse("publications:detail", args=[publication.pk])
    assert publication.rows[0]["officer_id"] == reviewer.pk and publication.rows[0]["score"] == "73.33"
    assert login(reviewer).post(reverse("case_review:publish", args=[open_round.pk])).status_code == 403
