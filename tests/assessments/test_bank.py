"""The question bank as trainers keep it: categories, retiring, key corrections, file names."""

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import unquote

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.bank_selectors import retirement_impact
from assessments.importers import BANK_SHEET_HEADER, bank_import
from assessments.models import Category, FixedQuestion, Question, Regrade, Sitting
from assessments.services import (
    answer_save,
    question_update,
    sitting_start,
    sitting_submit,
)
from officers.services import roles_sync
from publications.views import _bulletin_filename
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    MultipleQuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(login):
    roles_sync()
    return login(OfficerFactory(roles=["trainer"]))


def sheet(rows, header=BANK_SHEET_HEADER) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def saved_name(response) -> str:
    """The file name a browser saves the download under (RFC 5987 `filename*`)."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


def test_downloads_are_named_in_chinese(trainer_client, bank):
    assert saved_name(trainer_client.get(reverse("assessments_bank_export"))) == "题库.xlsx"
    assert saved_name(trainer_client.get(reverse("assessments_bank_template"))) == "题库导入模板.xlsx"
    quiz = QuizFactory(title="2026年第三季度刑事/行政法律知识抽测")
    response = trainer_client.get(reverse("assessments:manage_quiz_export", args=[quiz.pk]))
    # A "/" would make the browser cut the name or refuse it.
    assert saved_name(response) == "成绩-2026年第三季度刑事_行政法律知识抽测.xlsx"


def test_the_bulletin_is_named_after_its_test_and_version():
    quiz = SimpleNamespace(title="三季度抽测")
    first = SimpleNamespace(subject=quiz, title="x", version=1)
    assert _bulletin_filename(first) == "通报-三季度抽测.pdf"
    assert _bulletin_filename(SimpleNamespace(subject=quiz, title="x", version=2)) == "通报-三季度抽测-第2版.pdf"


# --- categories -------------------------------------------------------------------------


def test_moving_a_category_under_its_own_subcategory_is_refused_in_words(trainer_client, bank):
    criminal, measures = bank["criminal"], bank["measures"]
    grandchild = CategoryFactory(name="拘传", parent=measures)
    url = reverse("assessments_category:edit", args=[criminal.pk])
    for parent in (measures, grandchild, criminal):
        response = trainer_client.post(url, {"name": "刑事诉讼", "parent": parent.pk})
        assert response.status_code == 200
        assert "不能移到它自己或它的下级分类之下" in response.content.decode()
    criminal.refresh_from_db()
    assert criminal.parent_id is None and criminal.path == Category.objects.get(pk=criminal.pk).path
    # A legitimate move still works, and the subtree's paths follow.
    response = trainer_client.post(url, {"name": "刑事诉讼", "parent": bank["admin"].pk})
    assert response.status_code == 302
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(bank["admin"].path) and grandchild.full_name == "行政处罚 / 刑事诉讼 / 强制措施 / 拘传"


def test_two_top_level_categories_cannot_share_a_name(trainer_client, bank):
    response = trainer_client.post(reverse("assessments_category:add"), {"name": "刑事诉讼", "parent": ""})
    assert response.status_code == 200 and "已有同名的一级分类" in response.content.decode()
    assert Category.objects.filter(name="刑事诉讼", parent=None).count() == 1
    # The database itself refuses it (a partial unique index: NULL parents are otherwise distinct).
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="刑事诉讼", parent=None, path="99999/")
    # The same name under different parents, or as a subcategory, is fine.
    assert CategoryFactory(name="刑事诉讼", parent=bank["admin"]).full_name == "行政处罚 / 刑事诉讼"


def test_the_sheet_import_files_questions_under_the_one_top_level_category(bank):
    CategoryFactory(name="刑事诉讼", parent=bank["admin"])  # the same name lower down the tree
    result = bank_import(data=sheet([["刑事诉讼", "判断", "拘传持续的时间不得超过十二小时。", *[""] * 6, "对", "易", "", ""]]),
                         filename="bank.xlsx")
    assert result.created == 1
    assert Question.objects.get(stem="拘传持续的时间不得超过十二小时。").category == bank["criminal"]


# --- key corrections ---------------------------------------------------------------------


def sat(quiz, officers, choice):
    for officer in officers:
        sitting = sitting_start(quiz=quiz, officer=officer)
        answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=choice, revision=1)
        sitting_submit(sitting=sitting)


def test_correcting_the_key_from_item_statistics_regrades_the_version_the_sittings_showed(trainer_client, bank):
    quiz = QuizFactory()
    question = TrueFalseQuestionFactory(category=bank["admin"], stem="违反治安管理行为在六个月内没有被公安机关发现的，不再处罚。",
                                        answer="F")
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(5))
    officers = [OfficerFactory() for _ in range(5)]
    sat(quiz, officers, [0])  # "true": the right answer, marked wrong by the key F
    shown = question.current_version
    question.explanation = "《治安管理处罚法》第二十二条。"
    question_update(question=question)  # the edit makes version 2: version 1 was shown
    question.refresh_from_db()
    assert question.current_version.number == 2
    html = trainer_client.get(reverse("assessments:manage_items", args=[quiz.pk])).content.decode()
    link = reverse("assessments:key_correct", args=[shown.pk])
    assert link in html and reverse("assessments:key_correct", args=[question.current_version_id]) not in html
    response = trainer_client.post(link, {"answer": "T", "reason": "答案错误"})
    assert response.status_code == 302
    assert set(Sitting.objects.filter(quiz=quiz).values_list("score", flat=True)) == {Decimal(5)}
    assert Regrade.objects.get().sittings_affected == 5


def test_the_key_correction_history_shows_the_old_and_the_new_key(trainer_client, bank):
    quiz = QuizFactory()
    question = MultipleQuestionFactory(category=bank["admin"], stem="下列哪些属于治安管理处罚？")
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(2))
    sat(quiz, [OfficerFactory()], [0])
    version = question.current_version
    old = version.key_letters
    url = reverse("assessments:key_correct", args=[version.pk])
    assert trainer_client.post(url, {"answer": "ABC", "reason": "漏了C"}).status_code == 302
    html = trainer_client.get(url).content.decode()
    assert "原答案" in html and "新答案" in html
    assert f"<del>{old}</del>" in html and "<strong>ABC</strong>" in html and "漏了C" in html
    assert "第 1 版" in html


# --- retiring, filtering -----------------------------------------------------------------


def edit_data(question, **changes):
    data = {f: getattr(question, f) or "" for f in (
        "type", "difficulty", "status", "stem", "option_a", "option_b", "option_c", "option_d", "option_e",
        "option_f", "answer", "reference_answer", "explanation", "legal_basis")}
    data["category"] = question.category_id
    data.update(changes)
    return data


def test_retiring_a_question_an_open_test_needs_names_the_test_and_asks_to_confirm(trainer_client, bank):
    # 行政处罚 holds 12 medium questions; this test draws all 12 of them.
    quiz = QuizFactory(title="十二月行政处罚抽测")
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=12)
    QuizFactory(title="早已结束的抽测", opens_at=timezone.now() - dt.timedelta(days=30),
                closes_at=timezone.now() - dt.timedelta(days=20))
    question = Question.objects.filter(category=bank["admin"]).first()
    url = reverse("assessments_question:edit", args=[question.pk])
    response = trainer_client.post(url, edit_data(question, status="retired", explanation="新写的解析"))
    html = response.content.decode()
    assert response.status_code == 200 and "十二月行政处罚抽测" in html and "早已结束的抽测" not in html
    assert "仍要停用" in html and "新写的解析" in html  # what was typed is kept
    question.refresh_from_db()
    assert question.status == "active"
    response = trainer_client.post(url, edit_data(question, status="retired", confirm_retire="on"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == "retired"


def test_retiring_a_question_no_open_test_needs_asks_nothing(trainer_client, bank):
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=4)
    question = Question.objects.filter(category=bank["admin"]).first()
    assert retirement_impact(question=question) == []
    response = trainer_client.post(reverse("assessments_question:edit", args=[question.pk]),
                                   edit_data(question, status="retired"))
    assert response.status_code == 302


def test_retiring_a_fixed_question_of_an_open_test_is_named(bank):
    quiz = QuizFactory(title="固定题测试")
    question = Question.objects.filter(category=bank["criminal"]).first()
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(2))
    [impact] = retirement_impact(question=question)
    assert impact.title == "固定题测试" and "固定题" in str(impact)


def test_filtering_the_bank_by_a_category_includes_its_subcategories(trainer_client, bank):
    html = trainer_client.get(reverse("assessments_question:index"), {"category": bank["criminal"].pk}).content.decode()
    assert "刑诉易0" in html and "强制措施难0" in html and "行政处罚中0" not in html
    html = trainer_client.get(reverse("assessments_question:index"), {"category": bank["measures"].pk}).content.decode()
    assert "强制措施难0" in html and "刑诉易0" not in html


# --- version history ---------------------------------------------------------------------


def test_a_questions_version_history_shows_changes_and_where_each_version_was_used(trainer_client, bank):
    quiz = QuizFactory(title="三季度抽测")
    question = TrueFalseQuestionFactory(category=bank["admin"], stem="违反治安管理行为在六个月内没有被公安机关发现的，不再处罚。",
                                        answer="F")
    FixedQuestion.objects.create(quiz=quiz, question=question, points=Decimal(5))
    sat(quiz, [OfficerFactory() for _ in range(2)], [0])
    question.stem = "违反治安管理行为在六个月以内没有被公安机关发现的，不再处罚。"
    question.answer = "T"
    question_update(question=question)
    later = QuizFactory(title="四季度抽测")
    FixedQuestion.objects.create(quiz=later, question=question, points=Decimal(5))
    sat(later, [OfficerFactory()], [0])

    url = reverse("assessments_question_versions", args=[question.pk])
    html = trainer_client.get(reverse("assessments_question:edit", args=[question.pk])).content.decode()
    assert url in html
    response = trainer_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("第 2 版") < html.index("第 1 版")  # newest first
    assert "<del>违反治安管理行为在六个月内没有被公安机关发现的，不再处罚。</del>" in html
    assert "<ins>违反治安管理行为在六个月以内没有被公安机关发现的，不再处罚。</ins>" in html
    assert "<del>F</del>" in html and "<ins>T</ins>" in html
    assert "三季度抽测</a>（2）" in html and "四季度抽测</a>（1）" in html
    versions = list(question.versions.order_by("number"))
    assert reverse("assessments:key_correct", args=[versions[0].pk]) in html
    # An officer without the bank's permission is refused.
    client = Client()
    client.force_login(OfficerFactory(roles=["legal_reviewer"]), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code in (302, 403)


# --- pickers that scale ------------------------------------------------------------------


def test_the_officer_picker_finds_by_name_or_police_number(trainer_client, officer):
    from tests.factories.officers import UnitFactory

    station = UnitFactory(name="西城派出所")
    wang = OfficerFactory(name="王建国", police_number="231001", unit=station)
    OfficerFactory(name="李卫东", police_number="231002")
    OfficerFactory(name="王离职", police_number="231003", is_active=False)
    url = reverse("assessments_pick_officers")
    results = trainer_client.get(url, {"q": "建国"}).json()["results"]
    assert results == [{"id": wang.pk, "label": "王建国（231001，西城派出所）"}]
    assert {r["label"][:3] for r in trainer_client.get(url, {"q": "2310"}).json()["results"]} == {"王建国", "李卫东"}
    assert trainer_client.get(url, {"q": ""}).json()["results"] == []
    units = trainer_client.get(reverse("assessments_pick_units"), {"q": "西城"}).json()["results"]
    assert [u["id"] for u in units] == [station.pk]
    plain = Client()
    plain.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert plain.get(url, {"q": "王"}).status_code in (302, 403)


def test_the_override_and_audience_forms_list_only_what_is_chosen(trainer_client, bank):
    from assessments.models import QuizOverride
    from tests.factories.officers import UnitFactory

    for i in range(30):
        OfficerFactory(name=f"民警{i}", police_number=f"3{i:05d}")
    units = [UnitFactory(name=f"第{i}派出所") for i in range(12)]
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], count=2)
    quiz.audience_units.set(units[:2])
    html = trainer_client.get(reverse("assessments_quiz:edit", args=[quiz.pk])).content.decode()
    assert 'data-picker-url="{}"'.format(reverse("assessments_pick_units")) in html and "assessments/picker.js" in html
    assert "第0派出所" in html and "第1派出所" in html and "第5派出所" not in html
    html = trainer_client.get(reverse("assessments_override:add")).content.decode()
    assert 'data-picker-url="{}"'.format(reverse("assessments_pick_officers")) in html and "民警7（" not in html
    target = OfficerFactory(name="请假民警", police_number="399999")
    response = trainer_client.post(reverse("assessments_override:add"), {
        "quiz": quiz.pk, "officer": target.pk, "extra_minutes": 15, "extra_attempts": 0, "closes_at": ""})
    assert response.status_code == 302 and QuizOverride.objects.get().officer == target
