"""The question bank as trainers keep it: categories, retiring, key corrections, file names."""

import io
from types import SimpleNamespace
from urllib.parse import unquote

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.importers import BANK_SHEET_HEADER, bank_import
from assessments.models import Category, Question
from officers.services import roles_sync
from publications.views import _bulletin_filename
from tests.factories.assessments import CategoryFactory, QuizFactory
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
