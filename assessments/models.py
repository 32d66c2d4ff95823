"""Question bank, tests (Quiz) with blueprints, sittings and their papers.

The concepts follow django-quiz-app (Category, Quiz, question types, Sitting,
Progress) so that bureaus that ran it recognise them; the engine is our own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from officers.roles import Role, Tier

OPTION_LETTERS = "ABCDEF"


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True/false")
    ESSAY = "essay", _("Short answer / essay")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


DIFFICULTY_INDEX = {"easy": 0, "medium": 1, "hard": 2}


def draw_slot_of(category_id: int, difficulty: str, seq: int) -> int:
    """The slot of the seq-th question of a (category, difficulty) pool (pools hold < 10 million)."""
    return (category_id * 3 + DIFFICULTY_INDEX[difficulty]) * 10_000_000 + seq


class Category(models.Model):
    """A legal domain (刑事诉讼, 行政处罚 …); categories form a tree.

    `path` is a materialised path ("0003/0012/") so that a subtree is one
    indexed prefix match.
    """

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["path"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent",
                violation_error_message=_("This category already has a subcategory of that name."),
            ),
            # NULLs are distinct in a unique index (SQLite and PostgreSQL alike), so the
            # constraint above never binds top-level categories: a partial index does.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_unique_top_level_name",
                violation_error_message=_("A top-level category of that name already exists."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    @property
    def full_name(self) -> str:
        return self.name if self.parent_id is None else f"{self.parent.full_name} / {self.name}"


class Question(models.Model):
    """One question of the bank as trainers edit it; what officers saw is a `QuestionVersion`.

    `pool_seq` numbers the active questions of one (category, difficulty) pool
    densely from 1, so that a draw picks random numbers instead of scanning;
    `draw_slot` folds pool and number into one uniquely indexed integer, so the
    drawn questions are fetched with a single `IN` lookup.
    """

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices, default=QuestionType.SINGLE)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE)
    stem = models.TextField(_("question"))
    option_a = models.CharField(_("option A"), max_length=500, blank=True)
    option_b = models.CharField(_("option B"), max_length=500, blank=True)
    option_c = models.CharField(_("option C"), max_length=500, blank=True)
    option_d = models.CharField(_("option D"), max_length=500, blank=True)
    option_e = models.CharField(_("option E"), max_length=500, blank=True)
    option_f = models.CharField(_("option F"), max_length=500, blank=True)
    answer = models.CharField(
        _("answer"), max_length=20, blank=True,
        help_text=_("Letters of the correct options (e.g. “A” or “ACD”); “T” or “F” for true/false; empty for essays."),
    )
    reference_answer = models.TextField(_("reference answer"), blank=True, help_text=_("For essays: what a full answer contains."))
    explanation = models.TextField(_("explanation"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True, help_text=_("Law and article, e.g. 《刑事诉讼法》第八十一条"))
    # The version of the law the legal basis cites (lessons' 法律法规库): when it is
    # superseded, the question is listed for review (lessons.laws.law_review_items).
    law_version = models.ForeignKey(
        "lessons.LawVersion", verbose_name=_("version of the law cited"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="questions",
    )
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    pool_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    draw_slot = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__path", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "difficulty", "pool_seq"], name="question_unique_pool_seq"),
            models.CheckConstraint(condition=Q(type__in=QuestionType.values), name="question_type_valid"),
            models.CheckConstraint(condition=Q(difficulty__in=Difficulty.values), name="question_difficulty_valid"),
            models.CheckConstraint(
                condition=Q(status=QuestionStatus.ACTIVE, pool_seq__isnull=False)
                | Q(status=QuestionStatus.RETIRED, pool_seq__isnull=True),
                name="question_active_in_pool",
            ),
        ]
        indexes = [models.Index(fields=["category", "stem"], name="question_category_stem")]

    def __str__(self):
        return self.stem[:60]

    def clean(self):
        from .services import question_validate

        question_validate(self)

    @property
    def options(self) -> list[str]:
        if self.type == QuestionType.TRUE_FALSE:
            return [str(_("True")), str(_("False"))]
        if self.type == QuestionType.ESSAY:
            return []
        values = [getattr(self, f"option_{c.lower()}") for c in OPTION_LETTERS]
        while values and not values[-1]:
            values.pop()
        return values


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as shown in sittings (for appeals and regrading)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    stem = models.TextField()
    options = models.JSONField(default=list)  # option texts in authored order
    # Indexes into `options` that are correct; [0] true / [1] false for true/false.
    key = models.JSONField(default=list)
    reference_answer = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_unique_number"),
        ]

    def __str__(self):
        return f"{self.stem[:40]} (v{self.number})"

    @property
    def key_letters(self) -> str:
        return key_letters(self.type, self.key)


def key_letters(type: str, key: list[int]) -> str:
    """A key as trainers write it: “ACD”; “T” or “F” for true/false."""
    if type == QuestionType.TRUE_FALSE:
        return "T" if key == [0] else "F"
    return "".join(OPTION_LETTERS[i] for i in key if 0 <= i < len(OPTION_LETTERS))


class PoolSize(models.Model):
    """How many active questions a (category, difficulty) pool holds: the draw's upper bound."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="pool_sizes")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "difficulty"], name="pool_size_unique"),
        ]

    def __str__(self):
        return f"{self.category_id}/{self.difficulty}: {self.size}"


class Counting(models.TextChoices):
    HIGHEST = "highest", _("Highest score")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class Navigation(models.TextChoices):
    FREE = "free", _("Free: go back and forth")
    SEQUENTIAL = "sequential", _("Sequential: no going back")


class ReviewPolicy(models.TextChoices):
    IMMEDIATELY = "immediately", _("Right after submitting")
    AFTER_CLOSE = "after_close", _("After the test closes")
    NEVER = "never", _("Never")


class Quiz(ClusterableModel):
    """A legal-knowledge spot test (法律知识抽测): each sitting draws its own paper."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience_tiers = models.JSONField(
        _("tiers"), default=list, blank=True, help_text=_("Who may sit it: any officer in one of these tiers …"),
    )
    audience_roles = models.JSONField(_("roles"), default=list, blank=True, help_text=_("… or holding one of these roles …"))
    audience_units = models.ManyToManyField(
        "officers.Unit", verbose_name=_("units"), blank=True, related_name="+",
        help_text=_("… or in one of these units. Leave all three empty for the whole bureau."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=60)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=60)
    attempts_allowed = models.PositiveIntegerField(_("attempts allowed"), default=1)
    counting = models.CharField(_("which attempt counts"), max_length=10, choices=Counting.choices, default=Counting.HIGHEST)
    navigation = models.CharField(_("navigation"), max_length=12, choices=Navigation.choices, default=Navigation.FREE)
    review_policy = models.CharField(
        _("answers and explanations shown"), max_length=12, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_CLOSE,
        help_text=_(
            "“Right after submitting” shows each officer the correct options, explanations and legal basis "
            "while colleagues can still sit the test: choose it only for practice tests. An officer with an "
            "attempt left never sees the key."
        ),
    )
    partial_credit = models.BooleanField(
        _("partial credit for multiple choice"), default=False,
        help_text=_("Otherwise a multiple-choice question scores only when every option is right."),
    )
    blind_marking = models.BooleanField(
        _("blind marking"), default=False,
        help_text=_("Markers of essay answers do not see the officer's name, police number or unit."),
    )
    double_marking = models.BooleanField(
        _("two markers for each essay"), default=False,
        help_text=_(
            "Each essay answer is marked by two different markers. Marks within the tolerance count as "
            "their average; a larger difference is resolved by a senior marker (a legal affairs reviewer "
            "or an administrator)."
        ),
    )
    marking_tolerance = models.DecimalField(
        _("largest accepted difference between the two marks (points)"), max_digits=6, decimal_places=2,
        default=2,
    )
    # No longer read or written: published results live in the publications app (kind
    # "quiz_results", migrated there by publications 0003). To be dropped by a later migration.
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="quiz_closes_after_opens"),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="quiz_at_least_one_attempt"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        """Whether the results have a publication (挂网公示); one query, so list pages annotate instead."""
        from publications.selectors import publication_exists

        return publication_exists(subject=self, kind="quiz_results")

    def audience_display(self) -> str:
        tiers = [str(Tier(t).label) for t in self.audience_tiers if t in Tier.values]
        roles = [str(Role(r).label) for r in self.audience_roles if r in Role.values]
        return "、".join(tiers + roles)


class BlueprintRow(models.Model):
    """One row of a test's blueprint: N questions of a category subtree and difficulty."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="blueprint_rows")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    category = models.ForeignKey(Category, verbose_name=_("category (with its subcategories)"), on_delete=models.PROTECT, related_name="+")
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, blank=True, help_text=_("Empty: any difficulty."))
    count = models.PositiveIntegerField(_("number of questions"), default=10)
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("blueprint row")
        verbose_name_plural = _("blueprint rows")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="blueprint_row_count_positive"),
        ]

    def __str__(self):
        return f"{self.category} {self.get_difficulty_display() or ''} × {self.count}"


class FixedQuestion(models.Model):
    """A question every sitting of the test gets."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="fixed_question_unique"),
        ]

    def __str__(self):
        return str(self.question)


class QuizOverride(models.Model):
    """Per-officer exceptions: extra time, extra attempts, a later close (e.g. for leave)."""

    quiz = models.ForeignKey(Quiz, verbose_name=_("test"), on_delete=models.CASCADE, related_name="overrides")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="+")
    extra_minutes = models.PositiveIntegerField(_("extra minutes"), default=0)
    extra_attempts = models.PositiveIntegerField(_("extra attempts"), default=0)
    closes_at = models.DateTimeField(_("closes for this officer"), null=True, blank=True)

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "officer"], name="quiz_override_unique"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.officer}"


class SittingStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("sitting", "In progress")
    MARKING = "marking", _("Awaiting marking")
    FINAL = "final", _("Final")


class Sitting(models.Model):
    """One officer's attempt at one test: the drawn paper, the answers, the score."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="sittings")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sittings")
    attempt = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=SittingStatus.choices, default=SittingStatus.IN_PROGRESS)
    seed = models.BigIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    passed = models.BooleanField(null=True)
    # The furthest question the officer has moved on to: in a sequential test
    # nothing before it can be answered any more, and a reload reopens there.
    furthest_position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "officer"], condition=Q(status="in_progress"), name="sitting_one_in_progress",
            ),
            models.UniqueConstraint(fields=["quiz", "officer", "attempt"], name="sitting_unique_attempt"),
            models.CheckConstraint(condition=Q(status__in=SittingStatus.values), name="sitting_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="sitting_status_deadline")]

    def __str__(self):
        return f"{self.quiz} · {self.officer} · {self.attempt}"

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return None
        return round(self.score * 100 / self.max_score, 1)


class SittingQuestion(models.Model):
    """One question of a sitting's paper, with the officer's saved answer and its mark.

    `option_order` lists the authored option indexes in the order shown; the
    browser posts positions in that order, never the options' identities.
    `revision` counts the answer's saves (the page continues from the revision
    it was served): a save only lands if its revision is higher (a conditional
    UPDATE), so a late stale save is dropped. No device clock is involved.
    """

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="paper")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="sitting_questions")
    option_order = models.JSONField(default=list)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    choice = models.JSONField(default=list)  # authored option indexes chosen
    text = models.TextField(blank=True)
    revision = models.BigIntegerField(default=0)
    flagged = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["sitting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "position"], name="sitting_question_unique_position"),
            models.UniqueConstraint(fields=["sitting", "question"], name="sitting_question_no_duplicates"),
        ]

    def __str__(self):
        return f"{self.sitting_id}#{self.position + 1}"

    @property
    def answered(self) -> bool:
        return bool(self.choice) or bool(self.text.strip())


class MarkStage(models.TextChoices):
    FIRST = "first", _("First mark")
    SECOND = "second", _("Second mark")
    RESOLUTION = "resolution", _("Resolution by a senior marker")


class EssayMark(models.Model):
    """Every mark given to an essay answer, kept: a re-mark adds a row, never overwrites one.

    The answer's counted mark (`SittingQuestion.score`) is derived from the
    latest mark of each stage: the first alone, or with two markers their
    average when within the test's tolerance, else the senior marker's resolution.
    """

    item = models.ForeignKey(SittingQuestion, on_delete=models.CASCADE, related_name="marks")
    stage = models.CharField(_("stage"), max_length=12, choices=MarkStage.choices, default=MarkStage.FIRST)
    score = models.DecimalField(_("mark"), max_digits=6, decimal_places=2)
    comment = models.TextField(pgettext_lazy("remarks", "comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["item_id", "at", "id"]
        verbose_name = _("essay mark")
        verbose_name_plural = _("essay marks")
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=MarkStage.values), name="essay_mark_stage_valid"),
            models.CheckConstraint(condition=Q(score__gte=0), name="essay_mark_not_negative"),
        ]

    def __str__(self):
        return f"{self.item_id} {self.stage} {self.score}"


class Regrade(models.Model):
    """The record of a key correction and the sittings it rescored."""

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="regrades")
    old_key = models.JSONField()
    new_key = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    sittings_affected = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self):
        return f"{self.version} {self.old_letters}→{self.new_letters}"

    @property
    def old_letters(self) -> str:
        return key_letters(self.version.type, self.old_key)

    @property
    def new_letters(self) -> str:
        return key_letters(self.version.type, self.new_key)

# Case-review rotations live in their own sub-package; imported here so their migrations are this app's.
from .case_review.models import *  # noqa: E402, F401, F403
