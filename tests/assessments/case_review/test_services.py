"""Assignment with its constraints, release, swaps, drafts and submission, grading and the key's growth."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.case_review import documents, services
from assessments.case_review.models import (
    CaseReview,
    KeyDefect,
    ReviewerSwap,
    ReviewState,
    Verdict,
)
from assessments.case_review.selectors import reviewer_round_scores
from officers.roles import Tier
from tests.factories.case_review import (
    CaseDocumentFactory,
    CaseFileFactory,
    KeyDefectFactory,
    ReviewRoundFactory,
    pdf_bytes,
    released_round,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _keyed_file(unit, types, title):
    case_file = CaseFileFactory(title=title, unit=unit)
    KeyDefectFactory(case_file=case_file, defect_type=types["单人讯问"])
    return case_file


# --- assignment ----------------------------------------------------------------------------


def test_assignment_skips_own_unit_and_units_beneath_and_is_stored_with_its_seed(bureau):
    types = bureau["types"]
    brigade_file = _keyed_file(bureau["brigade"], types, "刑侦大队案卷")
    squad_file = _keyed_file(bureau["squad"], types, "中队案卷")
    east_file = _keyed_file(bureau["east"], types, "东城案卷")
    head = OfficerFactory(unit=bureau["brigade"], tier=Tier.MID_LEVEL)  # the brigade's head: not its squad's file either
    east = OfficerFactory(unit=bureau["east"], tier=Tier.MID_LEVEL)
    round = ReviewRoundFactory(files=[brigade_file, squad_file, east_file], files_per_reviewer=1)
    round.audience_tiers = [Tier.MID_LEVEL]
    round.save()
    plan = services.round_assign(round=round, seed=11)
    assert plan.feasible
    stored = dict(CaseReview.objects.filter(round=round).values_list("reviewer_id", "case_file_id"))
    assert stored == {head.pk: east_file.pk, east.pk: stored[east.pk]}
    assert stored[east.pk] in {brigade_file.pk, squad_file.pk}
    round.refresh_from_db()
    assert round.seed == 11 and round.assigned_at is not None


def test_same_inputs_and_seed_give_the_same_assignment(bureau):
    files = [_keyed_file(bureau["east"], bureau["types"], f"案卷{i}") for i in range(4)]
    for _i in range(6):
        OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    round = ReviewRoundFactory(files=files, files_per_reviewer=2)
    round.audience_tiers = [Tier.MID_LEVEL]
    round.save()
    services.round_assign(round=round, seed=5)
    first = sorted(CaseReview.objects.filter(round=round).values_list("reviewer_id", "case_file_id"))
    services.round_assign(round=round, seed=5)
    assert sorted(CaseReview.objects.filter(round=round).values_list("reviewer_id", "case_file_id")) == first
    loads = {}
    for _r, f in first:
        loads[f] = loads.get(f, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1  # 12 reviews over 4 files: 3 each


def test_a_file_audited_in_an_earlier_round_is_not_given_again(bureau, grader):
    files = [_keyed_file(bureau["east"], bureau["types"], f"案卷{i}") for i in range(2)]
    reviewer = OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    earlier = released_round(reviewers=[reviewer], files=[files[0]], by=grader)
    assert CaseReview.objects.filter(round=earlier, reviewer=reviewer, case_file=files[0]).exists()
    later = ReviewRoundFactory(files=files)
    later.audience_units.set([bureau["west"]])
    assert services.round_assign(round=later, seed=1).feasible
    assert CaseReview.objects.get(round=later, reviewer=reviewer).case_file_id == files[1].pk


def test_an_infeasible_round_names_the_reviewer_and_stores_nothing(bureau):
    own = _keyed_file(bureau["east"], bureau["types"], "东城案卷")
    officer = OfficerFactory(name="钱所长", unit=bureau["east"], tier=Tier.MID_LEVEL)
    round = ReviewRoundFactory(files=[own])
    round.audience_units.set([bureau["east"]])
    plan = services.round_assign(round=round, seed=1)
    assert not plan.feasible
    assert [p.reviewer_id for p in plan.problems] == [officer.pk]
    assert "本单位" in plan.problems[0].reason
    assert not CaseReview.objects.filter(round=round).exists()
    round.refresh_from_db()
    assert round.assigned_at is None
    assert any("分配" in p for p in services.round_release_problems(round=round))


def test_a_round_with_an_empty_key_cannot_open(bureau, grader):
    unkeyed = CaseFileFactory(unit=bureau["east"])
    CaseDocumentFactory(case_file=unkeyed)
    OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    round = ReviewRoundFactory(files=[unkeyed])
    round.audience_units.set([bureau["west"]])
    assert services.round_assign(round=round, seed=1).feasible
    with pytest.raises(services.CaseReviewError, match="空"):
        services.round_release(round=round, by=grader)
    round.refresh_from_db()
    assert not round.is_released


# --- swaps --------------------------------------------------------------------------------


def test_a_swap_before_the_window_is_recorded_with_who_and_why(case_file, reviewer, grader, bureau):
    round = released_round(reviewers=[reviewer], files=[case_file], by=grader,
                           opens_at=timezone.now() + dt.timedelta(days=1))
    stand_in = OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    swap = services.reviewer_swap(round=round, replaced=reviewer, replacement=stand_in, reason="病假", by=grader)
    assert CaseReview.objects.get(round=round).reviewer_id == stand_in.pk
    assert (swap.by, swap.reason, swap.replaced, swap.replacement) == (grader, "病假", reviewer, stand_in)


def test_a_swap_to_an_officer_of_the_files_unit_is_refused(case_file, reviewer, grader, bureau):
    round = released_round(reviewers=[reviewer], files=[case_file], by=grader,
                           opens_at=timezone.now() + dt.timedelta(days=1))
    own = OfficerFactory(unit=bureau["east"])
    with pytest.raises(services.CaseReviewError, match="不得审核"):
        services.reviewer_swap(round=round, replaced=reviewer, replacement=own, reason="病假", by=grader)


def test_a_swap_after_the_window_opened_is_refused(open_round, reviewer, grader, bureau):
    stand_in = OfficerFactory(unit=bureau["west"])
    with pytest.raises(services.CaseReviewError, match="已开始"):
        services.reviewer_swap(round=open_round, replaced=reviewer, replacement=stand_in, reason="病假", by=grader)
    assert not ReviewerSwap.objects.exists()


# --- documents --------------------------------------------------------------------------------


def test_an_upload_that_is_not_a_readable_pdf_is_refused_in_chinese(case_file):
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不是 PDF"):
        services.case_document_add(case_file=case_file, title="受案登记表", upload=fake)
    broken = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n garbage", content_type="application/pdf")
    with pytest.raises(ValidationError, match="无法读取"):
        services.case_document_add(case_file=case_file, title="受案登记表", upload=broken)
    assert case_file.documents.count() == 1


def test_an_upload_over_the_limit_is_refused(case_file, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 100)
    big = SimpleUploadedFile("scan.pdf", pdf_bytes(2), content_type="application/pdf")
    with pytest.raises(ValidationError, match="的上限。"):
        services.case_document_add(case_file=case_file, title="受案登记表", upload=big)


def test_a_readable_pdf_is_stored_privately_with_its_pages(case_file):
    upload = SimpleUploadedFile("scan.pdf", pdf_bytes(4), content_type="application/pdf")
    document = services.case_document_add(case_file=case_file, title="受案登记表", upload=upload)
    assert document.page_count == 4 and document.pdf.name.startswith("case_review/documents/")


def test_the_key_of_a_file_in_a_released_round_cannot_change(open_round, case_file, bureau):
    defect = KeyDefect(case_file=case_file, defect_type=bureau["types"]["单人讯问"], document=case_file.documents.first(),
                       page=1, description="x")
    with pytest.raises(ValidationError):
        services.key_defect_save(key_defect=defect)


# --- reviewing ---------------------------------------------------------------------------------


def _finding(case_file, type, page, description="问题"):
    return {"defect_type": type.pk, "document": case_file.documents.first().pk, "page": page,
            "description": description, "provision": "第二百零三条"}


def test_a_stale_save_never_wins(open_round, reviewer, case_file, bureau):
    review = CaseReview.objects.get(round=open_round)
    one = _finding(case_file, bureau["types"]["单人讯问"], 2, "新的")
    assert services.review_save(review_id=review.pk, officer=reviewer, revision=2, conclusion="return", reasons="新",
                                findings=[one]).saved
    stale = services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="approve", reasons="旧",
                                 findings=[])
    assert not stale.saved and stale.revision == 2
    review.refresh_from_db()
    assert review.conclusion == "return" and review.findings.get().description == "新的"


def test_another_devices_save_with_the_same_revision_is_refused_but_a_retry_is_saved(
        open_round, reviewer, case_file, bureau):
    """Two devices opened at the same revision: the phone's save lands; the desktop's save carrying
    the same number is refused (not reported as saved), so the desktop never overwrites it."""
    review = CaseReview.objects.get(round=open_round)
    phone = _finding(case_file, bureau["types"]["单人讯问"], 2, "手机上记的")
    assert services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return",
                                reasons="手机", findings=[phone]).saved
    retry = services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return",
                                 reasons="手机", findings=[phone])
    assert retry.saved and retry.revision == 1
    desktop = services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="approve",
                                   reasons="桌面旧页", findings=[])
    assert not desktop.saved and desktop.revision == 1
    review.refresh_from_db()
    assert review.conclusion_reasons == "手机" and review.findings.get().description == "手机上记的"


def test_saves_and_submission_after_the_close_are_refused(open_round, reviewer, case_file, bureau):
    review = CaseReview.objects.get(round=open_round)
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return", reasons="理由",
                         findings=[_finding(case_file, bureau["types"]["单人讯问"], 2)])
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=1)):
        with pytest.raises(services.CaseReviewError, match="已结束"):
            services.review_save(review_id=review.pk, officer=reviewer, revision=2, conclusion="approve", reasons="",
                                 findings=[])
        with pytest.raises(services.CaseReviewError, match="已结束"):
            services.review_submit(review_id=review.pk, officer=reviewer)
    review.refresh_from_db()
    assert review.state == ReviewState.ASSIGNED and review.conclusion == "return"


def test_a_finding_on_a_document_of_another_file_is_refused(open_round, reviewer, bureau):
    other = CaseDocumentFactory(case_file=CaseFileFactory(unit=bureau["east"]))
    review = CaseReview.objects.get(round=open_round)
    with pytest.raises(services.CaseReviewError, match="不属于"):
        services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="", reasons="",
                             findings=[{"defect_type": bureau["types"]["单人讯问"].pk, "document": other.pk, "page": 1}])
    assert not review.findings.exists()


def test_another_officer_cannot_save_on_a_review(open_round):
    review = CaseReview.objects.get(round=open_round)
    with pytest.raises(PermissionDenied):
        services.review_save(review_id=review.pk, officer=OfficerFactory(), revision=1, conclusion="", reasons="",
                             findings=[])


def test_submission_needs_a_conclusion_with_reasons_and_is_final(open_round, reviewer, case_file, bureau):
    review = CaseReview.objects.get(round=open_round)
    with pytest.raises(services.CaseReviewError, match="结论"):
        services.review_submit(review_id=review.pk, officer=reviewer)
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return", reasons="证据不足",
                         findings=[])
    services.review_submit(review_id=review.pk, officer=reviewer)
    with pytest.raises(services.CaseReviewError, match="已提交"):
        services.review_save(review_id=review.pk, officer=reviewer, revision=2, conclusion="approve", reasons="",
                             findings=[])


# --- grading ------------------------------------------------------------------------------------


def _submitted(round, reviewer, case_file, types, pages):
    review = CaseReview.objects.get(round=round, reviewer=reviewer)
    findings = [_finding(case_file, types[name], page, f"发现{name}") for name, page in pages]
    services.review_save(review_id=review.pk, officer=reviewer, revision=1, conclusion="return", reasons="退回补正",
                         findings=findings)
    services.review_submit(review_id=review.pk, officer=reviewer)
    return review


def test_matches_are_proposed_then_confirmed_and_scored(open_round, reviewer, case_file, bureau, grader):
    types = bureau["types"]
    review = _submitted(open_round, reviewer, case_file, types, [("单人讯问", 3), ("文书制作不规范", 1)])
    findings = list(review.findings.order_by("position"))
    key = list(case_file.key_defects.all())
    proposals = services.matches_propose(findings=findings, key=key, tolerance=1)
    single = next(d for d in key if d.defect_type == types["单人讯问"])
    assert proposals == {findings[0].pk: single.pk, findings[1].pk: None}  # page 3 is near page 2
    with pytest.raises(services.CaseReviewError, match="结束后"):
        services.review_grade(review=review, decisions={}, by=grader)
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=1)):
        services.review_grade(review=review, decisions={findings[0].pk: f"key:{single.pk}", findings[1].pk: "wrong"},
                              by=grader)
    review.refresh_from_db()
    # Found 2 of 3: 2 ÷ 3 × 80 = 53.33; conclusion right (+20); one wrong finding (−5).
    assert review.score == Decimal("68.33") and review.state == ReviewState.GRADED
    with time_machine.travel(open_round.closes_at + dt.timedelta(hours=2)):
        assert [(s.officer_id, s.score) for s in reviewer_round_scores()] == [(reviewer.pk, Decimal("68.33"))]


def test_a_finding_the_key_missed_grows_the_key_and_rescores_the_file(case_file, bureau, grader):
    types = bureau["types"]
    first = OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    second = OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL)
    round = released_round(reviewers=[first, second], files=[case_file], by=grader,
                           opens_at=timezone.now() - dt.timedelta(hours=1))
    one = _submitted(round, first, case_file, types, [("单人讯问", 2)])
    two = _submitted(round, second, case_file, types, [("单人讯问", 2), ("文书制作不规范", 1)])
    single = case_file.key_defects.get(defect_type=types["单人讯问"])
    with time_machine.travel(round.closes_at + dt.timedelta(hours=1)):
        services.review_grade(review=one, decisions={one.findings.get().pk: f"key:{single.pk}"}, by=grader)
        one.refresh_from_db()
        assert one.score == Decimal("73.33")  # 2 ÷ 3 × 80 + 20
        extra = two.findings.get(position=1)
        services.review_grade(review=two, by=grader, decisions={
            two.findings.get(position=0).pk: f"key:{single.pk}", extra.pk: "new"},
            new_defects={extra.pk: services.NewDefect(Decimal(1), "文书应载明时间")})
    grown = KeyDefect.objects.get(source_finding=extra)
    assert grown.added_in_round == round and grown.added_by == grader
    extra.refresh_from_db()
    assert extra.verdict == Verdict.MATCHED and extra.key_defect == grown
    one.refresh_from_db()
    two.refresh_from_db()
    assert two.score == Decimal("80.00")  # 3 ÷ 4 × 80 + 20
    assert one.score == Decimal("60.00")  # the key grew to 4: 2 ÷ 4 × 80 + 20


def test_a_key_holder_cannot_be_swapped_in(case_file, reviewer, grader):
    round = released_round(reviewers=[reviewer], files=[case_file], by=grader,
                           opens_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(services.CaseReviewError, match="标准答案"):
        services.reviewer_swap(round=round, replaced=reviewer, replacement=grader, reason="病假", by=grader)
