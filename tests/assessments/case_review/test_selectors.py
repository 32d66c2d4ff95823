"""The ranking's feed and the watermark."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from assessments.case_review import documents, services
from assessments.case_review.models import CaseReview
from assessments.case_review.selectors import reviewer_round_scores
from officers.roles import Tier
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def test_only_closed_fully_graded_rounds_feed_the_ranking_and_unsubmitted_files_score_zero(
        case_file, bureau, grader):
    from tests.factories.case_review import released_round

    done, absent = (OfficerFactory(unit=bureau["west"], tier=Tier.MID_LEVEL) for _i in range(2))
    round = released_round(reviewers=[done, absent], files=[case_file], by=grader,
                           opens_at=timezone.now() - dt.timedelta(hours=1))
    review = CaseReview.objects.get(round=round, reviewer=done)
    services.review_save(review_id=review.pk, officer=done, revision=1, conclusion="return", reasons="退回", findings=[])
    services.review_submit(review_id=review.pk, officer=done)
    assert reviewer_round_scores() == []  # still open
    after = round.closes_at + dt.timedelta(hours=1)
    with time_machine.travel(after):
        assert reviewer_round_scores() == []  # a submitted review awaits grading
        services.review_grade(review=review, decisions={}, by=grader)
        scores = {s.officer_id: s for s in reviewer_round_scores()}
        assert scores[done.pk].score == Decimal("20.00") and scores[absent.pk].score == Decimal(0)
        assert scores[done.pk].closed_at == round.closes_at
        assert reviewer_round_scores(closed_between=(after, after + dt.timedelta(days=1))) == []
        assert len(reviewer_round_scores(closed_between=(round.closes_at, after))) == 2


def test_each_viewer_gets_their_own_watermark(case_file, reviewer, grader):
    document = case_file.documents.first()
    mine = documents.page_image(document=document, number=1, officer=reviewer)
    theirs = documents.page_image(document=document, number=1, officer=grader)
    assert mine[:3] == b"\xff\xd8\xff" and mine != theirs
    assert documents.watermark_text(reviewer).startswith("赵所长 500101")
