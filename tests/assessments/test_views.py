import json
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import FixedQuestion, SittingStatus
from assessments.selectors import rank_with_ties
from assessments.services import (
    answer_save,
    quiz_publish,
    sitting_start,
    sitting_submit,
)
from tests.factories.assessments import EssayQuestionFactory, QuizFactory
from tests.factories.officers import OfficerFactory
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def _answer(client, sitting, position, choice, revision):
    return client.post(reverse("assessments:answer", args=[sitting.pk]),
                       data=json.dumps({"position": position, "choice": choice, "revision": revision}),
                       content_type="application/json")


def test_index_lists_open_test(login, officer, quiz):
    response = login(officer).get(reverse("assessments:index"))
    assert response.status_code == 200
    assert quiz.title in response.content.decode()


def test_start_and_paper_never_contains_the_key(login, officer, quiz):
    client = login(officer)
    response = client.post(reverse("assessments:quiz_start", args=[quiz.pk]))
    sitting = officer.sittings.get()
    assert response.url == reverse("assessments:sitting", args=[sitting.pk])
    html = client.get(response.url).content.decode()
    assert "依法规定" not in html and "刑事诉讼法》第八十一条" not in html  # explanation, legal basis
    assert "correct" not in html.lower() and "data-key" not in html
    item = sitting.paper.select_related("version").first()
    for text in item.version.options:
        assert text in html
    # The options are posted as the positions shown: 0..n-1, whatever the key is.
    assert f'name="q{item.position}" value="0"' in html


def test_autosave_view_and_reload_shows_answers(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert _answer(client, sitting, 0, [2], 100).json() == {"saved": True, "revision": 100}
    assert _answer(client, sitting, 0, [1], 50).json()["saved"] is False
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert 'name="q0" value="2" checked' in html
    assert 'is-answered' in html


def test_paper_carries_server_revisions_and_refusals_are_explained(login, officer, quiz):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    assert _answer(client, sitting, 0, [2], 1).json() == {"saved": True, "revision": 1}
    assert _answer(client, sitting, 0, [3], 2).json()["saved"] is True
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert 'id="q0" data-position="0" data-type="single" data-revision="2"' in html
    assert 'id="q1" data-position="1" data-type="single" data-revision="0"' in html
    refused = _answer(client, sitting, 0, [1], 2).json()  # another device, also served revision 1
    assert refused["saved"] is False and "未保存" in refused["error"] and "刷新" in refused["error"]


@pytest.mark.parametrize("name", ["answer", "flag", "position"])
@pytest.mark.parametrize("body", ["[1, 2]", "3", "\"a\"", "{bad json"])
def test_a_body_that_is_not_a_json_object_is_400(login, officer, quiz, name, body):
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = client.post(reverse(f"assessments:{name}", args=[sitting.pk]), data=body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_sequential_reload_reopens_at_the_furthest_question(login, officer, quiz):
    quiz.navigation = "sequential"
    quiz.save()
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    url = reverse("assessments:position", args=[sitting.pk])
    assert client.post(url, data=json.dumps({"position": 4}), content_type="application/json").json()["furthest"] == 4
    response = _answer(client, sitting, 0, [1], 1)
    assert response.status_code == 409 and "只能按顺序作答" in response.json()["error"]
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert 'data-furthest="4"' in html and 'data-sequential="1"' in html


def test_review_after_close_waits_for_the_latest_override(login, officer, quiz):
    import datetime as dt

    import time_machine

    from assessments.models import QuizOverride

    quiz.review_policy = "after_close"
    quiz.save()
    on_leave = OfficerFactory()
    QuizOverride.objects.create(quiz=quiz, officer=on_leave, closes_at=quiz.closes_at + dt.timedelta(days=3))
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    url = reverse("assessments:result", args=[sitting.pk])
    with time_machine.travel(quiz.closes_at + dt.timedelta(days=1), tick=False):
        response = login(officer).get(url)
        assert response.status_code == 200
        assert "依法规定" not in response.content.decode()  # a colleague on leave is still sitting: no key yet
    with time_machine.travel(quiz.closes_at + dt.timedelta(days=3, minutes=1), tick=False):
        assert "依法规定" in login(officer).get(url).content.decode()


def test_other_officer_gets_404(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    client = login(OfficerFactory())
    assert client.get(reverse("assessments:sitting", args=[sitting.pk])).status_code == 404
    assert _answer(client, sitting, 0, [1], 5).status_code == 404
    assert client.get(reverse("assessments:result", args=[sitting.pk])).status_code == 404


def test_submit_then_result_with_review(login, officer, quiz):
    quiz.review_policy = "immediately"  # a practice test, one attempt: the key on handing in
    quiz.save()
    client = login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = client.post(reverse("assessments:submit", args=[sitting.pk]))
    assert response.url == reverse("assessments:result", args=[sitting.pk])
    html = client.get(response.url).content.decode()
    assert "未通过" in html and "刑事诉讼" in html and "依法规定" in html


def test_review_never_hides_key(login, officer, quiz):
    quiz.review_policy = "never"
    quiz.save()
    client = login(officer)
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    html = client.get(reverse("assessments:result", args=[sitting.pk])).content.decode()
    assert "依法规定" not in html


def test_unpublished_results_only_for_trainers(login, officer, quiz):
    sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    url = reverse("assessments:results", args=[quiz.pk])
    assert login(officer).get(url).status_code == 403
    trainer = OfficerFactory(roles=["trainer"])
    from officers.services import roles_sync
    roles_sync()
    assert login(trainer).get(url).status_code == 200
    publication = quiz_publish(quiz=quiz, by=trainer)
    # Once published, everyone reads the frozen publication instead.
    response = login(OfficerFactory()).get(url)
    assert response.status_code == 302 and response.url == reverse("publications:detail", args=[publication.pk])


def test_manage_pages_need_trainer(login, officer, quiz):
    assert login(officer).get(reverse("assessments:manage")).status_code == 403
    from officers.services import roles_sync
    roles_sync()
    client = login(OfficerFactory(roles=["trainer"]))
    for name in ("assessments:manage_quiz", "assessments:manage_items"):
        assert client.get(reverse(name, args=[quiz.pk])).status_code == 200
    assert client.get(reverse("assessments:manage")).status_code == 200
    assert client.get(reverse("assessments:marking")).status_code == 200
    response = client.get(reverse("assessments:manage_quiz_export", args=[quiz.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_essay_marking_page(login, quiz, officer, bank):
    from officers.services import roles_sync
    roles_sync()
    essay = EssayQuestionFactory(category=bank["admin"])
    FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(10))
    sitting = sitting_start(quiz=quiz, officer=officer)
    item = sitting.paper.get(question=essay)  # last: the essay section follows the choice questions
    answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, text="答：依法办理。", revision=1)
    sitting_submit(sitting=sitting)
    client = login(OfficerFactory(roles=["trainer"]))
    assert "答：依法办理" in client.get(reverse("assessments:marking_item", args=[item.pk])).content.decode()
    response = client.post(reverse("assessments:marking_item", args=[item.pk]), {"score": "8", "comment": "较好"})
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.FINAL


def test_rank_with_ties():
    assert rank_with_ties([95, 90, 90, 80, 80, 70]) == [1, 2, 2, 4, 4, 6]


def test_results_preview_query_count_constant(login, quiz, django_assert_max_num_queries):
    from officers.services import roles_sync

    roles_sync()
    for _ in range(3):
        o = OfficerFactory()
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=o))
    client = login(OfficerFactory(roles=["trainer"]))
    url = reverse("assessments:results", args=[quiz.pk])
    # The bound counts the site's navigation (to-dos, notices) too; what matters is that it stays constant.
    with django_assert_max_num_queries(45) as small:
        client.get(url)
    for _ in range(12):
        o = OfficerFactory()
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=o))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("<tr") >= 16


def test_bulletin_pdf_in_chinese(login, quiz, django_capture_on_commit_callbacks):
    officers = [OfficerFactory(name=n) for n in ("张伟", "李娜")]
    for o in officers:
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=o))
    assert login(officers[0]).get(reverse("assessments:bulletin", args=[quiz.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders it after the commit
        quiz_publish(quiz=quiz, by=None)
    response = login(officers[0]).get(reverse("assessments:bulletin", args=[quiz.pk]), follow=True)
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    assert "通报" in text and quiz.title in text and "张伟" in text and "法制大队" in text
    assert pdf_fonts(data)


def test_closed_test_start_refused(login, officer, bank):
    import datetime as dt

    from django.utils import timezone
    quiz = QuizFactory(opens_at=timezone.now() - dt.timedelta(days=3), closes_at=timezone.now() - dt.timedelta(days=1))
    response = login(officer).post(reverse("assessments:quiz_start", args=[quiz.pk]), follow=True)
    assert "已结束" in response.content.decode() or officer.sittings.count() == 0


def test_key_correction_page_regrades(login, quiz, officer):
    from officers.services import roles_sync

    roles_sync()
    sitting = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    item = sitting.paper.select_related("version").get(position=0)
    client = login(OfficerFactory(roles=["trainer"]))
    html = client.get(reverse("assessments:manage_items", args=[quiz.pk])).content.decode()
    assert "更正答案" in html
    url = reverse("assessments:key_correct", args=[item.version_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "B", "reason": "答案录入错误"})
    assert response.status_code == 302
    item.version.refresh_from_db()
    assert item.version.key == [1] and item.version.regrades.count() == 1
    assert login(officer).get(url).status_code == 403


def test_progress_page(login, quiz, officer):
    sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))
    quiz.closes_at = quiz.opens_at + (quiz.closes_at - quiz.opens_at) / 1000  # closed: it counts now
    quiz.save()
    html = login(officer).get(reverse("assessments:progress")).content.decode()
    assert "刑事诉讼" in html and "行政处罚" in html


def test_manage_quiz_query_count_constant(login, quiz, django_assert_max_num_queries):
    from officers.services import roles_sync

    roles_sync()
    client = login(OfficerFactory(roles=["trainer"]))
    url = reverse("assessments:manage_quiz", args=[quiz.pk])
    sitting_submit(sitting=sitting_start(quiz=quiz, officer=OfficerFactory()))
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(6):
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=OfficerFactory()))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_trainer_sees_an_in_progress_sitting_without_a_redirect_loop(login, quiz, officer):
    from officers.services import roles_sync

    roles_sync()
    sitting = sitting_start(quiz=quiz, officer=officer)
    client = login(OfficerFactory(roles=["trainer"]))
    response = client.get(reverse("assessments:sitting", args=[sitting.pk]), follow=True)
    assert response.status_code == 200 and "作答中" in response.content.decode()
    assert "依法规定" not in response.content.decode()


def test_results_export_has_officers_units_and_legal_domains(login, quiz):
    import io

    from openpyxl import load_workbook

    from officers.services import roles_sync
    from tests.factories.officers import UnitFactory

    roles_sync()
    east, west = UnitFactory(name="东城派出所"), UnitFactory(name="西城派出所")
    for unit in (east, east, west):
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=OfficerFactory(unit=unit)))
    client = login(OfficerFactory(roles=["trainer"]))
    response = client.get(reverse("assessments:manage_quiz_export", args=[quiz.pk]))
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == ["成绩", "按所队", "按法律门类", "缺考"]
    assert workbook["成绩"].max_row == 4  # header + three officers
    units = {row[0]: row[1] for row in workbook["按所队"].iter_rows(min_row=2, values_only=True)}
    assert units == {"东城派出所": 2, "西城派出所": 1}
    domains = {row[0]: row[1] for row in workbook["按法律门类"].iter_rows(min_row=2, values_only=True)}
    assert domains == {"刑事诉讼": 3 * 8, "行政处罚": 3 * 4}


def test_first_attempt_counts_even_while_it_awaits_marking(login, officer, quiz, bank):
    from assessments.services import essay_mark
    from officers.services import roles_sync

    essay = EssayQuestionFactory(category=bank["admin"])
    FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(10))
    quiz.counting, quiz.attempts_allowed = "first", 2
    quiz.save()
    first = sitting_start(quiz=quiz, officer=officer)
    essay_item = first.paper.get(question=essay)
    answer_save(sitting_id=first.pk, officer=officer, position=essay_item.position, text="答：依法办理。", revision=1)
    sitting_submit(sitting=first)  # awaits essay marking
    second = sitting_submit(sitting=sitting_start(quiz=quiz, officer=officer))  # blank essay: final at once
    assert second.status == SittingStatus.FINAL and second.score == 0
    roles_sync()
    trainer = OfficerFactory(roles=["trainer"])
    client = login(trainer)
    html = client.get(reverse("assessments:results", args=[quiz.pk])).content.decode()
    assert "待阅卷" in html and officer.name in html and "未通过" not in html  # not attempt 2's 0
    essay_mark(item=first.paper.select_related("version").get(pk=essay_item.pk), score=Decimal(9), comment="", by=trainer)
    html = client.get(reverse("assessments:results", args=[quiz.pk])).content.decode()
    assert "待阅卷" not in html and ">9</td>" in html


def test_publishing_early_asks_the_trainer_to_confirm(login, officer, quiz):
    from assessments.models import Quiz
    from officers.services import roles_sync

    roles_sync()
    sitting_start(quiz=quiz, officer=officer)  # still sitting, and the window is open
    client = login(OfficerFactory(roles=["trainer"]))
    url = reverse("assessments:manage_publish", args=[quiz.pk])
    response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "仍在进行" in html and "1 份答卷" in html
    assert not Quiz.objects.get(pk=quiz.pk).is_published
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302 and Quiz.objects.get(pk=quiz.pk).is_published
