"""The batched autosave: a page sends its pending answers in one request.

Each answer is saved or refused on its own (in words, in Chinese); the sitting
handed in or out of time refuses the whole batch (409) and saves nothing.
"""

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import SittingQuestion, SittingStatus
from assessments.services import (
    ANSWERS_BATCH_MAX,
    AssessmentError,
    answers_save,
    sitting_position_reach,
    sitting_start,
    sitting_submit,
)
from tests.factories.assessments import EssayQuestionFactory, QuizFactory
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _post(client, sitting, answers):
    body = answers if isinstance(answers, str | bytes) else json.dumps({"answers": answers})
    return client.post(reverse("assessments:answers", args=[sitting.pk]), data=body, content_type="application/json")


def _stored(sitting, position):
    item = SittingQuestion.objects.get(sitting=sitting, position=position)
    shown = [item.option_order.index(i) for i in item.choice]
    return sorted(shown), item.text, item.revision


def test_a_batch_saves_every_answer_and_answers_in_order(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    answers = [{"position": p, "choice": [p % 4], "revision": 3} for p in (5, 0, 11, 2)]
    response = _post(client, sitting, answers)
    assert response.status_code == 200
    assert response.json() == {"results": [
        {"position": p, "saved": True, "revision": 3} for p in (5, 0, 11, 2)
    ]}
    for p in (5, 0, 11, 2):
        assert _stored(sitting, p) == ([p % 4], "", 3)
    # Reloading the paper shows them, with their revisions for the next save.
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert 'id="q5" data-position="5" data-type="single" data-revision="3"' in html
    assert 'name="q11" value="3" checked' in html


def test_one_refused_answer_does_not_fail_the_others(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert _post(client, sitting, [{"position": 1, "choice": [2], "revision": 5}]).json()["results"][0]["saved"]
    response = _post(client, sitting, [
        {"position": 0, "choice": [1], "revision": 1},
        {"position": 1, "choice": [3], "revision": 4},  # another device, behind: stale
        {"position": 2, "choice": [9], "revision": 1},  # no such option
        {"position": 3, "choice": [0, 1], "revision": 1},  # a single choice question
        {"position": 999, "choice": [0], "revision": 1},  # not on the paper
        {"position": 4, "choice": [2], "revision": 1},
    ])
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["position"] for r in results] == [0, 1, 2, 3, 999, 4]
    assert [r["saved"] for r in results] == [True, False, False, False, False, True]
    assert results[1]["revision"] == 5 and "未保存" in results[1]["error"] and "刷新" in results[1]["error"]
    assert results[2]["error"] == "该选项不存在。"
    assert results[3]["error"] == "只能选择一个选项。"
    assert results[4]["error"] == "该题不存在。"
    assert "error" not in results[0] and "error" not in results[5]
    assert _stored(sitting, 0) == ([1], "", 1)
    assert _stored(sitting, 1) == ([2], "", 5)  # the newer answer stays
    assert _stored(sitting, 2) == ([], "", 0) and _stored(sitting, 3) == ([], "", 0)
    assert _stored(sitting, 4) == ([2], "", 1)


def test_a_retried_batch_whose_first_try_landed_reports_saved(login, officer, quiz):
    """The response was lost on the way back: the page sends the same batch again."""
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    answers = [{"position": 0, "choice": [1], "revision": 2}, {"position": 1, "choice": [0], "revision": 7}]
    first = _post(client, sitting, answers).json()
    assert _post(client, sitting, answers).json() == first
    assert all(r["saved"] for r in first["results"])


def test_the_same_question_twice_in_a_batch_keeps_the_later(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    results = _post(client, sitting, [
        {"position": 0, "choice": [1], "revision": 1},
        {"position": 0, "choice": [2], "revision": 2},
        {"position": 0, "choice": [3], "revision": 1},  # the older one again, arriving last
    ]).json()["results"]
    assert [(r["saved"], r["revision"]) for r in results] == [(True, 1), (True, 2), (False, 2)]
    assert _stored(sitting, 0) == ([2], "", 2)


def test_essay_answers_and_multiple_choice_in_one_batch(login, officer, bank):
    essay_bank = bank["admin"]
    EssayQuestionFactory(category=essay_bank, difficulty="hard", stem="简述比例原则")
    quiz = QuizFactory()
    from tests.factories.assessments import BlueprintRowFactory

    BlueprintRowFactory(quiz=quiz, category=essay_bank, difficulty="hard", count=1)
    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=2)
    sitting = sitting_start(quiz=quiz, officer=officer)
    essay = sitting.paper.get(version__type="essay")
    objective = sitting.paper.exclude(version__type="essay").first()
    results = _post(login(officer), sitting, [
        {"position": essay.position, "text": "比例原则：手段与目的相称。", "choice": [0], "revision": 1},
        {"position": objective.position, "choice": [0], "revision": 1},
    ]).json()["results"]
    assert all(r["saved"] for r in results)
    assert _stored(sitting, essay.position) == ([], "比例原则：手段与目的相称。", 1)
    assert _stored(sitting, objective.position) == ([0], "", 1)


def test_sequential_test_refuses_going_back_and_moves_on(login, officer, quiz):
    quiz.navigation = "sequential"
    quiz.save()
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert sitting_position_reach(sitting_id=sitting.pk, officer=officer, position=2) == 2
    results = _post(client, sitting, [
        {"position": 1, "choice": [0], "revision": 1},  # behind: refused
        {"position": 2, "choice": [0], "revision": 1},
        {"position": 4, "choice": [1], "revision": 1},  # ahead: moves on
        {"position": 3, "choice": [1], "revision": 1},  # now behind
    ]).json()["results"]
    assert [r["saved"] for r in results] == [False, True, True, False]
    assert "只能按顺序作答" in results[0]["error"] and "只能按顺序作答" in results[3]["error"]
    sitting.refresh_from_db()
    assert sitting.furthest_position == 4
    assert _stored(sitting, 1)[2] == 0 and _stored(sitting, 3)[2] == 0


def test_a_handed_in_sitting_refuses_the_batch_and_saves_nothing(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    sitting_submit(sitting=sitting)
    response = _post(client, sitting, [{"position": 0, "choice": [1], "revision": 1}])
    assert response.status_code == 409 and response.json() == {"error": "该答卷已交卷。"}
    assert _stored(sitting, 0)[2] == 0


def test_time_up_refuses_the_batch_after_the_grace(login, officer, quiz):
    start = quiz.opens_at + dt.timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        sitting = sitting_start(quiz=quiz, officer=officer)
    client = login(officer)
    with time_machine.travel(sitting.deadline + dt.timedelta(seconds=5), tick=False):
        assert _post(client, sitting, [{"position": 0, "choice": [1], "revision": 1}]).json()["results"][0]["saved"]
    with time_machine.travel(sitting.deadline + dt.timedelta(seconds=11), tick=False):
        response = _post(client, sitting, [{"position": 0, "choice": [2], "revision": 2},
                                           {"position": 1, "choice": [2], "revision": 1}])
        assert response.status_code == 409 and "考试时间已到" in response.json()["error"]
    assert _stored(sitting, 0) == ([1], "", 1) and _stored(sitting, 1)[2] == 0


def test_someone_elses_sitting_is_404(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = _post(login(OfficerFactory()), sitting, [{"position": 0, "choice": [1], "revision": 1}])
    assert response.status_code == 404
    assert _stored(sitting, 0)[2] == 0
    with pytest.raises(PermissionDenied):
        answers_save(sitting_id=sitting.pk, officer=OfficerFactory(), answers=[])
    assert _post(login(officer), type("S", (), {"pk": 10**9})(), []).status_code == 404


@pytest.mark.parametrize("body", [
    "{bad json", "[]", json.dumps({"answers": {"position": 0}}), json.dumps({}),
    json.dumps({"answers": [{"position": 0, "choice": [0], "revision": 1}] * (ANSWERS_BATCH_MAX + 1)}),
    json.dumps({"answers": [{"position": True, "choice": [0], "revision": 1}]}),
    json.dumps({"answers": [{"position": 0, "choice": [0], "revision": 2**53}]}),
    json.dumps({"answers": [{"position": 0, "choice": [0.5], "revision": 1}]}),
    json.dumps({"answers": [{"position": 0, "choice": "0", "revision": 1}]}),
    json.dumps({"answers": [{"position": 0, "choice": [0]}]}),
    json.dumps({"answers": [7]}),
    '{"answers": [{"position": 0, "choice": [0], "revision": Infinity}]}',
])
def test_a_malformed_batch_is_400_and_saves_nothing(login, officer, quiz, body):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = _post(client, sitting, body)
    assert response.status_code == 400 and response.json() == {"error": "答案格式有误。"}
    assert not SittingQuestion.objects.filter(sitting=sitting, revision__gt=0).exists()


def test_a_full_batch_of_fifty_is_taken(login, officer, bank):
    quiz = QuizFactory()
    from tests.factories.assessments import BlueprintRowFactory

    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=12)
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], count=12)
    sitting = sitting_start(quiz=quiz, officer=officer)
    answers = [{"position": i % 24, "choice": [0], "revision": i + 1} for i in range(ANSWERS_BATCH_MAX)]
    results = _post(login(officer), sitting, answers).json()["results"]
    assert len(results) == ANSWERS_BATCH_MAX and all(r["saved"] for r in results)
    assert _stored(sitting, 0)[2] == 49


def test_too_many_answers_for_the_service_are_refused(officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    with pytest.raises(AssessmentError):
        answers_save(sitting_id=sitting.pk, officer=officer,
                     answers=[{"position": 0, "choice": [0], "revision": 1}] * (ANSWERS_BATCH_MAX + 1))


def _service_queries(sitting, officer, positions, revision):
    answers = [{"position": p, "choice": [1], "revision": revision} for p in positions]
    with CaptureQueriesContext(connection) as queries:
        results = answers_save(sitting_id=sitting.pk, officer=officer, answers=answers)
    assert all(r.saved for r in results)
    return [q["sql"] for q in queries.captured_queries]


def test_the_save_costs_the_same_queries_for_one_answer_or_twelve(officer, quiz):
    """One lock of the sitting, one read of the questions, one UPDATE of the answers
    sent once for all of them (executemany, logged as "12 times: UPDATE …"), with
    the transaction's own statements, whatever the batch's size."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    one = _service_queries(sitting, officer, [0], 1)
    twelve = _service_queries(sitting, officer, range(12), 2)
    assert len(one) == len(twelve)
    writes = [q for q in twelve if q.startswith("UPDATE") or q.startswith("12 times: UPDATE")]
    assert len(writes) == 1 and 'FROM "assessments_sitting"' in twelve[1 if twelve[0].startswith(("BEGIN", "SAVEPOINT")) else 0]
    assert len([q for q in twelve if q.startswith("SELECT")]) == 2


def test_the_request_costs_the_same_queries_for_one_answer_or_fifty(login, officer, bank, django_assert_max_num_queries):
    """Session, officer and the save: counted for the whole request."""
    quiz = QuizFactory()
    from tests.factories.assessments import BlueprintRowFactory

    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=12)
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], count=12)
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    _post(client, sitting, [{"position": 0, "choice": [0], "revision": 1}])  # the session's first refresh
    counts = []
    for size, revision in ((1, 2), (ANSWERS_BATCH_MAX, 3)):
        answers = [{"position": i % 24, "choice": [0], "revision": revision} for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, sitting, answers)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 7, counts


def test_a_sitting_handed_in_meanwhile_keeps_its_grading(officer, quiz):
    """A batch arriving after the hand-in changes nothing the grading used."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    answers_save(sitting_id=sitting.pk, officer=officer, answers=[{"position": 0, "choice": [0], "revision": 1}])
    sitting = sitting_submit(sitting=sitting)
    score = sitting.score
    with pytest.raises(AssessmentError):
        answers_save(sitting_id=sitting.pk, officer=officer, answers=[{"position": 0, "choice": [1], "revision": 2}])
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.FINAL and sitting.score == score
