"""Issue 8, leak 1: no answer key while the test is open to anyone or the officer has an attempt left."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QuizOverride, ReviewPolicy
from assessments.selectors import (
    officer_progress,
    review_allowed,
    sitting_category_breakdown,
)
from assessments.services import sitting_start, sitting_submit
from officers.roles import Role
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db

KEY_MARKS = ("依法规定", "刑事诉讼法》第八十一条", "✓", "is-key")  # explanation, legal basis, ticks


def _result_html(client, sitting):
    return client.get(reverse("assessments:result", args=[sitting.pk])).content.decode()


def test_the_default_waits_for_the_close_so_a_colleague_still_sitting_learns_nothing(login, officer, quiz):
    assert QuizFactory.build().review_policy == ReviewPolicy.AFTER_CLOSE
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    html = _result_html(login(officer), sitting)
    assert not any(mark in html for mark in KEY_MARKS)
    assert "抽测结束后" in html  # says when the key comes
    # Once the last close (overrides included) has passed, the key is shown.
    later = timezone.now() + dt.timedelta(days=30)
    QuizOverride.objects.create(quiz=quiz, officer=OfficerFactory(), closes_at=quiz.closes_at + dt.timedelta(days=3))
    assert not review_allowed(sitting=sitting, officer=officer, now=quiz.closes_at + dt.timedelta(days=1))
    assert review_allowed(sitting=sitting, officer=officer, now=later)


def test_right_after_submitting_still_hides_the_key_while_an_attempt_is_left(login, officer, quiz):
    quiz.review_policy, quiz.attempts_allowed = ReviewPolicy.IMMEDIATELY, 2
    quiz.save()
    client = login(officer)
    first = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    html = _result_html(client, first)
    assert not any(mark in html for mark in KEY_MARKS)
    assert "没有剩余作答机会后" in html
    second = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    html = _result_html(client, second)
    assert "依法规定" in html and "✓" in html  # no attempt left: the practice test shows its key
    assert "依法规定" in _result_html(client, first)


def test_an_extra_attempt_granted_by_an_override_hides_the_key_again(login, officer, quiz):
    quiz.review_policy = ReviewPolicy.IMMEDIATELY
    quiz.save()
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    assert review_allowed(sitting=sitting, officer=officer)
    QuizOverride.objects.create(quiz=quiz, officer=officer, extra_attempts=1)
    assert not review_allowed(sitting=sitting, officer=officer)
    assert review_allowed(sitting=sitting, officer=OfficerFactory(roles=[Role.TRAINER]))


def test_a_single_question_domain_does_not_tell_its_right_or_wrong_before_the_close(login, officer, bank):
    lone = CategoryFactory(name="涉案财物")
    QuestionFactory(category=lone, stem="涉案财物唯一一题")
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=4)
    BlueprintRowFactory(quiz=quiz, category=lone, count=1)
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    withheld = {c.category: c.score for c in sitting_category_breakdown(sitting=sitting, review=False)}
    assert withheld == {"涉案财物": None, "行政处罚": None}  # neither, or the total would tell
    html = _result_html(login(officer), sitting)
    assert "0 / 1" not in html and "与正确答案一同显示" in html
    shown = {c.category: c.score for c in sitting_category_breakdown(sitting=sitting, review=True)}
    assert shown["涉案财物"] == 0


def test_progress_counts_a_test_only_once_it_has_closed(officer, quiz):
    sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    assert officer_progress(officer=officer) == []
    assert officer_progress(officer=officer, now=quiz.closes_at + dt.timedelta(seconds=1))


def test_the_trainers_quiz_form_says_what_earlier_review_exposes(client, login):
    login(OfficerFactory(roles=[Role.TRAINER]))
    html = client.get(reverse("assessments_quiz:add")).content.decode()
    assert "仍要参加测试的同事" in html and "推荐" in html


# --- crafted input on the paper's JSON endpoints (issue 8, bad input) ---------------------


def _post(client, sitting, name, body):
    return client.post(reverse(f"assessments:{name}", args=[sitting.pk]), data=body, content_type="application/json")


@pytest.mark.parametrize("revision", [
    str(2**63), str(2**64), "1e400", "Infinity", "-Infinity", "NaN", "1.5", "true", '"9999999999999999999999"', "-1",
])
def test_a_crafted_revision_is_a_400_in_chinese_not_a_500(login, officer, quiz, revision):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = _post(client, sitting, "answer", f'{{"position": 0, "choice": [0], "revision": {revision}}}')
    assert response.status_code == 400
    assert response.json()["error"] == "答案格式有误。"
    assert not sitting.paper.filter(revision__gt=0).exists()


@pytest.mark.parametrize("position", [str(10**30), "Infinity", "-1", "1e3"])
def test_crafted_positions_are_400s(login, officer, quiz, position):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    for name in ("answer", "flag", "position"):
        body = f'{{"position": {position}, "choice": [], "revision": 1, "flagged": true}}'
        assert _post(client, sitting, name, body).status_code == 400


def test_flags_and_moves_are_refused_after_the_deadline_with_the_same_grace_as_saves(login, officer, quiz):
    from assessments.models import Sitting
    from assessments.services import DEADLINE_GRACE

    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    # Within the grace after the deadline: still taken, as saves are.
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - DEADLINE_GRACE + dt.timedelta(seconds=5))
    assert _post(client, sitting, "flag", '{"position": 1, "flagged": true}').status_code == 200
    assert _post(client, sitting, "position", '{"position": 1}').status_code == 200
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - DEADLINE_GRACE - dt.timedelta(seconds=1))
    for name, body in (("flag", '{"position": 2, "flagged": true}'), ("position", '{"position": 2}')):
        response = _post(client, sitting, name, body)
        assert response.status_code == 409 and "时间已到" in response.json()["error"]
    sitting.refresh_from_db()
    assert sitting.furthest_position == 1
    assert not sitting.paper.filter(position=2, flagged=True).exists()


def test_the_results_export_writes_a_formula_like_name_as_text(quiz):
    import io

    from openpyxl import load_workbook

    from assessments.importers import results_export

    for name in ('=HYPERLINK("http://x.example/","点我")', "@SUM(1)"):
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=OfficerFactory(name=name)))
    sheet = load_workbook(io.BytesIO(results_export(quiz=quiz)))["成绩"]
    names = {row[2].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for name in ('=HYPERLINK("http://x.example/","点我")', "@SUM(1)"):
        assert names[name].data_type == "s" and names[name].quotePrefix


def test_the_demos_open_test_shows_its_key_only_after_the_close():
    from django.utils import timezone

    from assessments import demo
    from assessments.models import Quiz

    categories = demo._seed_bank()
    quiz = demo._open_quiz(categories, timezone.now())
    assert Quiz.objects.get(pk=quiz.pk).review_policy == ReviewPolicy.AFTER_CLOSE
