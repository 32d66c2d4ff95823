"""Reads of the assessments app, and the access rules built on them."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import (
    OPTION_LETTERS,
    Category,
    Counting,
    EssayMark,
    MarkStage,
    QuestionType,
    QuestionVersion,
    Quiz,
    ReviewPolicy,
    Sitting,
    SittingQuestion,
    SittingStatus,
)
from .services import quiz_is_open_to, quiz_window_for


def can_manage_tests(officer) -> bool:
    """Trainers (and administrators) manage the bank and tests and see every result."""
    return officer.is_authenticated and officer.has_perm("assessments.change_quiz")


def quizzes_for_officer(*, officer, now=None) -> list[dict]:
    """Tests open to the officer now or soon, with their sittings."""
    now = now or timezone.now()
    quizzes = list(
        Quiz.objects.filter(Q(closes_at__gt=now - timezone.timedelta(days=90)) | Q(sittings__officer=officer))
        .distinct().prefetch_related("audience_units").order_by("-closes_at")
    )
    mine = defaultdict(list)
    for sitting in Sitting.objects.filter(officer=officer, quiz__in=quizzes).order_by("attempt"):
        mine[sitting.quiz_id].append(sitting)
    overrides = {o.quiz_id: o for o in officer_overrides(officer=officer, quiz_ids=[q.pk for q in quizzes])}
    items = []
    for quiz in quizzes:
        if not quiz_is_open_to(quiz=quiz, officer=officer) and not mine[quiz.pk]:
            continue
        opens, closes, attempts, extra = quiz_window_for(quiz=quiz, officer=officer, override=overrides.get(quiz.pk))
        sittings = mine[quiz.pk]
        in_progress = next((s for s in sittings if s.status == SittingStatus.IN_PROGRESS), None)
        items.append({
            "quiz": quiz, "opens": opens, "closes": closes, "attempts_allowed": attempts,
            "sittings": sittings, "in_progress": in_progress,
            "is_open": opens <= now < closes,
            "can_start": opens <= now < closes and (in_progress is not None or len(sittings) < attempts),
            "extra_minutes": extra,
        })
    return items


def officer_overrides(*, officer, quiz_ids):
    from .models import QuizOverride

    return QuizOverride.objects.filter(officer=officer, quiz_id__in=quiz_ids)


def quiz_for_officer(*, quiz_id: int, officer) -> Quiz:
    quiz = Quiz.objects.filter(pk=quiz_id).prefetch_related("audience_units").first()
    if quiz is None:
        raise Http404
    if not (can_manage_tests(officer) or quiz_is_open_to(quiz=quiz, officer=officer)
            or Sitting.objects.filter(quiz=quiz, officer=officer).exists()):
        raise Http404
    return quiz


def sitting_for_officer(*, sitting_id: int, officer) -> Sitting:
    """The sitting if it is the officer's own (or the officer manages tests); else 404."""
    sitting = Sitting.objects.select_related("quiz", "officer__unit").filter(pk=sitting_id).first()
    if sitting is None or (sitting.officer_id != officer.pk and not can_manage_tests(officer)):
        raise Http404
    return sitting


def sitting_paper(*, sitting: Sitting, positions: list[int] | None = None) -> list[SittingQuestion]:
    """The paper (or the questions at `positions`) with each question's version, in the order shown."""
    paper = sitting.paper.select_related("version", "version__category")
    if positions is not None:
        paper = paper.filter(position__in=positions)
    return list(paper)


SECTION_TITLES = {
    QuestionType.SINGLE: gettext_lazy("Single-choice questions"),
    QuestionType.MULTIPLE: gettext_lazy("Multiple-choice questions"),
    QuestionType.TRUE_FALSE: gettext_lazy("True/false questions"),
    QuestionType.ESSAY: gettext_lazy("Short-answer questions"),
}
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass
class PaperSection:
    """A section of a paper (一、单项选择题（共10题，每题2分，共20分）) and where it starts."""

    number: int
    type: str
    first_position: int
    count: int = 0
    total: Decimal = Decimal(0)
    each: Decimal | None = None  # the points of every question, when they are all the same

    @property
    def heading(self) -> str:
        numeral = CHINESE_NUMERALS[self.number - 1] if get_language().startswith("zh") and self.number <= 10 else str(self.number)
        return _("%(number)s. %(title)s") % {"number": numeral, "title": SECTION_TITLES[self.type]}

    @property
    def summary(self) -> str:
        values = {"count": self.count, "total": _plain(self.total), "each": _plain(self.each)}
        if self.each is not None:
            return _("(%(count)s questions, %(each)s points each, %(total)s points in all)") % values
        return _("(%(count)s questions, %(total)s points in all)") % values


def _plain(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def paper_sections(*, sitting: Sitting) -> list[PaperSection]:
    """The paper's sections by question type, in the order shown (one query, no content).

    A paper drawn before papers were sectioned mixes its types: it has no sections
    (an empty list) and is shown as it was drawn.
    """
    sections: list[PaperSection] = []
    order = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE, QuestionType.ESSAY]
    for position, kind, points in sitting.paper.order_by("position").values_list("position", "version__type", "points"):
        if not sections or sections[-1].type != kind:
            if sections and order.index(kind) < order.index(sections[-1].type):
                return []
            sections.append(PaperSection(len(sections) + 1, kind, position, each=points))
        section = sections[-1]
        section.count += 1
        section.total += points
        if section.each != points:
            section.each = None
    return sections


def paper_navigation(*, sitting: Sitting) -> list[dict]:
    """Per question of the paper, in order: answered and flagged (for the navigator; no content)."""
    return [
        {"answered": bool(choice) or bool((text or "").strip()), "flagged": flagged}
        for choice, text, flagged in sitting.paper.order_by("position").values_list("choice", "text", "flagged")
    ]


def paper_revisions(*, sitting: Sitting) -> dict[int, int]:
    """Per position, the revision of the answer the server keeps: an answer a device still holds
    with a higher one never reached it."""
    return dict(sitting.paper.values_list("position", "revision"))


def paper_options(item: SittingQuestion) -> list[tuple[int, str, int]]:
    """(position shown, text, authored index) in the order the officer sees them."""
    options = item.version.options
    if item.version.type == QuestionType.TRUE_FALSE:
        # Labels follow the reader's language, whatever language the version was stored in.
        options = [_("True"), _("False")]
    return [(position, options[index], index) for position, index in enumerate(item.option_order)]


def attempts_left(*, sitting: Sitting, now=None) -> bool:
    """Whether the sitting's officer may still sit this test again (overrides included)."""
    from .models import QuizOverride

    now = now or timezone.now()
    quiz = sitting.quiz
    override = QuizOverride.objects.filter(quiz=quiz, officer_id=sitting.officer_id).first()
    opens, closes, allowed, _extra = quiz_window_for(quiz=quiz, officer=sitting.officer, override=override)
    if now >= closes:
        return False
    return Sitting.objects.filter(quiz=quiz, officer_id=sitting.officer_id).count() < allowed


def review_allowed(*, sitting: Sitting, officer, now=None) -> bool:
    """Whether the key (✓ on the right options, explanations, legal basis, reference
    answers, per-question marks) may be shown for this sitting.

    Never while the sitting runs, nor while its officer has an attempt left (the
    key would be learnt for the next one). "After the test closes" waits for the
    last officer's close, later closes granted by overrides included; "right after
    submitting" is the trainer's explicit choice for a practice test. Trainers
    always see it.
    """
    if sitting.status == SittingStatus.IN_PROGRESS:
        return False
    if can_manage_tests(officer):
        return True
    now = now or timezone.now()
    policy = sitting.quiz.review_policy
    if policy == ReviewPolicy.IMMEDIATELY:
        return not attempts_left(sitting=sitting, now=now)
    if policy == ReviewPolicy.AFTER_CLOSE:
        # Not before the last officer's window closes: one on leave with a later close may still be sitting.
        return now >= quiz_last_close(quiz=sitting.quiz)
    return False


def review_withheld_reason(*, sitting: Sitting, now=None) -> str:
    """Why the officer does not see the key yet, in words for the result page."""
    policy = sitting.quiz.review_policy
    if policy == ReviewPolicy.NEVER:
        return _("This test does not show correct answers.")
    if policy == ReviewPolicy.IMMEDIATELY and attempts_left(sitting=sitting, now=now):
        return _("Correct answers and explanations are shown once you have no attempt left at this test.")
    return _("Correct answers and explanations are shown after the test closes.")


def publish_warnings(*, quiz: Quiz, now=None) -> list[str]:
    """Why publishing the results now may be premature (the trainer confirms or waits)."""
    now = now or timezone.now()
    counts = dict(
        quiz.sittings.filter(status__in=[SittingStatus.IN_PROGRESS, SittingStatus.MARKING])
        .values_list("status").annotate(n=Count("id"))
    )
    warnings = []
    last_close = quiz_last_close(quiz=quiz)
    if now < last_close:
        warnings.append(_("The test is still open until %(close)s (later closes for individual officers included): "
                          "results may still change.") % {"close": timezone.localtime(last_close).strftime("%Y-%m-%d %H:%M")})
    if counts.get(SittingStatus.IN_PROGRESS):
        warnings.append(_("%(count)s sitting(s) are still in progress.") % {"count": counts[SittingStatus.IN_PROGRESS]})
    if counts.get(SittingStatus.MARKING):
        warnings.append(_("%(count)s sitting(s) await essay marking: those officers are listed as awaiting marking.")
                        % {"count": counts[SittingStatus.MARKING]})
    return warnings


def quiz_last_close(*, quiz: Quiz):
    """When the test closes for the last officer, later closes granted by overrides included."""
    from .models import QuizOverride

    latest = QuizOverride.objects.filter(quiz=quiz).aggregate(latest=Max("closes_at"))["latest"]
    return max(quiz.closes_at, latest) if latest else quiz.closes_at


@dataclass
class CategoryScore:
    category: str
    questions: int
    score: Decimal | None  # None: withheld until the key may be shown, or awaiting marking
    points: Decimal | None
    pending: bool = False  # an essay of this domain awaits marking: no score yet

    @property
    def percent(self):
        return round(self.score * 100 / self.points, 1) if self.points and self.score is not None else None


def _root_names() -> dict[int, str]:
    """Each category's top-level legal domain, by category id."""
    categories = {c.pk: c for c in Category.objects.only("id", "name", "path")}
    by_path = {c.path: c.name for c in categories.values()}
    return {cid: by_path.get(c.path.split("/", 1)[0] + "/", c.name) for cid, c in categories.items()}


def sitting_category_breakdown(*, sitting: Sitting, review: bool = True) -> list[CategoryScore]:
    """How the officer did in each legal domain (top-level category).

    Before the key may be shown (`review` False), a domain holding a single
    question would tell that question's right or wrong, and with the total
    score any one hidden domain could be worked out from the others: so then
    every domain shows its number of questions only (score None).
    """
    scores = _category_scores(sitting.paper.all())
    if not review and any(c.questions < 2 for c in scores):
        for c in scores:
            c.score = c.points = None
    for c in scores:
        if c.pending:  # an unmarked essay is no 0: the domain has no score until it is marked
            c.score = None
    return scores


def _category_scores(paper_questions) -> list[CategoryScore]:
    """Sum points and scores of paper questions per top-level category, in one query."""
    roots = _root_names()
    totals: dict[str, CategoryScore] = {}
    rows = paper_questions.values("version__category_id").annotate(
        n=Count("id"), s=Sum("score"), p=Sum("points"), unmarked=Count("id", filter=Q(score__isnull=True)),
    )
    for row in rows:
        name = roots.get(row["version__category_id"], "")
        entry = totals.setdefault(name, CategoryScore(name, 0, Decimal(0), Decimal(0)))
        entry.questions += row["n"]
        entry.score += row["s"] or 0
        entry.points += row["p"] or 0
        entry.pending = entry.pending or bool(row["unmarked"])
    return sorted(totals.values(), key=lambda c: c.category)


@dataclass
class ResultRow:
    """An officer's counted result; `pending` while the counted attempt awaits essay marking."""

    officer_id: int
    name: str
    police_number: str
    unit: str
    attempts: int
    score: Decimal | None
    max_score: Decimal
    passed: bool | None
    rank: int | None = None
    sitting_ids: list[int] = field(default_factory=list)
    pending: bool = False

    @property
    def percent(self):
        if self.score is None:
            return None
        return round(self.score * 100 / self.max_score, 1) if self.max_score else Decimal(0)


def _counted(sittings: list[Sitting], counting: str) -> tuple[Decimal | None, Decimal]:
    """(score, max score) of what counts; score None while that is not known yet.

    First and last choose by attempt number, whether or not that attempt is
    marked yet: a later final attempt never stands in for a first one still
    awaiting marking. Highest and average need every attempt marked.
    """
    ordered = sorted(sittings, key=lambda s: s.attempt)
    if counting in (Counting.FIRST, Counting.LAST):
        chosen = ordered[0] if counting == Counting.FIRST else ordered[-1]
        return (chosen.score if chosen.status == SittingStatus.FINAL else None), chosen.max_score
    if any(s.status != SittingStatus.FINAL for s in ordered):
        return None, ordered[-1].max_score
    if counting == Counting.AVERAGE:
        n = len(ordered)
        return (sum((s.score for s in ordered), Decimal(0)) / n).quantize(Decimal("0.01")), ordered[-1].max_score
    chosen = max(ordered, key=lambda s: (s.score * 100 / s.max_score if s.max_score else 0, -s.attempt))
    return chosen.score, chosen.max_score


def rank_with_ties(values: list) -> list[int]:
    """Competition ranks of values already sorted best first: 1, 2, 2, 4."""
    ranks, previous = [], object()
    for index, value in enumerate(values, start=1):
        ranks.append(ranks[-1] if value == previous else index)
        previous = value
    return ranks


def quiz_results(*, quiz: Quiz) -> list[ResultRow]:
    """Each officer's counted result for the test, ranked (ties share a rank). One query.

    Handed-in sittings awaiting marking take part in choosing the counted
    attempt; an officer whose counted result is not known yet is listed as
    pending after the ranked officers, without rank.
    """
    by_officer: dict[int, list[Sitting]] = defaultdict(list)
    officers = {}
    sittings = (
        Sitting.objects.filter(quiz=quiz, status__in=[SittingStatus.FINAL, SittingStatus.MARKING])
        .select_related("officer__unit").only(
            "id", "officer_id", "attempt", "status", "score", "max_score", "officer__name",
            "officer__police_number", "officer__unit__name", "officer", "officer__unit",
        )
    )
    for sitting in sittings:
        by_officer[sitting.officer_id].append(sitting)
        officers[sitting.officer_id] = sitting.officer
    rows = []
    for officer_id, mine in by_officer.items():
        score, max_score = _counted(mine, quiz.counting)
        officer = officers[officer_id]
        pending = score is None
        percent = None if pending else (score * 100 / max_score if max_score else 0)
        rows.append(ResultRow(
            officer_id, officer.name, officer.police_number, officer.unit.name if officer.unit else "",
            len(mine), score, max_score, None if pending else percent >= quiz.pass_mark,
            sitting_ids=[s.pk for s in sorted(mine, key=lambda s: s.attempt)], pending=pending,
        ))
    ranked = sorted((r for r in rows if not r.pending), key=lambda r: (-r.percent, r.police_number))
    for row, rank in zip(ranked, rank_with_ties([r.percent for r in ranked]), strict=True):
        row.rank = rank
    return ranked + sorted((r for r in rows if r.pending), key=lambda r: r.police_number)


@dataclass
class UnitSummary:
    unit: str
    officers: int  # officers who sat (handed in)
    average: Decimal | None  # None: nobody of the unit sat
    passed: int
    absent: int = 0  # in the audience, never sat (缺考)

    @property
    def pass_rate(self):
        return round(self.passed * 100 / self.officers, 1) if self.officers else 0


def quiz_unit_summary(*, rows: list[ResultRow], absentees: list | None = None) -> list[UnitSummary]:
    """Per unit: officers who sat, their average and passes, and (given the absentees) who never sat."""
    groups: dict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        if not row.pending:
            groups[row.unit].append(row)
    absent: dict[str, int] = defaultdict(int)
    for absentee in absentees or []:
        absent[absentee.unit] += 1
    summary = [
        UnitSummary(unit, len(rs), round(sum(r.percent for r in rs) / len(rs), 1), sum(1 for r in rs if r.passed),
                    absent.pop(unit, 0))
        for unit, rs in groups.items()
    ]
    summary.extend(UnitSummary(unit, 0, None, 0, n) for unit, n in absent.items())
    return sorted(summary, key=lambda u: (u.average is None, -(u.average or 0), u.unit))


@dataclass
class Absentee:
    officer_id: int
    name: str
    police_number: str
    unit: str


def quiz_absentees(*, quiz: Quiz) -> list[Absentee]:
    """Who is in the test's audience (active officers, as it stands now) and never sat it (缺考),
    by unit and police number. An officer with a sitting in progress has sat.

    Trainers and administrators run the tests rather than sit them: they are not
    counted absent unless the test's audience names the trainer role.
    """
    from officers.roles import Role

    from .audience import audience_officers

    officers = audience_officers(subject=quiz).exclude(pk__in=Sitting.objects.filter(quiz=quiz).values("officer_id"))
    if Role.TRAINER not in (quiz.audience_roles or []):
        officers = officers.exclude(groups__name__in=[Role.TRAINER, Role.ADMINISTRATOR])
    officers = (
        officers.select_related("unit").only("id", "name", "police_number", "unit__name", "unit")
        .order_by("unit__name", "police_number")
    )
    return [Absentee(o.pk, o.name, o.police_number, o.unit.name if o.unit else "") for o in officers]


def quiz_category_summary(*, quiz: Quiz) -> list[CategoryScore]:
    """Scores per legal domain over every final sitting of the test."""
    return _category_scores(
        SittingQuestion.objects.filter(sitting__quiz=quiz, sitting__status=SittingStatus.FINAL)
    )


@dataclass
class OptionCount:
    """How many answers chose one option of a question version (which distractor draws them)."""

    letter: str
    text: str
    count: int
    share: float
    is_key: bool
    is_lure: bool = False  # the wrong option chosen most (by at least one answer)


@dataclass
class ItemStatistic:
    question_id: int
    version_id: int | None
    version_number: int
    stem: str
    type: str  # the type's label
    type_code: str
    category: str
    sittings: int
    facility: float | None
    discrimination: float | None
    options: list[OptionCount] = field(default_factory=list)
    unanswered: int = 0
    flags: list[str] = field(default_factory=list)  # what deserves a look, in words; empty when nothing does

    @property
    def key_letters(self) -> str:
        return "".join(o.letter for o in self.options if o.is_key)


# Below this many first sittings a question's discrimination is noise, and is not shown.
MIN_SITTINGS_FOR_DISCRIMINATION = 5
# An item is flagged only from this many answers on: below it one officer's slip decides the figures.
MIN_ANSWERS_FOR_FLAGS = 10
# Below this discrimination (with enough answers and a facility away from 0 and 1) an item is flagged.
LOW_DISCRIMINATION = 0.2
# Facility outside this band says the item is very easy or very hard; its discrimination cannot be high then.
FACILITY_BAND = (0.1, 0.9)


def _item_flags(stat: ItemStatistic) -> list[str]:
    """What a trainer should look at, only where the figures mean something."""
    if stat.sittings < MIN_ANSWERS_FOR_FLAGS:
        return []
    flags = []
    key_count = max((o.count for o in stat.options if o.is_key), default=0)
    lure = next((o for o in stat.options if o.is_lure), None)
    if stat.type_code == QuestionType.SINGLE and lure and lure.count > key_count:
        flags.append(_("Option %(letter)s draws more answers than the key: check the key.") % {"letter": lure.letter})
    low, high = FACILITY_BAND
    if (stat.discrimination is not None and stat.discrimination < LOW_DISCRIMINATION
            and low <= stat.facility <= high):
        flags.append(_("Low discrimination: stronger and weaker officers answer it alike."))
    return flags


def item_statistics(*, quiz: Quiz) -> list[ItemStatistic]:
    """Facility, discrimination and per-option answer counts of each question version the
    test showed, from officers' first handed-in (final) sittings only.

    Facility: the mean share of the marks scored. Discrimination: among the
    sittings that had the item, ranked by their whole-paper percentage, the
    facility of the top 27% minus that of the bottom 27% (at least one each).
    Figures are per version (options and key are the version's), so a key
    correction from here corrects the version officers saw. An item is flagged
    only when its figures mean something (at least ten answers; no flag for an
    item everyone answered right or wrong).
    """
    items = list(
        SittingQuestion.objects.filter(sitting__quiz=quiz, sitting__attempt=1, sitting__status=SittingStatus.FINAL)
        .values("version_id", "score", "points", "choice", "text", "sitting__score", "sitting__max_score")
    )
    by_version: dict[int, list[dict]] = defaultdict(list)
    for item in items:
        by_version[item["version_id"]].append(item)
    versions = {
        v.pk: v for v in QuestionVersion.objects.filter(pk__in=list(by_version)).select_related("category")
    }
    stats = []
    for version_id, answers in by_version.items():
        version = versions[version_id]
        pairs = [(float(a["sitting__score"] or 0) / float(a["sitting__max_score"] or 1),
                  float(a["score"] or 0) / float(a["points"] or 1)) for a in answers]
        n = len(pairs)
        facility = sum(s for _t, s in pairs) / n
        discrimination = None
        if n >= MIN_SITTINGS_FOR_DISCRIMINATION:
            ordered = sorted(pairs, key=lambda p: p[0], reverse=True)
            k = max(1, math.ceil(n * 0.27))
            top, bottom = ordered[:k], ordered[-k:]
            discrimination = sum(s for _t, s in top) / k - sum(s for _t, s in bottom) / k
        options, unanswered = [], 0
        if version.type != QuestionType.ESSAY:
            texts = [_("True"), _("False")] if version.type == QuestionType.TRUE_FALSE else version.options
            counts = [0] * len(texts)
            for a in answers:
                if not a["choice"]:
                    unanswered += 1
                for index in a["choice"]:
                    if 0 <= index < len(counts):
                        counts[index] += 1
            letters = [str(t) for t in texts] if version.type == QuestionType.TRUE_FALSE else list(OPTION_LETTERS)
            options = [OptionCount(letters[i], str(texts[i]), counts[i], round(counts[i] / n, 3), i in version.key)
                       for i in range(len(texts))]
            wrong = [o for o in options if not o.is_key and o.count]
            if wrong:
                max(wrong, key=lambda o: o.count).is_lure = True
        else:
            unanswered = sum(1 for a in answers if not (a["text"] or "").strip())
        stat = ItemStatistic(
            version.question_id, version_id, version.number, version.stem, str(QuestionType(version.type).label),
            version.type, version.category.name, n, round(facility, 3),
            None if discrimination is None else round(discrimination, 3), options, unanswered,
        )
        stat.flags = _item_flags(stat)
        stats.append(stat)
    return sorted(stats, key=lambda s: (not s.flags, s.discrimination if s.discrimination is not None else 9, s.facility))


def item_statistics_rows(*, stats: list[ItemStatistic]) -> list[list]:
    """The statistics as sheet rows (the header is `ITEM_STATISTICS_HEADER`)."""
    rows = []
    for s in stats:
        by_letter = {o.letter: o.count for o in s.options}
        rows.append([
            s.question_id, s.version_number, s.type, s.category, s.stem, s.sittings, s.facility, s.discrimination,
            s.key_letters or None, *[by_letter.get(letter) for letter in (_("True"), _("False"), *OPTION_LETTERS)],
            s.unanswered, "；".join(s.flags) or None,
        ])
    return rows


def item_statistics_header() -> list[str]:
    return [
        _("Question id"), _("Version"), _("Type"), _("Category"), _("Question"), _("Answers"), _("Facility"),
        _("Discrimination"), _("Key"), _("True"), _("False"), *OPTION_LETTERS, _("Not answered"), _("To check"),
    ]


def marking_queue(*, quiz_id: int | None = None):
    """Essay answers waiting for a mark (a first, a second or a senior marker's), oldest handed-in first."""
    queue = (
        SittingQuestion.objects.filter(version__type=QuestionType.ESSAY, score__isnull=True)
        .exclude(sitting__status=SittingStatus.IN_PROGRESS)
        .select_related("sitting__quiz", "sitting__officer__unit", "version")
        .prefetch_related("marks")
        .order_by("sitting__submitted_at", "position")
    )
    if quiz_id:
        queue = queue.filter(sitting__quiz_id=quiz_id)
    return queue


def marking_needed(item: SittingQuestion) -> str:
    """What an unmarked essay answer waits for, in words (its marks prefetched)."""
    from .services import essay_marks_current

    current = essay_marks_current(item.marks.all())
    if not current:
        return _("First mark")
    if item.sitting.quiz.double_marking and MarkStage.SECOND not in current:
        return _("Second mark (by another marker)")
    return _("Resolution by a senior marker")


def marks_recent(*, limit: int = 50):
    """The latest marks given, newest first, for re-marking from the marking page."""
    return (
        EssayMark.objects.select_related("by", "item__sitting__quiz", "item__sitting__officer__unit", "item__version")
        .order_by("-at", "-id")[:limit]
    )


def item_marks_visible(*, item: SittingQuestion, officer) -> list:
    """The marks of an essay answer this marker may read (who, when, mark, comment), oldest first.

    With two markers, a marker who has not marked the answer yet does not see the
    other's mark (the second mark is independent); senior markers see every mark.
    """
    from .permissions import can_resolve_marks

    marks = list(item.marks.select_related("by"))
    if item.sitting.quiz.double_marking and not can_resolve_marks(officer) and all(
        m.by_id != officer.pk for m in marks
    ):
        return []
    return marks


def marker_sees_officer(*, quiz: Quiz) -> bool:
    """Whether essay markers see whose answer it is (not in a test marked blind)."""
    return not quiz.blind_marking


def quizzes_overview():
    """Every test with its sitting counts and its published version (or None), for trainers."""
    from publications.selectors import published_version_subquery

    return Quiz.objects.annotate(
        published_version=published_version_subquery(model=Quiz, kind="quiz_results"),
        sitting_count=Count("sittings", filter=~Q(sittings__status=SittingStatus.IN_PROGRESS), distinct=True),
        marking_count=Count("sittings", filter=Q(sittings__status=SittingStatus.MARKING), distinct=True),
    ).order_by("-opens_at")


def officer_progress(*, officer, now=None) -> list[CategoryScore]:
    """The officer's record per legal domain over every final sitting (django-quiz-app's Progress).

    Only tests closed for everyone count: a domain with one question in an open
    test would tell that question's right or wrong while colleagues still sit it.
    """
    from .models import QuizOverride

    now = now or timezone.now()
    roots = _root_names()
    totals: dict[str, CategoryScore] = {}
    still_open = Quiz.objects.filter(
        Q(closes_at__gt=now) | Q(pk__in=QuizOverride.objects.filter(closes_at__gt=now).values("quiz_id"))
    )
    rows = (
        SittingQuestion.objects.filter(sitting__officer=officer, sitting__status=SittingStatus.FINAL)
        .exclude(sitting__quiz__in=still_open)
        .values("version__category_id").annotate(n=Count("id"), s=Sum("score"), p=Sum("points"))
    )
    for row in rows:
        name = roots.get(row["version__category_id"], "")
        entry = totals.setdefault(name, CategoryScore(name, 0, Decimal(0), Decimal(0)))
        entry.questions += row["n"]
        entry.score += row["s"] or 0
        entry.points += row["p"] or 0
    return sorted(totals.values(), key=lambda c: (c.percent if c.percent is not None else 0))
