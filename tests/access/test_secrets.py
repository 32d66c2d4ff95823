"""The secrets the matrix looks for are really on the pages of those allowed to see them,
so that their absence everywhere else (test_matrix.py) means something."""

import pytest
from django.urls import reverse

from tests.access.expectations_assessments import ESSAY_SECRET, KEY_SECRET
from tests.access.expectations_mentoring import EVALUATION_SECRET, OTHER_UNIT_LOG_SECRET

pytestmark = pytest.mark.django_db


def page(ask, who, path) -> str:
    response = ask(who, "get", path)
    assert response.status_code == 200, (who, path, response.status_code)
    return response._body.decode()


def test_reviewers_read_the_evaluation_and_no_one_else_does(world, ask):
    path = reverse("mentoring:evaluation", args=[world.ids["mentorship"]])
    assert EVALUATION_SECRET in page(ask, "legal_reviewer", path)
    for who in ("mentor", "recruit", "unit_head", "legal_officer", "legal_unit_member"):
        assert ask(who, "get", path).status_code in (403, 404)


def test_a_head_reads_their_units_logs_only(world, ask):
    path = reverse("mentoring:log", args=[world.ids["other_log"]])
    assert OTHER_UNIT_LOG_SECRET in page(ask, "mid_level", path)
    assert ask("unit_head", "get", path).status_code == 404


def test_trainers_see_the_answer_and_the_key_when_marking(world, ask):
    html = page(ask, "trainer", reverse("assessments:marking_item", args=[world.ids["essay_item"]]))
    assert ESSAY_SECRET in html
    html = page(ask, "trainer", reverse("assessments:result", args=[world.ids["sitting"]]))
    assert KEY_SECRET in html or "郑同事" in html
    assert "郑同事" in page(ask, "trainer", reverse("assessments:results", args=[world.ids["quiz"]]))
