"""This app's part of `manage.py seed_demo`: a bank of legal questions, one open test
for the demo officers, one closed test with published results. Idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from officers.models import Officer, Unit
from officers.roles import Role, Tier

from .case_review import demo as case_review_demo
from .demo_bank import CATEGORIES, ESSAYS, FACTS, LISTS
from .models import (
    OPTION_LETTERS,
    BlueprintRow,
    Category,
    FixedQuestion,
    Question,
    QuestionType,
    Quiz,
    QuizOverride,
    ReviewPolicy,
    SittingQuestion,
    SittingStatus,
)
from .services import (
    answer_save,
    category_save,
    essay_mark,
    question_create,
    question_update,
    quiz_publish,
    sitting_start,
    sitting_submit,
)

OPEN_TITLE = "2026年第四季度法律知识抽测"
CLOSED_TITLE = "2026年第三季度法律知识抽测"


def _choice_question(rng, category, stem, right: list[str], wrong: list[str], difficulty, basis, explanation=""):
    options = right + wrong
    rng.shuffle(options)
    q = Question(category=category, stem=stem, difficulty=difficulty, legal_basis=basis, explanation=explanation,
                 type=QuestionType.MULTIPLE if len(right) > 1 else QuestionType.SINGLE)
    for letter, text in zip(OPTION_LETTERS, options, strict=False):
        setattr(q, f"option_{letter.lower()}", text)
    q.answer = "".join(OPTION_LETTERS[i] for i, text in enumerate(options) if text in right)
    return q


def _bank_plan(rng, categories) -> list[Question]:
    plan = []
    for name, sentence, right, wrong, difficulty, basis in FACTS:
        category = categories[name]
        filled = sentence.replace("____", right)
        explanation = f"依照{basis}，{filled}"
        plan.append(_choice_question(rng, category, sentence.replace("____", "（　）"), [right], list(wrong), difficulty, basis, explanation))
        plan.append(Question(category=category, type=QuestionType.TRUE_FALSE, stem=filled, answer="T",
                             difficulty="easy" if difficulty == "easy" else "medium", legal_basis=basis, explanation=explanation))
        plan.append(Question(category=category, type=QuestionType.TRUE_FALSE, stem=sentence.replace("____", wrong[0]), answer="F",
                             difficulty=difficulty, legal_basis=basis, explanation=f"错误。{explanation}"))
    for name, what, members, others, basis in LISTS:
        category = categories[name]
        explanation = f"{what}包括：{'；'.join(members)}。"
        plan.append(_choice_question(rng, category, f"下列属于{what}的有（　）。", members[:4], others[:6 - len(members[:4])][:2], "medium", basis, explanation))
        plan.append(_choice_question(rng, category, f"下列不属于{what}的是（　）。", [others[0]], members[:3], "medium", basis, explanation))
        plan.append(_choice_question(rng, category, f"下列选项中，属于{what}的是（　）。", [members[-1]], others[-3:], "easy", basis, explanation))
        for item in members:
            plan.append(Question(category=category, type=QuestionType.TRUE_FALSE, stem=f"“{item}”属于{what}。", answer="T",
                                 difficulty="easy", legal_basis=basis, explanation=explanation))
        for item in others:
            plan.append(Question(category=category, type=QuestionType.TRUE_FALSE, stem=f"“{item}”属于{what}。", answer="F",
                                 difficulty="medium", legal_basis=basis, explanation=explanation))
    for stem, reference, basis in ESSAYS:
        plan.append(Question(category=categories["综合论述"], type=QuestionType.ESSAY, stem=stem, reference_answer=reference,
                             difficulty="hard", legal_basis=basis))
    return plan


def _seed_bank() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for name, parent in CATEGORIES:
        parent_obj = categories[parent] if parent else None
        found = Category.objects.filter(name=name, parent=parent_obj).first()
        categories[name] = found or category_save(category=Category(name=name, parent=parent_obj))
    existing = set(Question.objects.values_list("category_id", "stem"))
    for question in _bank_plan(random.Random(4), categories):
        if (question.category.pk, question.stem) not in existing:
            question_create(question=question)
    return categories


def _open_quiz(categories, now) -> Quiz:
    quiz = Quiz.objects.filter(title=OPEN_TITLE).first()
    if quiz is None:
        quiz = Quiz(title=OPEN_TITLE)
    quiz.description = "全局中层干部、法制员定期法律知识抽测。每人随机抽取20题，限时30分钟，可作答两次，取最高分。"
    quiz.audience_tiers = [Tier.MID_LEVEL]
    quiz.audience_roles = [Role.LEGAL_OFFICER, Role.TRAINER]
    quiz.opens_at = now - dt.timedelta(days=3)
    quiz.closes_at = now + dt.timedelta(days=60)
    quiz.time_limit_minutes, quiz.pass_mark, quiz.attempts_allowed = 30, Decimal(60), 2
    quiz.counting, quiz.navigation, quiz.partial_credit = "highest", "free", True
    # The key waits for the close: colleagues (and each officer's second attempt) are still sitting.
    quiz.review_policy = ReviewPolicy.AFTER_CLOSE
    quiz.save()
    quiz.audience_units.set(Unit.objects.filter(name="西城派出所"))  # so the demo officer 孙民警 can try it
    # Rows are created directly: on a ClusterableModel, quiz.blueprint_rows.create() waits for quiz.save().
    if not BlueprintRow.objects.filter(quiz=quiz).exists():
        for order, (name, count) in enumerate([("刑事诉讼", 5), ("行政处罚", 3), ("治安管理处罚", 4), ("证据规则", 3), ("涉案财物", 2), ("行政强制", 2), ("执法监督", 1)]):
            BlueprintRow.objects.create(quiz=quiz, category=categories[name], count=count, points=Decimal(5), sort_order=order)
    sun = Officer.objects.filter(police_number="600001").first()
    if sun:
        QuizOverride.objects.get_or_create(quiz=quiz, officer=sun, defaults={"extra_minutes": 10})
    return quiz


def _closed_quiz(categories, now) -> Quiz:
    quiz = Quiz.objects.filter(title=CLOSED_TITLE).first()
    if quiz is None:
        quiz = Quiz(title=CLOSED_TITLE)
    quiz.description = "第三季度中层干部法律知识抽测，含简答题一道。"
    quiz.audience_tiers = [Tier.MID_LEVEL]
    quiz.opens_at = now - dt.timedelta(days=40)
    quiz.closes_at = now - dt.timedelta(days=26)
    quiz.time_limit_minutes, quiz.pass_mark, quiz.attempts_allowed = 40, Decimal(60), 1
    quiz.counting, quiz.review_policy = "first", "after_close"
    quiz.save()
    if not BlueprintRow.objects.filter(quiz=quiz).exists():
        for order, (name, difficulty, count) in enumerate([
            ("刑事诉讼", "", 5), ("行政处罚", "", 3), ("治安管理处罚", "", 3), ("证据规则", "", 2), ("行政强制", "", 2),
            # Small pools, so that item statistics have enough sittings per question to show.
            ("强制措施", "hard", 1), ("侦查措施", "hard", 2),
        ]):
            BlueprintRow.objects.create(quiz=quiz, category=categories[name], difficulty=difficulty, count=count, points=Decimal(5), sort_order=order)
        essay = Question.objects.filter(category=categories["综合论述"]).order_by("id").first()
        FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(10))
    return quiz


def _sit_closed(quiz: Quiz) -> None:
    if quiz.sittings.exists():
        return
    rng = random.Random(2026)
    marker = Officer.objects.filter(police_number="100001").first()
    officers = Officer.objects.filter(tier=Tier.MID_LEVEL, is_active=True, is_superuser=False).exclude(unit__kind="legal_affairs")
    for index, officer in enumerate(officers.order_by("police_number")):
        ability = rng.uniform(0.4, 0.97)
        if index % 9 == 4:  # on leave or on duty: absent (缺考), listed by unit on the results and the bulletin
            continue
        start = quiz.opens_at + dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(1, 10))
        sitting = sitting_start(quiz=quiz, officer=officer, now=start, seed=rng.getrandbits(40))
        for item in sitting.paper.select_related("version"):
            version = item.version
            when = start + dt.timedelta(minutes=1 + item.position)
            if version.type == QuestionType.ESSAY:
                answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, revision=1, now=when,
                            text=version.reference_answer[: int(len(version.reference_answer) * ability)])
                continue
            if rng.random() < ability:
                chosen = version.key
            else:
                chosen = [rng.randrange(len(version.options))]
            answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, revision=1, now=when,
                        choice=[item.option_order.index(i) for i in chosen])
        sitting_submit(sitting=sitting, now=start + dt.timedelta(minutes=25))
        for item in sitting.paper.select_related("version").filter(score__isnull=True):
            essay_mark(item=item, score=Decimal(round(item.points * Decimal(ability))), comment="要点基本完整，表述可更规范。", by=marker)
    assert not quiz.sittings.exclude(status=SittingStatus.FINAL).exists()


def _edit_after_use(quiz: Quiz) -> None:
    """A question the closed test showed is edited afterwards, as trainers do when a law changes:
    version 2 for future draws, while the sittings keep version 1 (its version history shows both)."""
    from django.db.models import Count

    used = (
        Question.objects.filter(pk__in=SittingQuestion.objects.filter(sitting__quiz=quiz).values("question_id"))
        .exclude(type=QuestionType.ESSAY).annotate(n=Count("versions")).order_by("pk")
    )
    if not used.exists() or used.filter(n__gt=1).exists():
        return
    question = used.first()
    question.explanation = (question.explanation + "\n" if question.explanation else "") + (
        "2026年修订：解析补充了《公安机关办理行政案件程序规定》的相关条款，请以现行规定为准。")
    question_update(question=question)


@transaction.atomic
def seed(*, stdout=None) -> None:
    now = timezone.now()
    categories = _seed_bank()
    _open_quiz(categories, now)
    closed = _closed_quiz(categories, now)
    _sit_closed(closed)
    _edit_after_use(closed)
    if not closed.is_published:
        quiz_publish(quiz=closed, by=Officer.objects.filter(police_number="100001").first())
    case_review_demo.seed(stdout=stdout)
    # The bank is in: its questions cite the catalogued laws (lessons' 法律法规库).
    from lessons.demo import bank_questions_cite_laws

    bank_questions_cite_laws()
    if stdout:
        stdout.write(f"assessments: {Question.objects.count()} questions in {Category.objects.count()} categories, "
                     f"tests “{OPEN_TITLE}” (open) and “{CLOSED_TITLE}” (published, {closed.sittings.count()} sittings)\n")
