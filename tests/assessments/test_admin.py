import pytest
from django.urls import reverse

from assessments.models import Question, Quiz
from assessments.services import sitting_start
from officers.services import roles_sync
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(login):
    roles_sync()
    return login(OfficerFactory(roles=["trainer"]))


def test_bank_listing_with_filters(trainer_client, bank):
    url = reverse("assessments_question:index")
    response = trainer_client.get(url, {"category": bank["admin"].pk, "difficulty": "medium", "type": "single", "status": "active"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "行政处罚中0" in html and "刑诉易0" not in html


def test_officer_cannot_open_bank(login, bank):
    assert login(OfficerFactory()).get(reverse("assessments_question:index")).status_code in (302, 403)


def test_create_and_version_through_admin(trainer_client, bank, quiz, officer):
    data = {
        "category": bank["admin"].pk, "type": "single", "difficulty": "easy", "status": "active",
        "stem": "当场处罚的罚款上限是多少？", "option_a": "二百元", "option_b": "五百元", "answer": "A",
        "option_c": "", "option_d": "", "option_e": "", "option_f": "", "reference_answer": "", "explanation": "", "legal_basis": "",
    }
    response = trainer_client.post(reverse("assessments_question:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(stem=data["stem"])
    assert question.pool_seq and question.current_version.number == 1
    # A bad answer is refused with the reason.
    response = trainer_client.post(reverse("assessments_question:edit", args=[question.pk]), {**data, "answer": "E"})
    assert response.status_code == 200 and "不在选项之中" in response.content.decode()
    # Editing a question shown in a sitting makes version 2.
    sitting = sitting_start(quiz=quiz, officer=officer)
    used = Question.objects.get(pk=sitting.paper.first().question_id)
    edit = {**data, "category": used.category_id, "difficulty": used.difficulty, "stem": used.stem + "（修订）", "answer": "B"}
    response = trainer_client.post(reverse("assessments_question:edit", args=[used.pk]), edit)
    assert response.status_code == 302
    used.refresh_from_db()
    assert used.current_version.number == 2 and used.versions.count() == 2


def _quiz_form(bank, count):
    return {
        "title": "新抽测", "description": "", "opens_at": "2026-12-01 08:00", "closes_at": "2026-12-31 18:00",
        "time_limit_minutes": 30, "pass_mark": "60", "attempts_allowed": 1, "counting": "highest",
        "navigation": "free", "review_policy": "immediately",
        "blueprint_rows-TOTAL_FORMS": 1, "blueprint_rows-INITIAL_FORMS": 0, "blueprint_rows-MIN_NUM_FORMS": 0, "blueprint_rows-MAX_NUM_FORMS": 1000,
        "blueprint_rows-0-category": bank["measures"].pk, "blueprint_rows-0-difficulty": "hard", "blueprint_rows-0-count": count,
        "blueprint_rows-0-points": "2", "blueprint_rows-0-ORDER": 1, "blueprint_rows-0-id": "", "blueprint_rows-0-DELETE": "",
        "fixed_questions-TOTAL_FORMS": 0, "fixed_questions-INITIAL_FORMS": 0, "fixed_questions-MIN_NUM_FORMS": 0, "fixed_questions-MAX_NUM_FORMS": 1000,
    }


def test_quiz_blueprint_shortfall_refused_in_admin(trainer_client, bank):
    url = reverse("assessments_quiz:add")
    assert trainer_client.get(url).status_code == 200
    response = trainer_client.post(url, _quiz_form(bank, 9))
    html = response.content.decode()
    assert response.status_code == 200 and "缺 3 道" in html and "第 1 条组卷规则" in html
    assert not Quiz.objects.filter(title="新抽测").exists()
    response = trainer_client.post(url, _quiz_form(bank, 6))
    assert response.status_code == 302
    quiz = Quiz.objects.get(title="新抽测")
    assert quiz.blueprint_rows.get().count == 6
    assert trainer_client.get(reverse("assessments_quiz:edit", args=[quiz.pk])).status_code == 200


@pytest.mark.parametrize("field, value", [("opens_at", "0001-01-01 00:00"), ("closes_at", "9999-12-31 23:59")])
def test_a_test_dated_off_the_calendar_is_refused_in_chinese(trainer_client, bank, field, value):
    response = trainer_client.post(reverse("assessments_quiz:add"), {**_quiz_form(bank, 6), field: value})
    assert response.status_code == 200 and "10 年" in response.content.decode()
    assert not Quiz.objects.filter(title="新抽测").exists()


def test_deleting_an_unused_question_keeps_its_pool_whole(trainer_client, bank, quiz):
    from assessments.models import PoolSize
    from assessments.services import paper_draw

    pool = Question.objects.filter(category=bank["admin"]).order_by("pool_seq")
    first = pool.first()
    response = trainer_client.post(reverse("assessments_question:delete", args=[first.pk]))
    assert response.status_code == 302 and not Question.objects.filter(pk=first.pk).exists()
    assert sorted(pool.values_list("pool_seq", flat=True)) == list(range(1, 12))
    assert PoolSize.objects.get(category=bank["admin"], difficulty="medium").size == 11
    for seed in range(30):  # the row asks for 4 of the 11 left: no draw meets a gap
        assert len(paper_draw(quiz=quiz, seed=seed)) == 12


def test_deleting_things_in_use_is_refused_in_chinese(trainer_client, bank, quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    used = Question.objects.get(pk=sitting.paper.first().question_id)
    response = trainer_client.post(reverse("assessments_question:delete", args=[used.pk]), follow=True)
    assert response.status_code == 200 and "不能删除" in response.content.decode() and "停用" in response.content.decode()
    assert Question.objects.filter(pk=used.pk).exists()

    response = trainer_client.post(reverse("assessments_category:delete", args=[bank["admin"].pk]), follow=True)
    assert response.status_code == 200 and "不能删除" in response.content.decode()

    response = trainer_client.post(reverse("assessments_quiz:delete", args=[quiz.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "不能删除" in html and "关闭时间" in html
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_question_edit_page_says_existing_sittings_keep_their_marks(trainer_client, quiz, officer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    item = sitting.paper.first()
    html = trainer_client.get(reverse("assessments_question:edit", args=[item.question_id])).content.decode()
    assert "已有答卷" in html and "保留" in html
    assert reverse("assessments:key_correct", args=[item.version_id]) in html
    unused = Question.objects.exclude(pk__in=sitting.paper.values("question_id")).first()
    html = trainer_client.get(reverse("assessments_question:edit", args=[unused.pk])).content.decode()
    assert "已有答卷" not in html
