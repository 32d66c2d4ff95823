"""Knowledge-test results published through the publications app: frozen, versioned, migrated."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from assessments.models import FixedQuestion, QuestionType, SittingStatus
from assessments.publications import QUIZ_RESULTS, quiz_results_snapshot
from assessments.selectors import quiz_results
from assessments.services import (
    answer_save,
    essay_mark,
    question_key_correct,
    quiz_publish,
    sitting_start,
    sitting_submit,
)
from officers.services import roles_sync
from publications.models import Publication
from publications.selectors import publication_current, publication_versions
from tests.factories.assessments import (
    CategoryFactory,
    EssayQuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    roles_sync()
    return OfficerFactory(roles=["trainer"])


@pytest.fixture
def exam(db):
    """A test of two fixed questions (true/false, key False; an essay), 5 points each; the last attempt counts."""
    category = CategoryFactory(name="治安管理处罚")
    true_false = TrueFalseQuestionFactory(category=category, answer="F", stem="违法行为六个月内未被发现的，仍应处罚。")
    essay = EssayQuestionFactory(category=category, stem="简述行政处罚的原则")
    quiz = QuizFactory(attempts_allowed=2, counting="last", title="2026年第4期法律知识抽测")
    FixedQuestion.objects.create(quiz=quiz, question=true_false, points=Decimal(5))
    FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(5))
    return quiz, true_false


def _sit(quiz, officer, *, says_false: bool):
    """One attempt: the true/false answered (False is right), the essay written; handed in."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    for revision, item in enumerate(sitting.paper.select_related("version"), start=1):
        if item.version.type == QuestionType.ESSAY:
            answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, text="合法、公正、公开。",
                        revision=revision)
        else:
            choice = [item.option_order.index(1 if says_false else 0)]
            answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, choice=choice,
                        revision=revision)
    return sitting_submit(sitting=sitting)


def _essay(sitting):
    return sitting.paper.select_related("version").get(version__type=QuestionType.ESSAY)


def _row(publication, officer):
    return next(r for r in publication.rows if r["officer_id"] == officer.pk)


def test_published_results_never_change_after_publishing(exam, trainer):
    quiz, true_false = exam
    first, second = OfficerFactory(name="张伟"), OfficerFactory(name="李娜")
    first_sitting = _sit(quiz, first, says_false=True)
    second_sitting = _sit(quiz, second, says_false=False)
    essay_mark(item=_essay(first_sitting), score=Decimal(5), comment="", by=trainer)
    essay_mark(item=_essay(second_sitting), score=Decimal(3), comment="", by=trainer)
    version_1 = quiz_publish(quiz=quiz, by=trainer)
    frozen = (list(version_1.rows), list(version_1.unit_rows), dict(version_1.meta))
    assert (_row(version_1, first)["score"], _row(version_1, first)["result"]) == ("10", "及格")
    assert _row(version_1, second)["score"] == "3"

    # A second attempt (awaiting marking) turns the live row into 待阅卷 ...
    _sit(quiz, first, says_false=True)
    assert next(r for r in quiz_results(quiz=quiz) if r.officer_id == first.pk).pending
    # ... a re-marked essay and a regrade change the live scores ...
    essay_mark(item=_essay(second_sitting), score=Decimal(5), comment="复核后改判", by=trainer)
    question_key_correct(version=true_false.current_version, answer="T", by=trainer, reason="键误")
    second_sitting.refresh_from_db()
    assert second_sitting.score == Decimal(10)

    # ... but version 1 stays as published, in the database and on its page.
    version_1 = Publication.objects.get(pk=version_1.pk)
    assert (version_1.rows, version_1.unit_rows, version_1.meta) == frozen
    page = _page(OfficerFactory(), version_1)
    assert "待阅卷" not in page and "张伟" in page and ">10<" in page


def _page(reader, publication):
    from django.test import Client

    client = Client()
    client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("publications:detail", args=[publication.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_republishing_issues_version_two_with_the_differences(exam, trainer):
    quiz, _true_false = exam
    officer = OfficerFactory(name="王芳")
    sitting = _sit(quiz, officer, says_false=True)
    essay_mark(item=_essay(sitting), score=Decimal(2), comment="", by=trainer)
    version_1 = quiz_publish(quiz=quiz, by=trainer)
    essay_mark(item=_essay(sitting), score=Decimal(4), comment="复核", by=trainer)
    version_2 = quiz_publish(quiz=quiz, by=trainer, note="复核改判一人")
    version_1.refresh_from_db()
    assert (version_2.version, version_1.superseded_by_id) == (2, version_2.pk)
    assert publication_current(subject=quiz, kind=QUIZ_RESULTS) == version_2
    assert publication_versions(subject=quiz, kind=QUIZ_RESULTS) == [version_2, version_1]
    [change] = version_2.changes
    fields = {f["key"]: (f["old"], f["new"]) for f in change["fields"]}
    assert change["name"] == "王芳" and fields["score"] == ("7", "9")
    assert quiz.is_published


def test_the_test_settings_are_frozen_in_the_meta(exam, trainer):
    quiz, _true_false = exam
    _sit(quiz, OfficerFactory(), says_false=True)
    publication = quiz_publish(quiz=quiz, by=trainer)
    items = dict(publication.meta["items"])
    assert items["计分方式"] == "最后一次" and items["及格线"] == "60%" and items["可作答次数"] == "2"
    assert publication.meta["settings"]["counting"] == "last"
    assert publication.title == "“2026年第4期法律知识抽测”成绩"
    quiz.pass_mark = Decimal(90)
    quiz.save()
    publication.refresh_from_db()
    assert dict(publication.meta["items"])["及格线"] == "60%"


def test_the_trainers_publish_action_issues_versions_and_cannot_withdraw(exam, trainer, login, settings):
    quiz, _true_false = exam
    officer = OfficerFactory()
    sitting = _sit(quiz, officer, says_false=True)
    essay_mark(item=_essay(sitting), score=Decimal(5), comment="", by=trainer)
    quiz.closes_at = timezone.now() - timezone.timedelta(minutes=1)  # closed: no confirmation asked
    quiz.opens_at = quiz.closes_at - timezone.timedelta(days=1)
    quiz.save()
    client = login(trainer)
    url = reverse("assessments:manage_publish", args=[quiz.pk])
    response = client.post(url)
    publication = publication_current(subject=quiz, kind=QUIZ_RESULTS)
    assert response.status_code == 302 and response.url == reverse("publications:detail", args=[publication.pk])
    # The old withdraw action is gone: posting it only tries to publish, and nothing changed.
    response = client.post(url, {"action": "unpublish"}, follow=True)
    assert "没有任何变化" in response.content.decode()
    assert Publication.objects.filter(kind=QUIZ_RESULTS).count() == 1 and quiz.is_published
    assert login(officer).post(url).status_code == 403


def test_results_and_bulletin_links_lead_to_the_frozen_publication(exam, trainer, login):
    quiz, _true_false = exam
    officer = OfficerFactory()
    _sit(quiz, officer, says_false=True)
    client = login(officer)
    assert client.get(reverse("assessments:results", args=[quiz.pk])).status_code == 403
    assert client.get(reverse("assessments:bulletin", args=[quiz.pk])).status_code == 404
    publication = quiz_publish(quiz=quiz, by=trainer)
    response = client.get(reverse("assessments:results", args=[quiz.pk]))
    assert response.url == reverse("publications:detail", args=[publication.pk])
    response = client.get(reverse("assessments:bulletin", args=[quiz.pk]))
    assert response.url == reverse("publications:bulletin", args=[publication.pk])
    index = client.get(reverse("assessments:index")).content.decode()
    assert reverse("publications:detail", args=[publication.pk]) in index


def test_existing_published_results_are_migrated_to_version_one(exam, trainer):
    quiz, _true_false = exam
    officers = [OfficerFactory(name=n) for n in ("赵强", "钱敏", "孙丽")]
    for officer, right in zip(officers, (True, False, True), strict=True):
        sitting = _sit(quiz, officer, says_false=right)
        if officer.name != "孙丽":  # left awaiting marking: published as 待阅卷
            essay_mark(item=_essay(sitting), score=Decimal(4), comment="", by=trainer)
    published_at = timezone.now() - timezone.timedelta(days=30)
    type(quiz).objects.filter(pk=quiz.pk).update(results_published_at=published_at)  # the old way of publishing
    migration = importlib.import_module("publications.migrations.0003_quiz_results_publications")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # running it again adds nothing
    publication = Publication.objects.get(kind=QUIZ_RESULTS)
    expected = quiz_results_snapshot(quiz)
    assert publication.rows == expected.rows
    # The migration froze the table as it was then: without the absentee (缺考) column and count added since.
    assert publication.unit_rows == [{k: v for k, v in u.items() if k != "absent"} for u in expected.unit_rows]
    assert publication.meta["items"] == [item for item in expected.meta["items"] if item[0] != "缺考"]
    assert publication.title == expected.title
    assert publication.columns == [
        {"key": c.key, "label": str(c.label), "numeric": c.numeric}
        for c in __import__("publications.registry", fromlist=["get_kind"]).get_kind(QUIZ_RESULTS).columns
    ]
    assert (publication.version, publication.published_at, publication.published_by) == (1, published_at, None)
    assert quiz.is_published
    pending = next(r for r in publication.rows if r["name"] == "孙丽")
    assert (pending["rank"], pending["result"]) == (None, "待阅卷")
    assert [r["rank"] for r in publication.rows] == [1, 2, None]
    assert SittingStatus.MARKING in set(quiz.sittings.values_list("status", flat=True))


def test_a_new_version_from_the_publications_page_asks_the_tests_own_confirmation(exam, trainer, client):
    """An essay still unmarked: the publications page's button asks first, as the test's own does."""
    quiz, _true_false = exam
    _sit(quiz, OfficerFactory(name="王芳"), says_false=True)
    version_1 = quiz_publish(quiz=quiz, by=trainer)
    _sit(quiz, OfficerFactory(name="李强"), says_false=False)
    client.force_login(trainer)
    republish = reverse("publications:republish", args=[version_1.pk])
    response = client.post(republish, {"note": "补充一人"})
    html = response.content.decode()
    assert response.status_code == 200 and "仍然公布" in html and "补充一人" in html
    assert publication_versions(subject=quiz, kind=QUIZ_RESULTS) == [version_1]
    client.post(republish, {"note": "补充一人", "confirmed": "1"})
    assert publication_current(subject=quiz, kind=QUIZ_RESULTS).version == 2
