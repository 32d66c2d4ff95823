import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessments.models import (
    BlueprintRow,
    FixedQuestion,
    PoolSize,
    Question,
    QuestionStatus,
    QuizOverride,
    Regrade,
    Sitting,
    SittingQuestion,
    SittingStatus,
)
from assessments.services import (
    AssessmentError,
    answer_save,
    blueprint_shortfalls,
    essay_mark,
    paper_draw,
    question_key_correct,
    question_retire,
    question_score,
    question_update,
    sitting_start,
    sitting_submit,
)
from assessments.tasks import sitting_autosubmit, sittings_expire_all
from tests.factories.assessments import (
    BlueprintRowFactory,
    EssayQuestionFactory,
    MultipleQuestionFactory,
    QuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _pools_dense():
    for pool in PoolSize.objects.all():
        seqs = sorted(Question.objects.filter(category=pool.category, difficulty=pool.difficulty, status="active").values_list("pool_seq", flat=True))
        assert seqs == list(range(1, pool.size + 1))


def test_blueprint_honoured_without_duplicates(quiz, bank, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    paper = list(sitting.paper.select_related("question__category"))
    assert len(paper) == 12
    assert len({p.question_id for p in paper}) == 12
    subtree = {bank["criminal"].pk, bank["measures"].pk}
    assert sum(1 for p in paper if p.question.category_id in subtree) == 8
    assert sum(1 for p in paper if p.question.category_id == bank["admin"].pk) == 4
    assert sitting.max_score == Decimal(24)


def test_every_question_drawn_when_row_asks_for_the_whole_pool(bank, officer):
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=12)
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert sitting.paper.values("question_id").distinct().count() == 12


def test_same_seed_same_paper(quiz):
    first, second = paper_draw(quiz=quiz, seed=42), paper_draw(quiz=quiz, seed=42)
    assert [(d.question_id, d.option_order) for d in first] == [(d.question_id, d.option_order) for d in second]
    other = paper_draw(quiz=quiz, seed=43)
    assert [d.question_id for d in other] != [d.question_id for d in first]


def test_a_retake_draws_questions_not_seen_before_while_the_bank_has_them(bank, officer):
    quiz = QuizFactory(attempts_allowed=3)
    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=8)  # 12 in the pool
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=4)  # 12 in the pool

    def sit():
        sitting = sitting_start(quiz=quiz, officer=officer)
        sitting_submit(sitting=sitting)
        return {p.question_id for p in sitting.paper.all()}, {
            p.question_id for p in sitting.paper.filter(question__category=bank["admin"])
        }

    first, first_admin = sit()
    second, second_admin = sit()
    # The criminal pool has only 4 unseen questions left: all 4 are taken, then 4 seen ones.
    criminal_second = second - second_admin
    assert len(criminal_second - first) == 4
    assert not second_admin & first_admin  # 8 unseen left, 4 wanted: none repeated
    third, third_admin = sit()
    assert not third_admin & (first_admin | second_admin)  # the last 4 unseen
    assert len(third) == 12  # the criminal row still filled, from questions seen before


def test_shortfall_named_per_row(bank):
    rows = [
        BlueprintRow(category=bank["criminal"], difficulty="", count=12),
        BlueprintRow(category=bank["measures"], difficulty="hard", count=3),  # narrower: served first
        BlueprintRow(category=bank["admin"], difficulty="easy", count=1),
    ]
    shortfalls = blueprint_shortfalls(rows=rows)
    # The broad row takes what the narrow one leaves: 12 − 3 = 9, so it is 3 short.
    assert [(s.row, s.wanted, s.available) for s in shortfalls] == [(1, 12, 9), (3, 1, 0)]
    assert "第 1 条组卷规则" in str(shortfalls[0]) and "缺 3 道" in str(shortfalls[0])
    # The difficulty is named in words, not by its code.
    assert "（行政处罚，易）" in str(shortfalls[1]) and "easy" not in str(shortfalls[1])


@pytest.fixture
def nested_bank(db):
    """刑事诉讼 with 3 hard questions of its own; its child 侦查措施 with 4 hard and 2 easy."""
    from tests.factories.assessments import CategoryFactory

    criminal = CategoryFactory(name="刑事诉讼")
    investigation = CategoryFactory(name="侦查措施", parent=criminal)
    for i in range(3):
        QuestionFactory(category=criminal, difficulty="hard", stem=f"刑诉难{i}")
    for i in range(4):
        QuestionFactory(category=investigation, difficulty="hard", stem=f"侦查难{i}")
    for i in range(2):
        QuestionFactory(category=investigation, difficulty="easy", stem=f"侦查易{i}")
    return criminal, investigation


def _blueprint(rows):
    quiz = QuizFactory()
    for category, difficulty, count in rows:
        BlueprintRowFactory(quiz=quiz, category=category, difficulty=difficulty, count=count)
    return quiz


@pytest.mark.parametrize("broad", [2, 3])
def test_overlapping_rows_pass_the_check_and_every_draw_fills_them(nested_bank, broad):
    criminal, investigation = nested_bank
    quiz = _blueprint([(criminal, "hard", broad), (investigation, "hard", 4)])
    assert blueprint_shortfalls(rows=list(quiz.blueprint_rows.all())) == []
    for seed in range(40):
        paper = paper_draw(quiz=quiz, seed=seed)
        categories = dict(Question.objects.filter(pk__in=[d.question_id for d in paper]).values_list("pk", "category_id"))
        assert len(paper) == broad + 4 == len(categories)
        assert sum(1 for d in paper if categories[d.question_id] == investigation.pk) == 4


def test_a_row_crossing_a_narrower_any_difficulty_row_always_draws(nested_bank):
    criminal, investigation = nested_bank
    # 侦查措施 (any) ×3 may take its 2 easy questions or the hard ones that 刑事诉讼 (hard) ×6 needs.
    quiz = _blueprint([(criminal, "hard", 6), (investigation, "", 3)])
    assert blueprint_shortfalls(rows=list(quiz.blueprint_rows.all())) == []
    for seed in range(40):
        paper = paper_draw(quiz=quiz, seed=seed)
        assert len({d.question_id for d in paper}) == 9
    assert [d.question_id for d in paper_draw(quiz=quiz, seed=7)] == [d.question_id for d in paper_draw(quiz=quiz, seed=7)]
    too_many = _blueprint([(criminal, "hard", 6), (investigation, "", 4)])
    shortfalls = blueprint_shortfalls(rows=list(too_many.blueprint_rows.all()))
    assert [(s.row, s.wanted, s.available) for s in shortfalls] == [(1, 6, 5)]
    assert "（刑事诉讼，难）" in str(shortfalls[0])
    with pytest.raises(AssessmentError):
        paper_draw(quiz=too_many, seed=1)


def test_retired_question_leaves_future_draws_only(quiz, bank, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    shown = sitting.paper.first()
    question = Question.objects.get(pk=shown.question_id)
    question_retire(question=question)
    _pools_dense()
    assert PoolSize.objects.get(category=question.category, difficulty=question.difficulty).size == 5
    assert SittingQuestion.objects.filter(pk=shown.pk).exists()
    for seed in range(20):
        assert question.pk not in [d.question_id for d in paper_draw(quiz=quiz, seed=seed)]


def test_editing_a_used_question_makes_a_new_version(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    item = sitting.paper.select_related("version").first()
    question = Question.objects.get(pk=item.question_id)
    question.stem = "修改后的题干"
    question_update(question=question)
    question.refresh_from_db()
    item.refresh_from_db()
    assert question.current_version.number == 2
    assert item.version.number == 1 and item.version.stem != "修改后的题干"
    # An unused question is edited in place.
    unused = QuestionFactory(category=question.category)
    unused.stem = "改"
    question_update(question=unused)
    assert unused.versions.count() == 1 and unused.current_version.stem == "改"


def test_moving_a_question_between_pools_keeps_them_dense(bank):
    question = Question.objects.filter(category=bank["admin"]).order_by("pool_seq").first()
    question.difficulty = "hard"
    question_update(question=question)
    _pools_dense()


def test_one_sitting_in_progress_enforced_by_database(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert sitting_start(quiz=quiz, officer=officer).pk == sitting.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Sitting.objects.create(quiz=quiz, officer=officer, attempt=2, seed=1, started_at=sitting.started_at, deadline=sitting.deadline)


def test_attempts_and_overrides(quiz, officer):
    sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    with pytest.raises(AssessmentError):
        sitting_start(quiz=quiz, officer=officer)
    QuizOverride.objects.create(quiz=quiz, officer=officer, extra_attempts=1, extra_minutes=15)
    second = sitting_start(quiz=quiz, officer=officer)
    assert second.attempt == 2
    assert second.deadline - second.started_at == dt.timedelta(minutes=45)


def test_later_close_for_an_officer_on_leave(quiz, officer):
    after = quiz.closes_at + dt.timedelta(days=1)
    with time_machine.travel(after, tick=False), pytest.raises(AssessmentError):
        sitting_start(quiz=quiz, officer=officer)
    QuizOverride.objects.create(quiz=quiz, officer=officer, closes_at=quiz.closes_at + dt.timedelta(days=3))
    with time_machine.travel(after, tick=False):
        assert sitting_start(quiz=quiz, officer=officer).status == SittingStatus.IN_PROGRESS


def test_audience(quiz, officer):
    quiz.audience_tiers = ["mid_level"]
    quiz.save()
    with pytest.raises(PermissionDenied):
        sitting_start(quiz=quiz, officer=officer)
    assert sitting_start(quiz=quiz, officer=OfficerFactory(tier="mid_level"))


def test_a_test_aimed_at_a_brigade_is_open_to_its_squads(quiz, officer):
    from tests.factories.officers import UnitFactory

    brigade = UnitFactory(name="刑侦大队", kind="brigade")
    squad = UnitFactory(name="刑侦大队一中队", kind="brigade", parent=brigade)
    other = UnitFactory(name="城关派出所")
    quiz.audience_units.set([brigade])
    assert sitting_start(quiz=quiz, officer=OfficerFactory(unit=squad)).status == SittingStatus.IN_PROGRESS
    assert sitting_start(quiz=quiz, officer=OfficerFactory(unit=brigade))
    with pytest.raises(PermissionDenied):
        sitting_start(quiz=quiz, officer=OfficerFactory(unit=other))


def _choose_key(item):
    """Positions (as shown) of the key."""
    return [item.option_order.index(i) for i in item.version.key]


def test_answers_mapped_from_shown_positions_and_graded(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    paper = list(sitting.paper.select_related("version"))
    for n, item in enumerate(paper):
        positions = _choose_key(item) if n < 9 else [item.option_order.index(1)]
        assert answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, choice=positions, revision=1).saved
    sitting = sitting_submit(sitting=sitting)
    assert sitting.status == SittingStatus.FINAL
    assert sitting.score == Decimal(18) and sitting.max_score == Decimal(24)
    assert sitting.passed is True


def test_stale_save_never_overwrites(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[2], revision=2000).saved
    assert not answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[1], revision=1000).saved
    item = sitting.paper.get(position=0)
    assert item.choice == [item.option_order[2]] and item.revision == 2000


def test_revisions_count_saves_not_clock_time(quiz, officer):
    """The page continues from the served revision: 1, 2, 3 … whatever the device's clock says."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[1], revision=1).saved
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[2], revision=2).saved
    # Save 1 arriving late (after save 2) is dropped, and the stored revision is reported.
    late = answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[1], revision=1)
    assert (late.saved, late.revision) == (False, 2)
    # Save 2 retried after a lost response: it did land, so it counts as saved.
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[2], revision=2).saved
    # Another device, served revision 1 as well, answering differently: refused, not silently lost.
    assert not answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[3], revision=2).saved
    item = sitting.paper.get(position=0)
    assert item.choice == [item.option_order[2]] and item.revision == 2


def test_someone_elses_sitting_is_refused(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    with pytest.raises(PermissionDenied):
        answer_save(sitting_id=sitting.pk, officer=OfficerFactory(), position=0, choice=[0], revision=1)


def test_single_choice_refuses_two_positions(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    with pytest.raises(AssessmentError):
        answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0, 1], revision=1)


def test_server_side_deadline_and_autosubmit(quiz, officer):
    start = quiz.opens_at + dt.timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        sitting = sitting_start(quiz=quiz, officer=officer)
    with time_machine.travel(start + dt.timedelta(minutes=30, seconds=5), tick=False):
        assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0], revision=5).saved  # grace
        sitting_autosubmit.enqueue(sitting_id=sitting.pk)
        sitting.refresh_from_db()
        assert sitting.status == SittingStatus.IN_PROGRESS
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        with pytest.raises(AssessmentError):
            answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[1], revision=6)
        sitting_autosubmit.enqueue(sitting_id=sitting.pk)
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.FINAL and sitting.auto_submitted


def test_sweep_submits_abandoned_sittings(quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    with time_machine.travel(sitting.deadline + dt.timedelta(minutes=1), tick=False):
        sittings_expire_all.enqueue()
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.FINAL and sitting.submitted_at is not None


@pytest.mark.parametrize(
    ("choice", "partial", "expected"),
    [([0, 2], False, "2"), ([0], False, "0"), ([0], True, "1.00"), ([0, 1], True, "0"), ([], True, "0"), ([0, 2], True, "2")],
)
def test_multiple_choice_scoring(choice, partial, expected):
    assert question_score(type="multiple", key=[0, 2], choice=choice, points=Decimal(2), partial_credit=partial) == Decimal(expected)


def test_true_false_scoring():
    assert question_score(type="true_false", key=[1], choice=[1], points=Decimal(1), partial_credit=False) == 1
    assert question_score(type="true_false", key=[1], choice=[0], points=Decimal(1), partial_credit=False) == 0


def test_essays_wait_for_marking_then_final(bank, officer):
    essay = EssayQuestionFactory(category=bank["admin"], stem="简述行政处罚的原则")
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(10))
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=2)
    trainer = OfficerFactory(roles=["trainer"])
    sitting = sitting_start(quiz=quiz, officer=officer)
    essay_position = sitting.paper.get(question=essay).position  # the essay section comes last
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=essay_position, text="合法、公正、公开。",
                       revision=1).saved
    sitting = sitting_submit(sitting=sitting)
    assert sitting.status == SittingStatus.MARKING and sitting.score is None
    item = sitting.paper.select_related("version").get(position=essay_position)
    with pytest.raises(ValidationError):
        essay_mark(item=item, score=Decimal(11), comment="", by=trainer)
    essay_mark(item=item, score=Decimal(7), comment="要点基本齐全", by=trainer)
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.FINAL and sitting.score == Decimal(7)


def test_regrading_after_key_correction(bank):
    quiz = QuizFactory(attempts_allowed=1)
    tf = TrueFalseQuestionFactory(category=bank["admin"], stem="违反治安管理行为在六个月内没有被公安机关发现的，不再处罚。", answer="F")
    multi = MultipleQuestionFactory(category=bank["admin"], stem="多选题")
    FixedQuestion.objects.create(quiz=quiz, question=tf, points=Decimal(5))
    FixedQuestion.objects.create(quiz=quiz, question=multi, points=Decimal(5))
    officers = [OfficerFactory() for _ in range(3)]
    for officer in officers:
        sitting = sitting_start(quiz=quiz, officer=officer)
        position = sitting.paper.get(question=tf).position  # the true/false section follows the multiple choice
        answer_save(sitting_id=sitting.pk, officer=officer, position=position, choice=[0], revision=1)  # "true"
        sitting_submit(sitting=sitting)
    assert set(Sitting.objects.values_list("score", flat=True)) == {Decimal(0)}
    regrade = question_key_correct(version=tf.current_version, answer="T", by=officers[0], reason="键误")
    assert regrade.sittings_affected == 3 and Regrade.objects.count() == 1
    assert set(Sitting.objects.values_list("score", flat=True)) == {Decimal(5)}
    tf.refresh_from_db()
    assert tf.answer == "T"


def test_retired_question_status(bank):
    question = Question.objects.filter(category=bank["admin"]).first()
    question_retire(question=question)
    question.refresh_from_db()
    assert question.status == QuestionStatus.RETIRED and question.pool_seq is None


def test_sequential_test_refuses_going_back(quiz, officer):
    quiz.navigation = "sequential"
    quiz.save()
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0], revision=1).saved
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=1, choice=[0], revision=2).saved
    with pytest.raises(AssessmentError):
        answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[1], revision=3)


def test_sequential_skipping_ahead_without_answering_closes_earlier_questions(quiz, officer):
    from assessments.services import sitting_position_reach

    quiz.navigation = "sequential"
    quiz.save()
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert sitting_position_reach(sitting_id=sitting.pk, officer=officer, position=4) == 4
    with pytest.raises(AssessmentError, match="只能按顺序作答"):
        answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0], revision=1)
    assert answer_save(sitting_id=sitting.pk, officer=officer, position=4, choice=[0], revision=1).saved
    assert sitting_position_reach(sitting_id=sitting.pk, officer=officer, position=2) == 4  # never backwards
    sitting.refresh_from_db()
    assert sitting.furthest_position == 4
    with pytest.raises(PermissionDenied):
        sitting_position_reach(sitting_id=sitting.pk, officer=OfficerFactory(), position=5)


def test_expire_command(quiz, officer):
    import io

    from django.core.management import call_command

    sitting = sitting_start(quiz=quiz, officer=officer)
    out = io.StringIO()
    with time_machine.travel(sitting.deadline + dt.timedelta(minutes=5), tick=False):
        call_command("expire_sittings", stdout=out)
    assert "submitted 1" in out.getvalue()
