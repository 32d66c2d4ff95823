"""Issue 8, leak 4: a one-way (sequential) test sends each question only when it is reached."""

import json

import pytest
from django.urls import reverse

from assessments.services import sitting_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def sequential(quiz):
    quiz.navigation = "sequential"
    quiz.save()
    return quiz


def _stems(sitting):
    return [item.version.stem for item in sitting.paper.select_related("version").order_by("position")]


def test_the_page_holds_only_the_question_reached(login, officer, sequential):
    client = login(officer)
    sitting = sitting_start(quiz=sequential, officer=officer)
    stems = _stems(sitting)
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert stems[0] in html
    assert not any(stem in html for stem in stems[1:])
    assert html.count('class="card question"') == 1
    assert html.count('class="nav-q') == len(stems) + 3  # every number in the navigator, plus the legend's three


def test_moving_on_fetches_the_next_question_once_the_server_has_recorded_the_move(login, officer, sequential):
    client = login(officer)
    sitting = sitting_start(quiz=sequential, officer=officer)
    stems = _stems(sitting)
    url = reverse("assessments:position", args=[sitting.pk])
    data = client.post(url, data=json.dumps({"position": 1}), content_type="application/json").json()
    assert data["furthest"] == 1 and stems[1] in data["html"] and 'id="q1"' in data["html"]
    assert not any(stem in data["html"] for stem in stems[2:])
    # Asking for an earlier question again sends the furthest one, never the earlier.
    data = client.post(url, data=json.dumps({"position": 0}), content_type="application/json").json()
    assert data["furthest"] == 1 and stems[0] not in data["html"] and stems[1] in data["html"]
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert stems[1] in html and stems[0] not in html and stems[2] not in html


def test_a_free_test_keeps_the_whole_paper_in_the_page(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert all(stem in html for stem in _stems(sitting))
    data = client.post(reverse("assessments:position", args=[sitting.pk]), data=json.dumps({"position": 3}),
                       content_type="application/json").json()
    assert "html" not in data
