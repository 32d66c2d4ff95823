"""Knowledge checks that draw questions from the assessments bank beside their own."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import QuestionStatus
from assessments.services import question_update
from lessons.blocks import KnowledgeCheckBlock, question_items
from lessons.models import KnowledgeCheckAttempt, LessonCompletion
from officers.roles import Role
from tests.factories.assessments import (
    EssayQuestionFactory,
    MultipleQuestionFactory,
    QuestionFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.lessons import (
    CoursePageFactory,
    LessonPageFactory,
    _block,
    check_answers,
    rich_text,
    studied,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db

OWN_PROMPT = "取保候审由哪个机关执行？"


def _own_question():
    return _block("question", {
        "prompt": OWN_PROMPT,
        "options": [{"text": "公安机关", "is_correct": True}, {"text": "人民法院", "is_correct": False}],
        "explanation": "刑事诉讼法第六十七条第二款。",
    })


def _check(*bank_questions, own=True, pass_percent=100):
    questions = ([_own_question()] if own else []) + [_block("bank_question", q.pk) for q in bank_questions]
    return _block("knowledge_check", {"title": "课后小测", "pass_percent": pass_percent, "questions": questions})


@pytest.fixture
def bank_question(db):
    return QuestionFactory(
        stem="拘留后，应当在多少小时以内送看守所羁押？",
        option_a="二十四小时", option_b="四十八小时", option_c="十二小时", option_d="七十二小时", answer="A",
        explanation="依照刑事诉讼法第八十五条，至迟不得超过二十四小时。",
        legal_basis="《中华人民共和国刑事诉讼法》第八十五条",
    )


@pytest.fixture
def mixed_lesson(course, bank_question):
    return LessonPageFactory(parent=course, title="第三讲 拘留", body=[rich_text(), _check(bank_question)])


def _post(client, lesson, answers):
    block_id = lesson.knowledge_checks[0].id
    data = {f"q-{k}": v for k, v in answers.items()}
    return client.post(reverse("lessons:knowledge_check", args=[lesson.pk, block_id]), data, follow=True)


def test_a_bank_question_becomes_the_same_item_as_an_own_question(mixed_lesson, bank_question):
    own, bank = question_items(mixed_lesson.knowledge_checks[0].value)
    assert set(own) == set(bank)
    assert bank["prompt"] == bank_question.stem
    assert bank["options"] == ["二十四小时", "四十八小时", "十二小时", "七十二小时"]
    assert bank["correct"] == {0} and bank["multiple"] is False
    assert bank["explanation"] == bank_question.explanation
    assert bank["legal_basis"] == "《中华人民共和国刑事诉讼法》第八十五条"


def test_true_false_and_multiple_bank_questions(course):
    true_false, multiple = TrueFalseQuestionFactory(answer="F"), MultipleQuestionFactory(answer="AC")
    lesson = LessonPageFactory(parent=course, body=[_check(true_false, multiple, own=False)])
    with translation.override("zh-hans"):
        first, second = question_items(lesson.knowledge_checks[0].value)
    assert first["options"] == ["正确", "错误"] and first["correct"] == {1}
    assert second["correct"] == {0, 2} and second["multiple"] is True


def test_the_page_shows_both_questions_without_the_key(client, login, legal_officer, mixed_lesson, bank_question):
    login(legal_officer)
    html = client.get(mixed_lesson.url).content.decode()
    assert OWN_PROMPT in html and bank_question.stem in html
    assert "二十四小时" in html and "四十八小时" in html
    assert "option--correct" not in html
    assert bank_question.explanation not in html and bank_question.legal_basis not in html
    assert 'type="radio"' in html and 'type="checkbox"' not in html


def test_right_answers_pass_and_complete_the_lesson(client, login, legal_officer, mixed_lesson, bank_question):
    login(legal_officer)
    _block_id, right = check_answers(mixed_lesson)
    html = _post(client, mixed_lesson, right).content.decode()
    assert "检测通过" in html
    attempt = KnowledgeCheckAttempt.objects.get(officer=legal_officer)
    assert (attempt.correct, attempt.total, attempt.passed) == (2, 2, True)
    studied(legal_officer, mixed_lesson)
    client.post(reverse("lessons:lesson_complete", args=[mixed_lesson.pk]))  # the lesson's end
    assert LessonCompletion.objects.filter(officer=legal_officer, lesson=mixed_lesson).exists()
    # After passing, the explanation and legal basis of the bank question are shown.
    assert bank_question.explanation in html and bank_question.legal_basis in html


def test_a_wrong_bank_answer_fails_the_check(client, login, legal_officer, mixed_lesson):
    login(legal_officer)
    _block_id, right = check_answers(mixed_lesson)
    _block_id, wrong = check_answers(mixed_lesson, right=False)
    own_id, bank_id = list(right)
    html = _post(client, mixed_lesson, {own_id: right[own_id], bank_id: wrong[bank_id]}).content.decode()
    assert "未通过" in html
    attempt = KnowledgeCheckAttempt.objects.get(officer=legal_officer)
    assert (attempt.correct, attempt.total, attempt.passed) == (1, 2, False)
    assert not LessonCompletion.objects.exists()


def test_an_edited_bank_question_is_shown_and_graded_by_its_new_version(
    client, login, legal_officer, mixed_lesson, bank_question
):
    first_version = bank_question.current_version_id
    bank_question.stem = "拘留后，至迟应当在多长时间内送看守所羁押？"
    bank_question.option_a, bank_question.option_b = "四十八小时", "二十四小时"
    bank_question.answer = "B"
    question_update(question=bank_question)
    login(legal_officer)
    html = client.get(mixed_lesson.url).content.decode()
    assert "至迟应当在多长时间内" in html and "应当在多少小时以内" not in html
    own_id, bank_id = (item["id"] for item in question_items(mixed_lesson.knowledge_checks[0].value))
    old_key = _post(client, mixed_lesson, {own_id: [0], bank_id: [0]})
    assert "未通过" in old_key.content.decode()
    with time_machine.travel(dt.timedelta(minutes=3)):  # a failed check reopens after a pause
        new_key = _post(client, mixed_lesson, {own_id: [0], bank_id: [1]})
    assert "检测通过" in new_key.content.decode()
    bank_question.refresh_from_db()
    assert bank_question.current_version_id == first_version  # never used in a sitting: edited in place


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: EssayQuestionFactory(), "简答题无法在页面上自动评分"),
        (lambda: QuestionFactory(status=QuestionStatus.RETIRED), "已从题库停用"),
    ],
    ids=["essay", "retired"],
)
def test_an_essay_or_retired_bank_question_is_refused(make, message):
    block = KnowledgeCheckBlock()
    value = block.to_python(_check(make())["value"])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        block.clean(value)
    assert message in str(error.value.block_errors["questions"].as_json_data())


def test_an_objective_bank_question_passes_validation(bank_question):
    block = KnowledgeCheckBlock()
    cleaned = block.clean(block.to_python(_check(bank_question, TrueFalseQuestionFactory())["value"]))
    assert [child.block_type for child in cleaned["questions"]] == ["question", "bank_question", "bank_question"]


def test_a_question_retired_after_publishing_still_renders(mixed_lesson, bank_question):
    # Retiring takes a question out of future test draws; a reviewed lesson keeps
    # teaching it until a trainer replaces it (the editor then refuses to save it).
    bank_question.status = QuestionStatus.RETIRED
    question_update(question=bank_question)
    items = question_items(mixed_lesson.knowledge_checks[0].value)
    assert [i["prompt"] for i in items] == [OWN_PROMPT, bank_question.stem]


def test_a_deleted_bank_question_drops_out_of_grading(mixed_lesson, bank_question):
    bank_question.versions.all().delete()
    bank_question.delete()
    items = question_items(type(mixed_lesson).objects.get(pk=mixed_lesson.pk).knowledge_checks[0].value)
    assert [i["prompt"] for i in items] == [OWN_PROMPT]


def test_bank_questions_load_in_one_query_whatever_their_number(client, login, legal_officer, hall):
    # Each lesson alone in its course, so that both pages look up the same neighbours.
    one = LessonPageFactory(parent=CoursePageFactory(parent=hall), body=[_check(QuestionFactory())])
    six = LessonPageFactory(parent=CoursePageFactory(parent=hall), body=[_check(*QuestionFactory.create_batch(6))])
    login(legal_officer)
    counts = []
    for lesson in (one, six):
        client.get(lesson.url)  # warm the session and site caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(lesson.url).content.decode()
        counts.append(len(queries))
        assert html.count('class="question') == len(question_items(lesson.knowledge_checks[0].value))
    assert counts[0] == counts[1]


# --- the page editor --------------------------------------------------------


@pytest.fixture
def trainer(db):
    return OfficerFactory(name="陈教官", roles=[Role.TRAINER])


def test_the_chooser_offers_only_objective_questions_in_use(client, login, trainer, bank_question):
    essay = EssayQuestionFactory(stem="简述取保候审的适用条件。")
    retired = QuestionFactory(stem="已停用的旧题：劳动教养的期限是？", status=QuestionStatus.RETIRED)
    true_false = TrueFalseQuestionFactory(stem="取保候审最长不得超过十二个月。")
    login(trainer)
    response = client.get(reverse("lessons_bank_question_chooser:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert bank_question.stem[:20] in html and true_false.stem[:20] in html
    assert essay.stem not in html and retired.stem[:10] not in html
    found = client.get(reverse("lessons_bank_question_chooser:choose_results"), {"q": "看守所"}).content.decode()
    assert bank_question.stem[:20] in found and true_false.stem[:20] not in found
    chosen = client.get(reverse("lessons_bank_question_chooser:chosen", args=[bank_question.pk])).json()
    assert chosen["result"]["id"] == str(bank_question.pk)


def test_the_lesson_editor_opens_with_a_bank_question(client, login, trainer, mixed_lesson, bank_question):
    trainer.is_superuser = True
    trainer.save(update_fields=["is_superuser"])
    login(trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[mixed_lesson.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lessons_bank_question_chooser" in html or "bank-question-chooser" in html


def test_a_check_left_with_nothing_to_grade_does_not_hold_the_lesson_back(client, login, legal_officer, course, bank_question):
    lesson = LessonPageFactory(parent=course, title="第四讲 羁押期限", body=[rich_text(), _check(bank_question, own=False)])
    bank_question.versions.all().delete()
    bank_question.delete()  # the check's only question is gone
    login(legal_officer)

    page = client.get(lesson.url).content.decode()
    assert "课后小测" not in page and "通过上方的知识检测" not in page

    studied(legal_officer, lesson)
    client.post(reverse("lessons:lesson_complete", args=[lesson.pk]))
    assert LessonCompletion.objects.filter(officer=legal_officer, lesson=lesson).exists()


# --- issue 8, leak 4 ----------------------------------------------------------------------


def test_a_failed_attempt_shows_only_the_overall_outcome(client, login, legal_officer, mixed_lesson, bank_question):
    login(legal_officer)
    block_id = mixed_lesson.knowledge_checks[0].id
    own_id, bank_id = (item["id"] for item in question_items(mixed_lesson.knowledge_checks[0].value))
    # The own question right, the bank question wrong: 1 of 2, not passed.
    response = client.post(reverse("lessons:knowledge_check", args=[mixed_lesson.pk, block_id]),
                           {f"q-{own_id}": "0", f"q-{bank_id}": "1"}, follow=True)
    html = response.content.decode()
    assert "未通过" in html
    assert "question--right" not in html and "question--wrong" not in html
    assert "option--correct" not in html
    assert "回答正确" not in html and "回答错误" not in html
    assert bank_question.explanation not in html and bank_question.legal_basis not in html
    assert "通过后显示" in html
    # Passing (after the pause a failed check imposes) marks every question, with the explanations.
    with time_machine.travel(dt.timedelta(minutes=3)):
        response = client.post(reverse("lessons:knowledge_check", args=[mixed_lesson.pk, block_id]),
                               {f"q-{own_id}": "0", f"q-{bank_id}": "0"}, follow=True)
    html = response.content.decode()
    assert "question--right" in html and bank_question.explanation in html


def test_a_question_taught_in_a_lesson_is_never_drawn_for_a_test(mixed_lesson, bank_question):
    from assessments.services import (
        blueprint_shortfalls,
        paper_draw,
        questions_taught_in_lessons,
    )
    from tests.factories.assessments import BlueprintRowFactory, QuizFactory

    assert bank_question.pk in questions_taught_in_lessons()
    for n in range(3):
        QuestionFactory(category=bank_question.category, stem=f"同类题{n}")
    quiz = QuizFactory()
    row = BlueprintRowFactory(quiz=quiz, category=bank_question.category, count=3)
    for seed in range(40):
        drawn = {d.question_id for d in paper_draw(quiz=quiz, seed=seed)}
        assert bank_question.pk not in drawn and len(drawn) == 3
    # The bank holds four questions of the category, but only three can be drawn.
    row.count = 4
    row.save()
    (shortfall,) = blueprint_shortfalls(rows=[row])
    assert shortfall.available == 3


def test_a_fixed_question_taught_in_a_lesson_is_refused_in_the_quiz_form(client, login, mixed_lesson, bank_question):
    login(OfficerFactory(roles=[Role.TRAINER]))
    data = {
        "title": "新抽测", "description": "", "opens_at": "2026-12-01 08:00", "closes_at": "2026-12-31 18:00",
        "time_limit_minutes": 30, "pass_mark": "60", "attempts_allowed": 1, "counting": "highest",
        "navigation": "free", "review_policy": "after_close",
        "blueprint_rows-TOTAL_FORMS": 0, "blueprint_rows-INITIAL_FORMS": 0, "blueprint_rows-MIN_NUM_FORMS": 0,
        "blueprint_rows-MAX_NUM_FORMS": 1000,
        "fixed_questions-TOTAL_FORMS": 1, "fixed_questions-INITIAL_FORMS": 0, "fixed_questions-MIN_NUM_FORMS": 0,
        "fixed_questions-MAX_NUM_FORMS": 1000, "fixed_questions-0-question": bank_question.pk,
        "fixed_questions-0-points": "5", "fixed_questions-0-ORDER": 1, "fixed_questions-0-id": "",
        "fixed_questions-0-DELETE": "",
    }
    response = client.post(reverse("assessments_quiz:add"), data)
    assert response.status_code == 200 and "知识检测" in response.content.decode()


def test_a_question_on_a_paper_being_answered_cannot_be_linked_into_a_lesson(bank_question, officer):
    from assessments.services import sitting_start, sitting_submit
    from lessons.blocks import BankQuestionBlock
    from tests.factories.assessments import BlueprintRowFactory, QuizFactory

    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank_question.category, count=1)
    sitting = sitting_start(quiz=quiz, officer=officer)
    block = BankQuestionBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(bank_question)
    assert "仍在进行" in str(error.value)
    sitting_submit(sitting=sitting)
    assert block.clean(bank_question) == bank_question  # no paper open: from now on it is never drawn
