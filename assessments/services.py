"""Writes of the assessments app: the bank, sittings, grading, regrading, publication."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audience import audience_includes
from .models import (
    OPTION_LETTERS,
    BlueprintRow,
    Category,
    Difficulty,
    EssayMark,
    FixedQuestion,
    MarkStage,
    Navigation,
    PoolSize,
    Question,
    QuestionStatus,
    QuestionType,
    QuestionVersion,
    Quiz,
    Regrade,
    Sitting,
    SittingQuestion,
    SittingStatus,
    draw_slot_of,
)

# The order of a paper's sections, by question type.
PAPER_SECTION_ORDER = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE, QuestionType.ESSAY)
# Saves may arrive this long after the deadline (network latency, a last click).
DEADLINE_GRACE = dt.timedelta(seconds=10)
# The page counts an answer's saves in JavaScript's safe integers; the column holds 2**63 - 1.
MAX_REVISION = 2**53 - 1
# The longest essay answer kept (the answer box stops typing there).
ESSAY_ANSWER_MAX = 20000
CONTENT_FIELDS = (
    "type", "stem", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f",
    "answer", "reference_answer", "explanation", "legal_basis", "category_id", "difficulty",
)


class AssessmentError(Exception):
    """A rule of the test stops the action; the message is for the officer."""


# --- categories -------------------------------------------------------------


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category and keep its subtree's materialised paths right."""
    category.full_clean(exclude=["path"])
    if category.pk is None:
        category.save()
    old_path = category.path
    parent_path = Category.objects.get(pk=category.parent_id).path if category.parent_id else ""
    new_path = f"{parent_path}{category.pk:05d}/"
    if category.parent_id and parent_path.startswith(old_path) and old_path:
        raise ValidationError({"parent": _("A category cannot be moved under itself.")})
    category.path = new_path
    category.save()
    if old_path and old_path != new_path:
        for child in Category.objects.filter(path__startswith=old_path).exclude(pk=category.pk):
            child.path = new_path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    return category


def category_get_or_create_path(*, names: list[str], cache: dict | None = None) -> Category:
    """The category at a path of names (“刑事诉讼/强制措施”), created as needed."""
    cache = {} if cache is None else cache
    parent = None
    for depth in range(1, len(names) + 1):
        key = tuple(names[:depth])
        if key not in cache:
            found = Category.objects.filter(parent=parent, name=names[depth - 1]).first()
            cache[key] = found or category_save(category=Category(name=names[depth - 1], parent=parent))
        parent = cache[key]
    return parent


# --- questions and their pools --------------------------------------------------


def answer_parse(*, type: str, answer: str, options: list[str]) -> list[int]:
    """The key as option indexes, or ValidationError with the reason in words."""
    answer = (answer or "").strip().upper().replace(",", "").replace("，", "").replace(" ", "")
    if type == QuestionType.ESSAY:
        return []
    if type == QuestionType.TRUE_FALSE:
        truth = {"T": 0, "TRUE": 0, "对": 0, "正确": 0, "√": 0, "是": 0, "F": 1, "FALSE": 1, "错": 1, "错误": 1, "×": 1, "否": 1}
        if answer not in truth:
            raise ValidationError(_("A true/false answer must be “T” (true) or “F” (false)."))
        return [truth[answer]]
    if len(options) < 2:
        raise ValidationError(_("A choice question needs at least two options."))
    if not answer:
        raise ValidationError(_("The answer is empty."))
    key = []
    for letter in answer:
        index = OPTION_LETTERS.find(letter)
        if index < 0 or index >= len(options) or not options[index]:
            raise ValidationError(_("The answer “%(letter)s” is not among the options.") % {"letter": letter})
        if index not in key:
            key.append(index)
    if type == QuestionType.SINGLE and len(key) != 1:
        raise ValidationError(_("A single-choice question has exactly one answer, not %(count)s.") % {"count": len(key)})
    return sorted(key)


def question_validate(question: Question) -> list[int]:
    """Check a question's content; returns the key."""
    if not (question.stem or "").strip():
        raise ValidationError({"stem": _("The question text is empty.")})
    if question.type not in QuestionType.values:
        raise ValidationError({"type": _("Unknown question type.")})
    options = question.options
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE) and any(not o for o in options):
        raise ValidationError({"option_a": _("Options must be filled from A without gaps.")})
    try:
        return answer_parse(type=question.type, answer=question.answer, options=options)
    except ValidationError as error:
        raise ValidationError({"answer": error.messages}) from error


def _version_from(question: Question, key: list[int], number: int) -> QuestionVersion:
    return QuestionVersion(
        question=question, number=number, category_id=question.category_id, type=question.type,
        difficulty=question.difficulty, stem=question.stem, options=question.options, key=key,
        reference_answer=question.reference_answer, explanation=question.explanation,
        legal_basis=question.legal_basis,
    )


def _pool_lock(category_id: int, difficulty: str) -> PoolSize:
    pool, _created = PoolSize.objects.get_or_create(category_id=category_id, difficulty=difficulty)
    return PoolSize.objects.select_for_update().get(pk=pool.pk)


def _pool_remove_hole(category_id: int, difficulty: str, hole: int) -> None:
    """Close the gap a question left in its pool by moving the pool's last question into it."""
    pool = _pool_lock(category_id, difficulty)
    if hole != pool.size:
        Question.objects.filter(draw_slot=draw_slot_of(category_id, difficulty, pool.size)).update(
            pool_seq=hole, draw_slot=draw_slot_of(category_id, difficulty, hole))
    pool.size -= 1
    pool.save(update_fields=["size"])


@transaction.atomic
def question_create(*, question: Question) -> Question:
    """Add a question to the bank (version 1) and to its draw pool."""
    question.full_clean(exclude=["current_version", "pool_seq", "draw_slot"])
    key = question_validate(question)
    if question.status == QuestionStatus.ACTIVE:
        pool = _pool_lock(question.category_id, question.difficulty)
        pool.size += 1
        pool.save(update_fields=["size"])
        question.pool_seq = pool.size
    else:
        question.pool_seq = None
    question.draw_slot = draw_slot_of(question.category_id, question.difficulty, question.pool_seq) if question.pool_seq else None
    question.save()
    version = _version_from(question, key, 1)
    version.save()
    question.current_version = version
    question.save(update_fields=["current_version"])
    return question


@transaction.atomic
def question_update(*, question: Question) -> Question:
    """Save a trainer's edit. A version already shown in a sitting is never changed:
    the edit becomes a new version. Pool membership follows category, difficulty, status."""
    question.full_clean(exclude=["current_version", "pool_seq", "draw_slot"])
    key = question_validate(question)
    before = Question.objects.select_for_update().get(pk=question.pk)
    was_active = before.status == QuestionStatus.ACTIVE
    is_active = question.status == QuestionStatus.ACTIVE
    same_pool = (before.category_id, before.difficulty) == (question.category_id, question.difficulty)
    if is_active and (not was_active or not same_pool):
        pool = _pool_lock(question.category_id, question.difficulty)
        pool.size += 1
        pool.save(update_fields=["size"])
        question.pool_seq = pool.size
    elif not is_active:
        question.pool_seq = None
    else:
        question.pool_seq = before.pool_seq
    question.draw_slot = draw_slot_of(question.category_id, question.difficulty, question.pool_seq) if question.pool_seq else None
    question.save()
    if was_active and (not is_active or not same_pool):
        _pool_remove_hole(before.category_id, before.difficulty, before.pool_seq)

    content_changed = any(getattr(before, f) != getattr(question, f) for f in CONTENT_FIELDS)
    version = question.current_version
    if content_changed or version is None:
        used = version is not None and SittingQuestion.objects.filter(version=version).exists()
        if version is None or used:
            number = (question.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = _version_from(question, key, number)
            version.save()
            question.current_version = version
            question.save(update_fields=["current_version"])
        else:
            fresh = _version_from(question, key, version.number)
            fresh.pk, fresh.created_at = version.pk, version.created_at
            fresh.save()
            question.current_version = fresh
    return question


def question_retire(*, question: Question) -> Question:
    """Take a question out of future draws; sittings that showed it keep it."""
    question.status = QuestionStatus.RETIRED
    return question_update(question=question)


def question_in_use_message() -> str:
    return _(
        "This question has been used in sittings or is a fixed question of a test, so it cannot be "
        "deleted. Retire it instead (status “Retired”): it leaves future draws and past sittings keep it."
    )


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Delete a question nobody has been shown, closing the gap it leaves in its draw pool.

    A question shown in a sitting or fixed in a test is kept (sittings and
    appeals point at it): the trainer retires it instead.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if (SittingQuestion.objects.filter(question=question).exists()
            or FixedQuestion.objects.filter(question=question).exists()):
        raise AssessmentError(question_in_use_message())
    was_active, pool = question.status == QuestionStatus.ACTIVE, (question.category_id, question.difficulty, question.pool_seq)
    question.delete()
    if was_active:
        _pool_remove_hole(*pool)


# --- blueprints --------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    row: int
    category: str
    difficulty: str
    wanted: int
    available: int

    def __str__(self):
        difficulty = Difficulty(self.difficulty).label if self.difficulty in Difficulty.values else _("any difficulty")
        return _(
            "Blueprint row %(row)s (%(category)s, %(difficulty)s) asks for %(wanted)s questions "
            "but the bank has only %(available)s: %(missing)s short."
        ) % {
            "row": self.row, "category": self.category, "difficulty": difficulty,
            "wanted": self.wanted, "available": self.available, "missing": self.wanted - self.available,
        }


def questions_taught_in_lessons() -> set[int]:
    """Ids of the bank questions that a lesson's knowledge check uses (live or draft).

    A lesson marks its check once passed and shows the explanation: an officer
    can learn the answer there. So such a question is never drawn for a test
    (nor accepted as a fixed question): a test asks only what a lesson does not
    give away. Read from Wagtail's reference index, which every page save keeps.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    ids = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Question),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_object_id", flat=True)
    return {int(pk) for pk in ids if pk.isdigit()}


def _lesson_slots(exclude_ids=()) -> set[tuple[int, str, int]]:
    """Draw slots (category, difficulty, pool number) of active questions taught in lessons."""
    ids = questions_taught_in_lessons() - set(exclude_ids)
    if not ids:
        return set()
    return {
        (q["category_id"], q["difficulty"], q["pool_seq"])
        for q in Question.objects.filter(pk__in=ids, pool_seq__isnull=False).values("category_id", "difficulty", "pool_seq")
    }


def _slot_counts(slots) -> dict[tuple[int, str], int]:
    counts: dict[tuple[int, str], int] = {}
    for c, d, _seq in slots:
        counts[(c, d)] = counts.get((c, d), 0) + 1
    return counts


def _pools_by_category() -> tuple[dict[int, Category], dict[tuple[int, str], int]]:
    categories = {c.pk: c for c in Category.objects.only("id", "name", "path", "parent_id")}
    sizes = {(p.category_id, p.difficulty): p.size for p in PoolSize.objects.filter(size__gt=0)}
    return categories, sizes


def _row_pools(row, categories, sizes) -> list[tuple[int, str, int]]:
    if row.category_id not in categories:
        return []
    prefix = categories[row.category_id].path
    difficulties = [row.difficulty] if row.difficulty else Difficulty.values
    return [
        (cid, d, sizes[(cid, d)])
        for cid, c in categories.items() if c.path.startswith(prefix)
        for d in difficulties if sizes.get((cid, d))
    ]


def _allocate(needs: list[int], row_pools: list[list[tuple[int, str]]], capacity: dict) -> list[dict]:
    """How many questions each row takes from each pool, rows served in the order given.

    A maximum flow (rows → pools → capacity), grown one row at a time: each row
    gets as much as the pools can still give once the rows before it are served,
    moving earlier rows to other pools of theirs where that makes room. So a
    row's allocation falls short only if the bank truly cannot fill it.
    """
    flow: list[dict] = [{} for _ in needs]
    used = dict.fromkeys(capacity, 0)
    for i, need in enumerate(needs):
        while sum(flow[i].values()) < need:
            parent: dict = {("r", i): None}
            queue, found = [("r", i)], None
            while queue and found is None:
                node = queue.pop(0)
                if node[0] == "r":
                    for pool in row_pools[node[1]]:
                        if ("p", pool) in parent:
                            continue
                        parent[("p", pool)] = node
                        if used.get(pool, 0) < capacity.get(pool, 0):
                            found = ("p", pool)
                            break
                        queue.append(("p", pool))
                else:
                    for j, given in enumerate(flow):
                        if given.get(node[1], 0) > 0 and ("r", j) not in parent:
                            parent[("r", j)] = node
                            queue.append(("r", j))
            if found is None:
                break
            path, node = [], found
            while parent[node] is not None:
                path.append((parent[node], node))
                node = parent[node]
            amount = min(need - sum(flow[i].values()), capacity[found[1]] - used[found[1]])
            for start, end in path:
                if start[0] == "p":  # undoing part of another row's allocation
                    amount = min(amount, flow[end[1]][start[1]])
            for start, end in path:
                if start[0] == "r":
                    flow[start[1]][end[1]] = flow[start[1]].get(end[1], 0) + amount
                else:
                    flow[end[1]][start[1]] -= amount
            used[found[1]] += amount
    return flow


def _narrowest_first(rows, pools_of) -> list[int]:
    """Row indexes, the row with the smallest pool first: a broad row (刑事诉讼) takes
    what its narrower neighbours (侦查措施, same difficulty) leave."""
    return sorted(range(len(rows)), key=lambda i: (sum(size for _c, _d, size in pools_of[i]), i))


def _fixed_by_pool(questions) -> dict[tuple[int, str], int]:
    counts: dict[tuple[int, str], int] = {}
    for q in questions:
        counts[(q.category_id, q.difficulty)] = counts.get((q.category_id, q.difficulty), 0) + 1
    return counts


def blueprint_shortfalls(*, rows: list[BlueprintRow], fixed_question_ids=(), leaving=None) -> list[Shortfall]:
    """Rows the bank cannot fill, counting questions shared between overlapping rows once.

    Rows are served narrowest first, as the draw serves them, so a blueprint that
    passes here can always be drawn, and one refused here can never be. `leaving`,
    a (category id, difficulty) pool, asks as if one question had left it (retiring).
    """
    categories, sizes = _pools_by_category()
    if leaving is not None and sizes.get(leaving):
        sizes[leaving] -= 1
    fixed = _fixed_by_pool(Question.objects.filter(pk__in=list(fixed_question_ids), status=QuestionStatus.ACTIVE)
                           .only("category_id", "difficulty"))
    taught = _slot_counts(_lesson_slots(exclude_ids=fixed_question_ids))
    pools_of = [_row_pools(row, categories, sizes) for row in rows]
    order = _narrowest_first(rows, pools_of)
    capacity = {(c, d): size - fixed.get((c, d), 0) - taught.get((c, d), 0) for (c, d), size in sizes.items()}
    flow = _allocate([rows[i].count for i in order], [[(c, d) for c, d, _s in pools_of[i]] for i in order], capacity)
    shortfalls = []
    for k, i in enumerate(order):
        got = sum(flow[k].values())
        if got < rows[i].count:
            row = rows[i]
            name = categories[row.category_id].name if row.category_id in categories else ""
            shortfalls.append(Shortfall(i + 1, name, row.difficulty, row.count, got))
    return sorted(shortfalls, key=lambda s: s.row)


# --- sittings ----------------------------------------------------------------------------


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class DrawnQuestion:
    question_id: int
    version_id: int
    type: str
    option_count: int
    points: Decimal
    option_order: list[int] = field(default_factory=list)


def paper_draw(*, quiz: Quiz, seed: int, avoid: frozenset[int] = frozenset()) -> list[DrawnQuestion]:
    """Draw a paper: per blueprint row, distinct random questions from the row's pools.

    Each active question has a dense number within its (category, difficulty)
    pool, so the draw samples numbers and fetches exactly those rows by index:
    its cost depends on the paper's length, not on the bank's size. The same
    seed against the same bank (and the same `avoid`) draws the same paper.

    Rows are served narrowest first (as `blueprint_shortfalls` counts them), each
    at random from what the rows before it left. Where a row's picks would leave
    a later overlapping row short, the row draws instead, pool by pool, the
    counts of an allocation that fills every row; so a blueprint that passes
    the check always draws.

    `avoid` holds question ids the officer already saw in earlier attempts: a row
    takes them only when its pools have no other question left.
    """
    rng = random.Random(seed)
    # Read from the database, not the quiz's (possibly unsaved, in-memory) cluster relations.
    rows = list(BlueprintRow.objects.filter(quiz_id=quiz.pk))
    fixed = list(FixedQuestion.objects.filter(quiz_id=quiz.pk, question__status=QuestionStatus.ACTIVE).select_related("question"))
    categories, sizes = _pools_by_category()
    taken: set[tuple[int, str, int]] = {(f.question.category_id, f.question.difficulty, f.question.pool_seq) for f in fixed}
    # Questions a lesson teaches are never drawn: they stand in the pools as if already taken.
    taught = _lesson_slots() - taken
    taken |= taught
    seen: set[tuple[int, str, int]] = {
        (q["category_id"], q["difficulty"], q["pool_seq"])
        for q in Question.objects.filter(pk__in=list(avoid), pool_seq__isnull=False).values("category_id", "difficulty", "pool_seq")
    } if avoid else set()
    pools_of = [_row_pools(row, categories, sizes) for row in rows]
    keys_of = [[(c, d) for c, d, _s in pools] for pools in pools_of]
    order = _narrowest_first(rows, pools_of)
    fixed_counts = _fixed_by_pool(f.question for f in fixed)
    taught_counts = _slot_counts(taught)
    capacity = {(c, d): size - fixed_counts.get((c, d), 0) - taught_counts.get((c, d), 0) for (c, d), size in sizes.items()}

    def fits(indexes) -> bool:
        flow = _allocate([rows[i].count for i in indexes], [keys_of[i] for i in indexes], capacity)
        return all(sum(given.values()) >= rows[i].count for given, i in zip(flow, indexes, strict=True))

    if not fits(order):
        raise AssessmentError(_("The question bank cannot fill this test at the moment; please tell the trainer."))

    def draw_from(pools, count) -> list[tuple[int, str, int]]:
        total = sum(size for _c, _d, size in pools)
        limits = {(c, d): size for c, d, size in pools}
        free = total - sum(1 for t in taken if (t[0], t[1]) in limits)
        # Questions not seen before, left in these pools: while any remain, seen ones are passed over.
        fresh_left = free - sum(1 for t in seen - taken if t[2] <= limits.get((t[0], t[1]), 0))
        chosen: list[tuple[int, str, int]] = []
        while len(chosen) < count:
            index = rng.randrange(total)
            for cid, d, size in pools:
                if index < size:
                    slot = (cid, d, index + 1)
                    break
                index -= size
            if slot in taken or (slot in seen and fresh_left > 0):
                continue
            taken.add(slot)
            chosen.append(slot)
            if slot not in seen:
                fresh_left -= 1
        return chosen

    chosen_by_row: dict[int, list[tuple[int, str, int]]] = {}
    for k, i in enumerate(order):
        later = order[k + 1:]
        mine = set(keys_of[i])
        overlapping = any(mine.intersection(keys_of[j]) for j in later)
        chosen = draw_from(pools_of[i], rows[i].count)
        for c, d, _seq in chosen:
            capacity[(c, d)] -= 1
        if overlapping and not fits(later):
            # These picks starve a later row: draw this row pool by pool to a filling allocation.
            for slot in chosen:
                taken.discard(slot)
                capacity[(slot[0], slot[1])] += 1
            allocation = _allocate([rows[j].count for j in later] + [rows[i].count],
                                   [keys_of[j] for j in later] + [keys_of[i]], capacity)[-1]
            chosen = []
            for c, d, size in pools_of[i]:
                if allocation.get((c, d)):
                    chosen.extend(draw_from([(c, d, size)], allocation[(c, d)]))
                    capacity[(c, d)] -= allocation[(c, d)]
        chosen_by_row[i] = chosen
    picks: list[tuple[tuple[int, str, int], Decimal]] = [
        (slot, row.points) for i, row in enumerate(rows) for slot in chosen_by_row[i]
    ]

    slots = {draw_slot_of(cid, d, seq): (cid, d, seq) for (cid, d, seq), _points in picks}
    found = {
        slots[q["draw_slot"]]: q
        for q in Question.objects.filter(draw_slot__in=list(slots)).values(
            "id", "draw_slot", "type", "current_version_id",
            "option_a", "option_b", "option_c", "option_d", "option_e", "option_f",
        )
    } if picks else {}
    if len(found) != len(picks):
        raise AssessmentError(_("The question bank changed during the draw; please try again."))

    paper = []
    for f in fixed:
        q = f.question
        paper.append(DrawnQuestion(q.pk, q.current_version_id, q.type, len(q.options), f.points))
    for slot, points in picks:
        q = found[slot]
        count = sum(1 for c in OPTION_LETTERS if q[f"option_{c.lower()}"]) if q["type"] in (QuestionType.SINGLE, QuestionType.MULTIPLE) else (2 if q["type"] == QuestionType.TRUE_FALSE else 0)
        paper.append(DrawnQuestion(q["id"], q["current_version_id"], q["type"], count, points))
    for item in paper:
        item.option_order = list(range(item.option_count))
        if item.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            rng.shuffle(item.option_order)
    # Printed as Chinese papers are: 一、单项选择题 二、多项选择题 三、判断题 四、简答题. The sort is
    # stable, so within a section the draw's own random order (fixed questions first) stays.
    paper.sort(key=lambda item: PAPER_SECTION_ORDER.index(item.type))
    return paper


def quiz_is_open_to(*, quiz: Quiz, officer) -> bool:
    """Whether the officer belongs to the test's audience (tiers, roles or units, units beneath included)."""
    return audience_includes(subject=quiz, officer=officer)


def _override(quiz, officer):
    return quiz.overrides.filter(officer=officer).first()


def quiz_window_for(*, quiz: Quiz, officer, override=None):
    """(opens, closes, attempts allowed, extra minutes) for this officer, overrides applied."""
    closes, attempts, extra = quiz.closes_at, quiz.attempts_allowed, 0
    if override:
        closes = max(closes, override.closes_at or closes)
        attempts += override.extra_attempts
        extra = override.extra_minutes
    return quiz.opens_at, closes, attempts, extra


def sitting_start(*, quiz: Quiz, officer, now: dt.datetime | None = None, seed: int | None = None) -> Sitting:
    """Start (or resume) the officer's sitting: draws and stores the whole paper with its seed."""
    now = now or timezone.now()
    mine = list(Sitting.objects.filter(quiz=quiz, officer=officer).only("id", "status", "deadline", "quiz_id", "officer_id"))
    current = next((s for s in mine if s.status == SittingStatus.IN_PROGRESS), None)
    if current:
        if current.deadline + DEADLINE_GRACE < now:
            sitting_submit(sitting=Sitting.objects.get(pk=current.pk), auto=True, now=now)
        else:
            return current
    if not quiz_is_open_to(quiz=quiz, officer=officer):
        raise PermissionDenied(_("This test is not open to you."))
    override = _override(quiz, officer)
    opens, closes, attempts_allowed, extra = quiz_window_for(quiz=quiz, officer=officer, override=override)
    if now < opens:
        raise AssessmentError(_("This test has not opened yet."))
    if now >= closes:
        raise AssessmentError(_("This test has closed."))
    attempts = len(mine)
    if attempts >= attempts_allowed:
        raise AssessmentError(_("You have used all your attempts at this test."))
    seed = seed if seed is not None else random.SystemRandom().getrandbits(52)
    # A retake draws questions the officer has not seen yet, as far as the bank allows.
    seen = frozenset(
        SittingQuestion.objects.filter(sitting__quiz=quiz, sitting__officer=officer).values_list("question_id", flat=True)
    ) if attempts else frozenset()
    paper = paper_draw(quiz=quiz, seed=seed, avoid=seen)
    deadline = min(now + dt.timedelta(minutes=quiz.time_limit_minutes + extra), closes)
    try:
        with transaction.atomic():
            sitting = Sitting.objects.create(
                quiz=quiz, officer=officer, attempt=attempts + 1, seed=seed, started_at=now,
                deadline=deadline, max_score=sum((d.points for d in paper), Decimal(0)),
            )
            SittingQuestion.objects.bulk_create([
                SittingQuestion(
                    sitting=sitting, position=i, question_id=d.question_id, version_id=d.version_id,
                    option_order=d.option_order, points=d.points,
                )
                for i, d in enumerate(paper)
            ])
    except IntegrityError:
        # Another tab started the same test a moment ago: the database let only one through.
        return Sitting.objects.get(quiz=quiz, officer=officer, status=SittingStatus.IN_PROGRESS)
    _schedule_autosubmit(sitting)
    return sitting


def _schedule_autosubmit(sitting: Sitting) -> None:
    from django_tasks import default_task_backend

    from .tasks import sitting_autosubmit

    if default_task_backend.supports_defer:
        sitting_autosubmit.using(run_after=sitting.deadline + DEADLINE_GRACE).enqueue(sitting_id=sitting.pk)


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    revision: int  # the revision now stored for the answer


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of one answer of a batch: saved, or refused with the reason in words."""

    position: int
    saved: bool
    revision: int | None  # the revision now stored (None: no such question)
    error: str = ""


# One request carries at most this many pending answers (a page's whole backlog).
ANSWERS_BATCH_MAX = 50


class _StaleAnswer(Exception):
    """A save whose revision is not above the stored one, with different content."""


def _answer_content(item: SittingQuestion, choice: list[int] | None, text: str) -> tuple[list[int], str]:
    """The stored form of an answer: authored option indexes from the positions shown
    (objective questions), or the essay's text; refused in words when impossible."""
    if item.version.type == QuestionType.ESSAY:
        return [], text[:ESSAY_ANSWER_MAX]
    shown = item.option_order
    chosen: list[int] = []
    for p in choice or []:
        if not isinstance(p, int) or isinstance(p, bool) or not 0 <= p < len(shown):
            raise AssessmentError(_("That option does not exist."))
        if shown[p] not in chosen:
            chosen.append(shown[p])
    if item.version.type != QuestionType.MULTIPLE and len(chosen) > 1:
        raise AssessmentError(_("Choose one option only."))
    return sorted(chosen), ""


def _answers_write(items) -> None:
    """Store the winning answers: one UPDATE statement per answer, sent together.

    The exam-day hot path. `bulk_update` builds a CASE … WHEN expression per field
    and per answer through the ORM, which cost 40 % of a five-answer save's CPU
    (profiled, bench/loadtest/); the statement here is fixed and each value goes
    through its field's own conversion for the database (JSON on both).
    """
    meta = SittingQuestion._meta
    quote = connection.ops.quote_name
    choice_field = meta.get_field("choice")
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote('choice')} = %s, {quote('text')} = %s, "
        f"{quote('revision')} = %s WHERE {quote('id')} = %s"
    )
    rows = [
        (choice_field.get_db_prep_save(item.choice, connection), item.text, item.revision, item.pk)
        for item in items
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _answers_apply(
    *, sitting_id: int, officer, answers: list[dict], now: dt.datetime | None,
) -> list[SaveResult | AssessmentError | None]:
    """The rules of saving answers, shared by `answer_save` and `answers_save`.

    One transaction and one lock of the sitting (against a concurrent hand-in and
    against another tab's save), whatever the number of answers: the sitting with
    its test, the questions answered, and one UPDATE of the answers that win.
    Each outcome is a SaveResult, the AssessmentError refusing that answer, or
    None for a position that is not on the paper. A refusal of the whole sitting
    (not this officer's: PermissionDenied; handed in or time up: AssessmentError)
    is raised.
    """
    now = now or timezone.now()
    with transaction.atomic():
        sitting = (
            Sitting.objects.select_for_update(of=("self",)).select_related("quiz")
            .only("id", "officer_id", "status", "deadline", "furthest_position", "quiz__navigation")
            .filter(pk=sitting_id).first()
        )
        if sitting is None or sitting.officer_id != officer.pk:
            raise PermissionDenied
        _ensure_still_sitting(sitting, now)
        sequential = sitting.quiz.navigation == Navigation.SEQUENTIAL
        positions = {a["position"] for a in answers}
        items = {
            item.position: item
            for item in SittingQuestion.objects.filter(sitting_id=sitting_id, position__in=positions)
            .select_related("version").only("id", "position", "option_order", "choice", "text", "revision", "version__type")
        }
        furthest = sitting.furthest_position
        changed: dict[int, SittingQuestion] = {}
        outcomes: list[SaveResult | AssessmentError | None] = []
        for answer in answers:
            position, revision = answer["position"], answer["revision"]
            item = items.get(position)
            if item is None:
                outcomes.append(None)
                continue
            try:
                if not 0 <= revision <= MAX_REVISION:
                    raise AssessmentError(_("That revision is out of range: reload the page."))
                choice, text = _answer_content(item, answer.get("choice"), answer.get("text") or "")
                if sequential and position < furthest:
                    raise AssessmentError(_("This test goes forward only: an earlier answer can no longer be changed."))
            except AssessmentError as refusal:
                outcomes.append(refusal)
                continue
            furthest = max(furthest, position) if sequential else furthest
            # The revision counts the answer's saves: a stale one never wins, and the
            # same save arriving twice (a retry whose first try landed) is saved.
            if revision > item.revision:
                item.choice, item.text, item.revision = choice, text, revision
                changed[item.pk] = item
                outcomes.append(SaveResult(True, revision))
            else:
                same = revision == item.revision and item.choice == choice and item.text == text
                outcomes.append(SaveResult(same, item.revision))
        if changed:
            _answers_write(changed.values())
        if furthest != sitting.furthest_position:
            Sitting.objects.filter(pk=sitting_id).update(furthest_position=furthest)
    return outcomes


def answer_save(
    *, sitting_id: int, officer, position: int, revision: int, choice: list[int] | None = None,
    text: str = "", now: dt.datetime | None = None,
) -> SaveResult:
    """Save one answer. `choice` holds positions as shown.

    `revision` counts the answer's saves: the page starts from the revision it
    was served and adds one per save, so no device clock is involved. A save
    whose revision is not above the stored one is ignored, so a stale save never
    wins; the same save arriving twice (a retry whose first try did land)
    reports saved. In a sequential test a save before the furthest question
    reached is refused, and a later one moves it on.
    """
    (outcome,) = _answers_apply(
        sitting_id=sitting_id, officer=officer, now=now,
        answers=[{"position": position, "revision": revision, "choice": choice, "text": text}],
    )
    if outcome is None:
        raise PermissionDenied
    if isinstance(outcome, AssessmentError):
        raise outcome
    return outcome


def stale_answer_message() -> str:
    return _(
        "Not saved: a newer answer to this question was saved from another window or device. "
        "Reload the page to see it."
    )


def answers_save(*, sitting_id: int, officer, answers: list[dict], now: dt.datetime | None = None) -> list[AnswerResult]:
    """Save a page's pending answers at once (each as `answer_save` takes it), in order.

    Each answer is saved or refused on its own (a stale revision, a sequential
    test's earlier question, an option that does not exist); the results keep the
    answers' order. A sitting that is not the officer's raises PermissionDenied;
    one handed in or out of time raises AssessmentError and saves nothing.
    """
    if len(answers) > ANSWERS_BATCH_MAX:
        raise AssessmentError(_("Too many answers at once."))
    outcomes = _answers_apply(sitting_id=sitting_id, officer=officer, answers=answers, now=now)
    results = []
    for answer, outcome in zip(answers, outcomes, strict=True):
        position = answer["position"]
        if outcome is None:
            results.append(AnswerResult(position, False, None, _("That question does not exist.")))
        elif isinstance(outcome, AssessmentError):
            results.append(AnswerResult(position, False, None, str(outcome)))
        elif outcome.saved:
            results.append(AnswerResult(position, True, outcome.revision))
        else:
            results.append(AnswerResult(position, False, outcome.revision, stale_answer_message()))
    return results


def _ensure_still_sitting(sitting: Sitting, now: dt.datetime | None) -> None:
    """A sitting handed in, or past its deadline and grace, takes nothing more: no
    answer, no flag, no move to another question."""
    if sitting.status != SittingStatus.IN_PROGRESS:
        raise AssessmentError(_("This sitting has been submitted."))
    if (now or timezone.now()) > sitting.deadline + DEADLINE_GRACE:
        raise AssessmentError(_("Time is up: answers can no longer be saved."))


def sitting_position_reach(*, sitting_id: int, officer, position: int, now: dt.datetime | None = None) -> int:
    """Record that the officer moved on to `position`; returns the furthest position reached.

    In a sequential test the earlier questions can no longer be answered once
    the officer has moved past them, even without answering; a reload reopens
    the paper there.
    """
    sitting = Sitting.objects.filter(pk=sitting_id, officer=officer).only("id", "status", "deadline").first()
    if sitting is None:
        raise PermissionDenied
    _ensure_still_sitting(sitting, now)
    if not SittingQuestion.objects.filter(sitting_id=sitting_id, position=position).exists():
        raise AssessmentError(_("That question does not exist."))
    Sitting.objects.filter(pk=sitting_id, furthest_position__lt=position).update(furthest_position=position)
    return Sitting.objects.filter(pk=sitting_id).values_list("furthest_position", flat=True).get()


def flag_set(*, sitting_id: int, officer, position: int, flagged: bool, now: dt.datetime | None = None) -> None:
    """Mark a question for coming back to; refused once the sitting is over (deadline and grace)."""
    sitting = Sitting.objects.filter(pk=sitting_id, officer=officer).only("id", "status", "deadline").first()
    if sitting is None:
        raise PermissionDenied
    _ensure_still_sitting(sitting, now)
    updated = SittingQuestion.objects.filter(
        sitting_id=sitting_id, sitting__officer=officer, position=position,
        sitting__status=SittingStatus.IN_PROGRESS,
    ).update(flagged=flagged)
    if not updated:
        raise PermissionDenied


def question_score(*, type: str, key: list[int], choice: list[int], points: Decimal, partial_credit: bool) -> Decimal | None:
    """Marks for an objective answer; None for an essay (marked by a trainer)."""
    if type == QuestionType.ESSAY:
        return None
    if type == QuestionType.MULTIPLE and partial_credit:
        # Any wrong option scores nothing; otherwise a share for each right one chosen.
        if not choice or set(choice) - set(key):
            return Decimal(0)
        return _quantize(points * len(set(choice)) / len(key))
    return points if sorted(choice) == sorted(key) else Decimal(0)


def _scores_store(items: list[SittingQuestion]) -> None:
    """Write marks with one UPDATE per distinct mark (usually two: full and nothing),
    far cheaper than a 100-branch CASE."""
    by_score: dict[Decimal | None, list[int]] = {}
    for item in items:
        by_score.setdefault(item.score, []).append(item.pk)
    for score, ids in by_score.items():
        for start in range(0, len(ids), 500):
            SittingQuestion.objects.filter(pk__in=ids[start:start + 500]).update(score=score)


def _sitting_close(sitting: Sitting, paper: list[SittingQuestion]) -> None:
    """Totals, pass/fail and status from the paper's marks."""
    if any(p.score is None for p in paper):
        sitting.status = SittingStatus.MARKING
        sitting.score, sitting.passed = None, None
    else:
        sitting.status = SittingStatus.FINAL
        sitting.score = sum((p.score for p in paper), Decimal(0))
        percent = sitting.score * 100 / sitting.max_score if sitting.max_score else Decimal(0)
        sitting.passed = percent >= sitting.quiz.pass_mark


@transaction.atomic
def sitting_submit(*, sitting: Sitting, auto: bool = False, now: dt.datetime | None = None) -> Sitting:
    """Hand in the sitting and mark its objective questions; essays go to the marking queue."""
    now = now or timezone.now()
    claimed = Sitting.objects.filter(pk=sitting.pk, status=SittingStatus.IN_PROGRESS).update(
        status=SittingStatus.MARKING, submitted_at=now, auto_submitted=auto
    )
    if not claimed:
        sitting.refresh_from_db()
        return sitting
    sitting.status, sitting.submitted_at, sitting.auto_submitted = SittingStatus.MARKING, now, auto
    partial = sitting.quiz.partial_credit
    paper = list(sitting.paper.select_related("version").only(
        "id", "sitting", "choice", "text", "points", "score", "version", "version__type", "version__key"))
    for item in paper:
        if item.version.type == QuestionType.ESSAY:
            item.score = Decimal(0) if not item.text.strip() else None
        else:
            item.score = question_score(type=item.version.type, key=item.version.key, choice=item.choice,
                                        points=item.points, partial_credit=partial)
    _scores_store(paper)
    _sitting_close(sitting, paper)
    sitting.save(update_fields=["status", "score", "passed"])
    return sitting


def sittings_expire(*, now: dt.datetime | None = None) -> int:
    """Submit every sitting whose deadline (and grace) has passed; returns how many."""
    now = now or timezone.now()
    overdue = Sitting.objects.filter(status=SittingStatus.IN_PROGRESS, deadline__lt=now - DEADLINE_GRACE).select_related("quiz")
    count = 0
    for sitting in overdue:
        sitting_submit(sitting=sitting, auto=True, now=now)
        count += 1
    return count


def essay_marks_current(marks) -> dict[str, "EssayMark"]:
    """The latest mark of each stage (a re-mark replaces its stage's earlier one, which stays kept)."""
    current: dict[str, EssayMark] = {}
    for mark in sorted(marks, key=lambda m: (m.at, m.pk or 0)):
        current[mark.stage] = mark
    return current


def essay_counted_mark(*, quiz: Quiz, marks) -> Decimal | None:
    """The mark that counts for an essay from its marks; None while marking is not finished.

    One marker: the latest first mark. Two markers: the senior marker's resolution
    if given, else the average of the two marks when they differ by no more than
    the test's tolerance; a larger difference waits for a resolution.
    """
    current = essay_marks_current(marks)
    if MarkStage.RESOLUTION in current:
        return current[MarkStage.RESOLUTION].score
    first = current.get(MarkStage.FIRST)
    if not quiz.double_marking:
        return first.score if first else None
    second = current.get(MarkStage.SECOND)
    if first is None or second is None or abs(first.score - second.score) > quiz.marking_tolerance:
        return None
    return _quantize((first.score + second.score) / 2)


def essay_mark_stage(*, quiz: Quiz, marks, by) -> str:
    """Which stage a mark by this marker would be: their own earlier stage (a re-mark),
    else the next one the answer needs. Raises ValidationError when the marker may not mark it."""
    from .permissions import can_resolve_marks

    current = essay_marks_current(marks)
    senior = can_resolve_marks(by)
    if MarkStage.RESOLUTION in current:
        if not senior:
            raise ValidationError(_("A senior marker has settled this mark; only a senior marker can change it."))
        return MarkStage.RESOLUTION
    first, second = current.get(MarkStage.FIRST), current.get(MarkStage.SECOND)
    if not quiz.double_marking or first is None or first.by_id == by.pk:
        return MarkStage.FIRST
    if second is None or second.by_id == by.pk:
        return MarkStage.SECOND
    if abs(first.score - second.score) <= quiz.marking_tolerance:
        raise ValidationError(_("Both marks are given and agree; only their markers can change them."))
    if not senior:
        raise ValidationError(_("The two marks differ by more than the test allows: a senior marker "
                                "(a legal affairs reviewer or an administrator) settles it."))
    return MarkStage.RESOLUTION


@transaction.atomic
def essay_mark(*, item: SittingQuestion, score: Decimal, comment: str, by, now: dt.datetime | None = None) -> SittingQuestion:
    """Record a marker's mark for an essay answer (every mark is kept) and update what counts.

    A re-mark adds a mark of the marker's own stage. The sitting is final once
    every essay has a counted mark.
    """
    if item.version.type != QuestionType.ESSAY:
        raise ValidationError(_("Only essay answers are marked by hand."))
    if score < 0 or score > item.points:
        raise ValidationError(_("The mark must be between 0 and %(points)s.") % {"points": item.points})
    sitting = Sitting.objects.select_for_update().select_related("quiz").get(pk=item.sitting_id)
    if sitting.status == SittingStatus.IN_PROGRESS:
        raise ValidationError(_("This sitting has not been handed in yet."))
    marks = list(EssayMark.objects.filter(item=item))
    stage = essay_mark_stage(quiz=sitting.quiz, marks=marks, by=by)
    mark = EssayMark(item=item, stage=stage, score=score, comment=comment, by=by, at=now or timezone.now())
    mark.full_clean()
    mark.save()
    marks.append(mark)
    item.score = essay_counted_mark(quiz=sitting.quiz, marks=marks)
    item.comment, item.marked_by, item.marked_at = comment, by, mark.at
    item.save(update_fields=["score", "comment", "marked_by", "marked_at"])
    _sitting_close(sitting, list(sitting.paper.only("id", "sitting", "score")))
    sitting.save(update_fields=["status", "score", "passed"])
    return item


@transaction.atomic
def question_key_correct(*, version: QuestionVersion, answer: str, by, reason: str = "") -> Regrade:
    """Correct a wrong key and rescore every handed-in sitting that showed this version."""
    new_key = answer_parse(type=version.type, answer=answer, options=version.options)
    old_key = version.key
    version.key = new_key
    version.save(update_fields=["key"])
    question = version.question
    if question.current_version_id == version.pk:
        letters = "T" if version.type == QuestionType.TRUE_FALSE and new_key == [0] else ("F" if version.type == QuestionType.TRUE_FALSE else "".join(OPTION_LETTERS[i] for i in new_key))
        Question.objects.filter(pk=question.pk).update(answer=letters)
    items = list(
        SittingQuestion.objects.filter(version=version).exclude(sitting__status=SittingStatus.IN_PROGRESS)
        .select_related("sitting__quiz")
    )
    for item in items:
        item.score = question_score(type=version.type, key=new_key, choice=item.choice, points=item.points,
                                    partial_credit=item.sitting.quiz.partial_credit)
    _scores_store(items)
    sittings = {item.sitting_id: item.sitting for item in items}
    for sitting in sittings.values():
        _sitting_close(sitting, list(sitting.paper.only("id", "sitting", "score")))
        sitting.save(update_fields=["status", "score", "passed"])
    return Regrade.objects.create(
        version=version, old_key=old_key, new_key=new_key, by=by, at=timezone.now(),
        sittings_affected=len(sittings), reason=reason,
    )


def quiz_publish(*, quiz: Quiz, by, note: str = ""):
    """Publish a test's results bureau-wide (挂网公示): a frozen version in the publications app.

    Publishing again issues the next version, listing what changed; there is no
    withdrawing (corrections are new versions). Returns the Publication.
    """
    from publications.services import publication_publish

    from .publications import QUIZ_RESULTS

    return publication_publish(subject=quiz, kind=QUIZ_RESULTS, by=by, note=note)
