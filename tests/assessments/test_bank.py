"""The question bank as trainers keep it: categories, retiring, key corrections, file names."""

from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.urls import reverse

from officers.services import roles_sync
from publications.views import _bulletin_filename
from tests.factories.assessments import QuizFactory
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(login):
    roles_sync()
    return login(OfficerFactory(roles=["trainer"]))


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
