"""Case-review rotations: a reviewer reaches only their own assigned files; the key, the
organiser pages, grading, results and export belong to the legal affairs reviewers.

The world: a case file from 南城派出所 with a planted key, in an open, released round
where the colleague (station A, no identity) reviews it.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from assessments.case_review.models import CaseReview, ReviewRound
from tests.access.matrix import Expect
from tests.factories.case_review import (
    CaseDocumentFactory,
    CaseFileFactory,
    DefectTypeFactory,
    KeyDefectFactory,
)
from tests.factories.officers import UnitFactory

KEY_SECRET = "预设问题：讯问笔录只有一名侦查员签名"


def build(world):
    case_file = CaseFileFactory(title="矩阵测试盗窃案", unit=UnitFactory(name="南城派出所"))
    document = CaseDocumentFactory(case_file=case_file, title="讯问笔录", page_count=2)
    KeyDefectFactory(case_file=case_file, document=document, defect_type=DefectTypeFactory(name="单人讯问"),
                     description=KEY_SECRET, weight=Decimal(2))
    now = timezone.now()
    round = ReviewRound.objects.create(
        name="矩阵测试轮次", opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=7),
        released_at=now - dt.timedelta(hours=2), assigned_at=now - dt.timedelta(hours=3), seed=1,
    )
    round.files.set([case_file])
    review = CaseReview.objects.create(round=round, reviewer=world.people["colleague"], case_file=case_file)
    world.ids.update(cr_file=case_file.pk, cr_document=document.pk, cr_round=round.pk, cr_review=review.pk)


SECRETS = [("a case file's key", KEY_SECRET, {"legal_reviewer", "administrator"})]

MANAGERS = {"legal_reviewer": 200, "administrator": 200}
MANAGE = {"*": 403, **MANAGERS}
OTHERS_REVIEW = {"*": 404}
R = {"review_id": "cr_review"}
ROUND = {"round_id": "cr_round"}
FILE = {"file_id": "cr_file"}
JSON = "application/json"

EXPECTATIONS = [
    Expect("case_review:index", {"*": 200}),
    # Someone else's review: graders are sent on to its result page.
    Expect("case_review:review", {**OTHERS_REVIEW, "legal_reviewer": 302, "administrator": 302}, kwargs=R),
    Expect("case_review:save", OTHERS_REVIEW, kwargs=R, method="post",
           data={"revision": 1, "findings": [{"description": "x"}]}, content_type=JSON),
    Expect("case_review:submit", OTHERS_REVIEW, kwargs=R, method="post"),
    Expect("case_review:result", {**OTHERS_REVIEW, **MANAGERS}, kwargs=R),
    Expect("case_review:page", {**OTHERS_REVIEW, **MANAGERS}, kwargs={"document_id": "cr_document", "number": 1}),
    Expect("case_review:manage", MANAGE),
    Expect("case_review:file_new", MANAGE),
    Expect("case_review:manage_file", MANAGE, kwargs=FILE),
    Expect("case_review:file_edit", MANAGE, kwargs=FILE),
    Expect("case_review:round_new", MANAGE),
    Expect("case_review:manage_round", MANAGE, kwargs=ROUND),
    # A released round's settings cannot change: organisers are sent back to the round.
    Expect("case_review:round_edit", {"*": 403, "legal_reviewer": 302, "administrator": 302}, kwargs=ROUND),
    Expect("case_review:grading", MANAGE, kwargs=ROUND),
    Expect("case_review:results", MANAGE, kwargs=ROUND),
    Expect("case_review:results_export", MANAGE, kwargs=ROUND),
    # Still open: publishing is refused with a message (a redirect), others get 403.
    Expect("case_review:publish", {"*": 403, "legal_reviewer": 302, "administrator": 302}, kwargs=ROUND, method="post"),
    Expect("case_review:grade", MANAGE, kwargs=R),
]
