"""Factories for case-review rotations: files with a typed document and a planted key."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from assessments.case_review import services
from assessments.case_review.models import (
    CaseDocument,
    CaseFile,
    CaseKind,
    CaseReview,
    Conclusion,
    DefectType,
    KeyDefect,
    ReviewRound,
)
from tests.factories.officers import OfficerFactory, UnitFactory

_PDF_CACHE: dict[int, tuple[str, str, int]] = {}


class DefectTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefectType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"瑕疵类型{n}")


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseFile

    title = factory.Sequence(lambda n: f"张某某盗窃案{n}")
    kind = CaseKind.CRIMINAL
    unit = factory.SubFactory(UnitFactory)
    summary = "2026年3月，张某某在超市盗窃财物，价值人民币三千元。"
    correct_conclusion = Conclusion.RETURN
    conclusion_explanation = "证据存在瑕疵，应退回补正。"


def pdf_bytes(pages: int) -> bytes:
    """A plain A4 PDF of `pages` blank pages (fast; WeasyPrint is kept for the demo)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf(pages: int) -> tuple[str, str]:
    """A stored PDF of `pages` pages, shared by the documents of a test session."""
    from assessments.case_review import documents
    from officers.private_files import private_storage

    cached = _PDF_CACHE.get(pages)
    if cached is None or not private_storage.exists(cached[0]):
        name, digest = documents.pdf_store(data=pdf_bytes(pages), title="")
        cached = _PDF_CACHE[pages] = (name, digest, pages)
    return cached[0], cached[1]


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    """A document whose stored PDF is shared (rendered once per session), with `page_count` pages."""

    class Meta:
        model = CaseDocument

    case_file = factory.SubFactory(CaseFileFactory)
    title = factory.Sequence(lambda n: f"询问笔录{n}")
    page_count = 2

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        name, digest = _pdf(kwargs["page_count"])
        document = model_class(*args, digest=digest, **kwargs)
        document.pdf.name = name
        document.save()
        return document


class KeyDefectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyDefect

    case_file = factory.SubFactory(CaseFileFactory)
    defect_type = factory.SubFactory(DefectTypeFactory)
    document = factory.LazyAttribute(lambda o: CaseDocumentFactory(case_file=o.case_file))
    page = 1
    weight = Decimal(1)
    description = "询问笔录未记载询问起止时间。"
    legal_basis = "《公安机关办理刑事案件程序规定》第二百零三条"
    explanation = "笔录应当载明起止时间。"


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """A round opening in an hour and closing in a week (not released)."""

    class Meta:
        model = ReviewRound
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"2026年第{n}轮案件审核轮测")
    opens_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(days=7))
    files_per_reviewer = 1

    @factory.post_generation
    def files(self, create, extracted, **kwargs):
        if create and extracted:
            self.files.set(extracted)


class CaseReviewFactory(factory.django.DjangoModelFactory):
    """A stored assignment row, without the solver (for reads and pages built by hand)."""

    class Meta:
        model = CaseReview

    round = factory.SubFactory(ReviewRoundFactory)
    reviewer = factory.SubFactory(OfficerFactory)
    case_file = factory.SubFactory(CaseFileFactory)


def released_round(*, reviewers, files, opens_at=None, closes_at=None, per_reviewer=1, by=None, seed=7):
    """A round of these files for the officers of the reviewers' units, assigned and released;
    then its window moved to the times asked (a release needs a window still to come)."""
    now = timezone.now()
    opens_at = opens_at or now - dt.timedelta(hours=1)
    closes_at = closes_at or opens_at + dt.timedelta(days=7)
    round = ReviewRoundFactory(opens_at=now + dt.timedelta(minutes=1) if opens_at <= now else opens_at,
                               closes_at=max(closes_at, now + dt.timedelta(minutes=2)), files=files,
                               files_per_reviewer=per_reviewer)
    round.audience_units.set({r.unit_id for r in reviewers})
    plan = services.round_assign(round=round, seed=seed)
    assert plan.feasible, plan.problems
    services.round_release(round=round, by=by)
    ReviewRound.objects.filter(pk=round.pk).update(opens_at=opens_at, closes_at=closes_at)
    round.refresh_from_db()
    return round
