"""The load test (bench/loadtest/) reads the paper page as the officers' page does:
every question with its type, its stored revision and its options as shown."""

import json

import pytest
from django.urls import reverse

from assessments.services import sitting_start
from bench.loadtest.paper_page import paper_questions
from tests.factories.assessments import (
    BlueprintRowFactory,
    MultipleQuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)

pytestmark = pytest.mark.django_db


def test_the_load_test_finds_every_question_of_the_paper(login, officer, bank):
    for i in range(2):
        MultipleQuestionFactory(category=bank["admin"], difficulty="hard", stem=f"多选{i}")
        TrueFalseQuestionFactory(category=bank["admin"], difficulty="easy", stem=f"判断{i}")
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=3)
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="hard", count=2)
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="easy", count=2)
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    client.post(reverse("assessments:answers", args=[sitting.pk]), content_type="application/json",
                data=json.dumps({"answers": [{"position": 1, "choice": [0], "revision": 4}]}))
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    questions = paper_questions(html)
    paper = list(sitting.paper.select_related("version").order_by("position"))
    assert sorted(questions) == [item.position for item in paper]
    for item in paper:
        found = questions[item.position]
        assert found["type"] == item.version.type
        assert found["options"] == list(range(len(item.option_order)))
        assert found["revision"] == (4 if item.position == 1 else 0)
