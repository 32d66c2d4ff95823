"""Reads of the question bank as trainers keep it: versions and where each was used, subtrees,
the pickers' searches. Apart from selectors.py (sittings and results) for length."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import (
    OPTION_LETTERS,
    Category,
    QuestionType,
    QuestionVersion,
    SittingQuestion,
    key_letters,
)


@dataclass
class VersionChange:
    """One field that differs from the previous version, in words."""

    label: str
    old: str
    new: str


@dataclass
class QuizUse:
    quiz_id: int
    title: str
    sittings: int


@dataclass
class VersionUse:
    """A version of a question, what changed since the one before, and which tests and sittings showed it."""

    version: QuestionVersion
    sittings: int = 0
    quizzes: list[QuizUse] = field(default_factory=list)
    changes: list[VersionChange] = field(default_factory=list)

    @property
    def pk(self):
        return self.version.pk

    @property
    def number(self):
        return self.version.number


def _version_texts(version: QuestionVersion, categories: dict[int, str]) -> dict[str, tuple[str, str]]:
    texts = {
        "category": (_("Category"), categories.get(version.category_id, "")),
        "type": (pgettext("question", "Type"), str(QuestionType(version.type).label) if version.type in QuestionType.values else version.type),
        "difficulty": (_("Difficulty"), version.get_difficulty_display()),
        "stem": (_("Question"), version.stem),
    }
    if version.type not in (QuestionType.TRUE_FALSE, QuestionType.ESSAY):
        for i, letter in enumerate(OPTION_LETTERS):
            texts[f"option_{letter}"] = (_("Option %(letter)s") % {"letter": letter},
                                         version.options[i] if i < len(version.options) else "")
    texts["key"] = (_("Answer"), "" if version.type == QuestionType.ESSAY else key_letters(version.type, version.key))
    texts["reference_answer"] = (_("Reference answer"), version.reference_answer)
    texts["explanation"] = (_("Explanation"), version.explanation)
    texts["legal_basis"] = (_("Legal basis"), version.legal_basis)
    return texts


def question_versions(*, question) -> list[VersionUse]:
    """Every version of a question, newest first, each with its differences from the one before
    and the tests and sittings that showed it (three queries whatever the number of versions)."""
    versions = list(QuestionVersion.objects.filter(question=question).order_by("number"))
    categories = {c.pk: c.full_name for c in Category.objects.select_related("parent__parent").filter(
        pk__in={v.category_id for v in versions})}
    uses = (
        SittingQuestion.objects.filter(version__question=question)
        .values("version_id", "sitting__quiz_id", "sitting__quiz__title")
        .annotate(sittings=Count("sitting_id", distinct=True))
        .order_by("version_id", "sitting__quiz_id")
    )
    by_version: dict[int, list[QuizUse]] = {}
    for use in uses:
        by_version.setdefault(use["version_id"], []).append(
            QuizUse(use["sitting__quiz_id"], use["sitting__quiz__title"], use["sittings"]))
    rows, previous = [], None
    for version in versions:
        row = VersionUse(version, quizzes=by_version.get(version.pk, []))
        row.sittings = sum(q.sittings for q in row.quizzes)
        texts = _version_texts(version, categories)
        if previous is not None:
            row.changes = [
                VersionChange(label, previous.get(key, ("", ""))[1], new)
                for key, (label, new) in texts.items() if previous.get(key, ("", ""))[1] != new
            ]
        previous = texts
        rows.append(row)
    return rows[::-1]


def versions_shown(*, question, exclude=None) -> list[VersionUse]:
    """The versions of a question that sittings showed, oldest first, with their sitting counts."""
    counts = (
        QuestionVersion.objects.filter(question=question)
        .annotate(sittings=Count("sitting_questions__sitting", distinct=True))
        .filter(sittings__gt=0).order_by("number")
    )
    if exclude is not None:
        counts = counts.exclude(pk=exclude.pk)
    return [VersionUse(v, sittings=v.sittings) for v in counts]


def category_subtree_ids(*, category_id: int) -> list[int]:
    """A category and everything beneath it (one prefix match on the materialised path)."""
    path = Category.objects.filter(pk=category_id).values_list("path", flat=True).first()
    if not path:
        return [category_id]
    return list(Category.objects.filter(Q(path__startswith=path) | Q(pk=category_id)).values_list("pk", flat=True))


@dataclass
class RetirementImpact:
    """A test still open (or yet to open) that retiring a question would harm, and how."""

    quiz_id: int
    title: str
    reason: str

    def __str__(self):
        return f"《{self.title}》：{self.reason}"


def retirement_impact(*, question, now=None) -> list[RetirementImpact]:
    """The tests not yet closed that could no longer be drawn, or would lose a fixed question,
    if this active question were retired (the trainer is warned and decides)."""
    from django.utils import timezone

    from .models import BlueprintRow, FixedQuestion, QuestionStatus, Quiz
    from .services import blueprint_shortfalls

    if question.pk is None or question.status != QuestionStatus.ACTIVE:
        return []
    now = now or timezone.now()
    path = Category.objects.filter(pk=question.category_id).values_list("path", flat=True).first() or ""
    ancestors = [int(p) for p in path.split("/") if p]
    quizzes = (
        Quiz.objects.filter(closes_at__gt=now)
        .filter(Q(blueprint_rows__category_id__in=ancestors) | Q(fixed_questions__question=question))
        .distinct().order_by("opens_at", "pk")
    )
    impacts = []
    for quiz in quizzes:
        fixed_ids = list(FixedQuestion.objects.filter(quiz=quiz).values_list("question_id", flat=True))
        if question.pk in fixed_ids:
            impacts.append(RetirementImpact(quiz.pk, quiz.title, _(
                "a fixed question of this test: it would be left out of every paper drawn from now on")))
            continue
        rows = list(BlueprintRow.objects.filter(quiz=quiz))
        if blueprint_shortfalls(rows=rows, fixed_question_ids=fixed_ids):
            continue  # already short without this retirement: not this question's doing
        short = blueprint_shortfalls(rows=rows, fixed_question_ids=fixed_ids,
                                     leaving=(question.category_id, question.difficulty))
        if short:
            impacts.append(RetirementImpact(quiz.pk, quiz.title, _(
                "its papers could no longer be drawn (%(shortfall)s); officers would meet "
                "“the bank cannot make up this paper”") % {"shortfall": "；".join(str(s) for s in short)}))
    return impacts
