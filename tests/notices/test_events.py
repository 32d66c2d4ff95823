"""Each event someone must hear about becomes a notice for exactly the right people."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow, WorkflowState

from assessments import services as quiz_services
from assessments.models import FixedQuestion, QuizOverride
from lessons.models import LessonPage
from lessons.services import (
    REVIEWERS_GROUP,
    WORKFLOW_NAME,
    lecture_hall_authoring_setup,
)
from mentoring import services as mentoring_services
from mentoring.models import CompetencySignOff
from notices.models import Notice, NoticeKind
from officers.roles import Role
from officers.services import roles_sync
from publications import services as publication_services
from tests.factories.assessments import QuizFactory, TrueFalseQuestionFactory
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    provision,
    rich_text,
)
from tests.factories.mentoring import CompetencyFactory, MentorshipFactory
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    roles_sync()


def notices_of(officer, kind):
    return list(Notice.objects.filter(recipient=officer, kind=kind))


@pytest.fixture
def published():
    """Two officers' results of a closed test, published by a trainer."""
    trainer = OfficerFactory(roles=[Role.TRAINER])
    quiz = QuizFactory(title="2026年第12期法律知识抽测")
    FixedQuestion.objects.create(quiz=quiz, question=TrueFalseQuestionFactory(answer="T"), points=Decimal(5))
    officers = [OfficerFactory(), OfficerFactory()]
    for officer in officers:
        quiz_services.sitting_submit(sitting=quiz_services.sitting_start(quiz=quiz, officer=officer))
    publication = publication_services.publication_publish(subject=quiz, kind="quiz_results", by=trainer)
    return trainer, officers, publication


def test_everyone_in_a_published_table_is_told_and_the_publisher_is_not(published):
    trainer, officers, publication = published
    for officer in officers:
        [notice] = notices_of(officer, NoticeKind.RESULTS_PUBLISHED)
        assert publication.title in notice.title
        assert notice.url == reverse("publications:detail", args=[publication.pk])
        assert notice.read_at is None
    assert not Notice.objects.filter(recipient=trainer).exists()
    assert not notices_of(OfficerFactory(), NoticeKind.RESULTS_PUBLISHED)


def test_the_objector_hears_the_answer(published):
    _trainer, officers, publication = published
    reviewer = OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])
    objection = publication_services.objection_file(publication=publication, officer=officers[0], reason="第1题答案有误。")
    publication_services.objection_reject(objection=objection, by=reviewer, response="经核对，答案无误。")
    [notice] = notices_of(officers[0], NoticeKind.OBJECTION_ANSWERED)
    assert notice.body == "经核对，答案无误。"
    assert "未被采纳" in notice.title or "not accepted" in notice.title
    assert not notices_of(officers[1], NoticeKind.OBJECTION_ANSWERED)


def _entry(competency, **changes):
    values = {
        "ratings": {competency.pk: mentoring_services.RatingEntry(rating=5, comment="")},
        "date": timezone.localdate() - dt.timedelta(days=1), "start_time": dt.time(8, 30),
        "end_time": dt.time(17, 30), "best": "询问条理清楚", "worst": "现场照片不全", "next_plan": "练习笔录制作",
    }
    values.update(changes)
    return mentoring_services.LogEntry(**values)


def test_the_recruit_hears_of_a_corrected_log_and_the_mentor_does_not():
    mentorship = MentorshipFactory()
    competency = CompetencyFactory()
    log = mentoring_services.shadowing_log_submit(mentorship=mentorship, author=mentorship.mentor, entry=_entry(competency))
    assert not Notice.objects.exists()  # a new log is a to-do item, not a notice
    mentoring_services.shadowing_log_update(log=log, author=mentorship.mentor, entry=_entry(competency, worst="现场照片不全，笔录漏签名"))
    [notice] = notices_of(mentorship.recruit, NoticeKind.LOG_CORRECTED)
    assert notice.url == reverse("mentoring:log", args=[log.pk])
    assert not Notice.objects.filter(recipient=mentorship.mentor).exists()


def test_a_withdrawn_sign_off_is_told_to_the_recruit():
    mentorship = MentorshipFactory()
    competency = CompetencyFactory()
    CompetencySignOff.objects.create(mentorship=mentorship, competency=competency, signed_by=mentorship.mentor)
    mentoring_services.competency_sign_off_withdraw(
        mentorship=mentorship, competency=competency, by=mentorship.mentor, reason="签认过早，需再观察。")
    [notice] = notices_of(mentorship.recruit, NoticeKind.SIGN_OFF_WITHDRAWN)
    assert competency.name in notice.title and notice.body == "签认过早，需再观察。"
    assert not notices_of(mentorship.mentor, NoticeKind.SIGN_OFF_WITHDRAWN)  # the one who withdrew it


def test_an_override_granted_in_the_admin_is_told_to_the_officer(client):
    admin = OfficerFactory(roles=[Role.TRAINER])
    officer = OfficerFactory()
    quiz = QuizFactory(title="2026年第12期法律知识抽测")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("assessments_override:add"), {
        "quiz": quiz.pk, "officer": officer.pk, "extra_minutes": 15, "extra_attempts": 0, "closes_at": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert QuizOverride.objects.filter(officer=officer).exists()
    [notice] = notices_of(officer, NoticeKind.OVERRIDE_GRANTED)
    assert quiz.title in notice.title and "15" in notice.body


@pytest.fixture
def submitted_lesson():
    hall = LectureHallPageFactory()
    lecture_hall_authoring_setup(hall=hall)
    legal = LegalAffairsUnitFactory()
    trainer = OfficerFactory(name="陈教官", unit=legal, roles=[Role.TRAINER])
    reviewer = OfficerFactory(name="周审核", unit=legal, roles=[Role.TRAINER, Role.LEGAL_OFFICER])
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    course = CoursePageFactory(parent=hall, title="行政案件办理程序")
    lesson = LessonPage(title="第1讲 受案", slug="shou-an", live=False, body=[rich_text(), provision()])
    course.add_child(instance=lesson)
    lesson.save_revision(user=trainer)
    Workflow.objects.get(name=WORKFLOW_NAME).start(lesson, trainer)
    return trainer, reviewer, lesson


@pytest.mark.parametrize("action,kind", [("reject", NoticeKind.LESSON_RETURNED), ("approve", NoticeKind.LESSON_PUBLISHED)])
def test_the_trainer_hears_the_review_of_their_lesson(client, submitted_lesson, action, kind):
    trainer, reviewer, lesson = submitted_lesson
    task_state = WorkflowState.objects.get(object_id=str(lesson.pk)).current_task_state
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, action, task_state.pk]),
                {"comment": "法条引用有误，请核对第七十七条。"})
    [notice] = notices_of(trainer, kind)
    assert lesson.title in notice.title
    if action == "reject":
        assert notice.body == "法条引用有误，请核对第七十七条。"
        assert notice.url == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert not Notice.objects.filter(recipient=reviewer).exists()


def test_the_reviewers_comment_heads_the_editor_of_a_returned_lesson(client, submitted_lesson):
    trainer, reviewer, lesson = submitted_lesson
    task_state = WorkflowState.objects.get(object_id=str(lesson.pk)).current_task_state
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "reject", task_state.pk]),
                {"comment": "法条引用有误，请核对第七十七条。"})
    client.force_login(trainer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content.decode()
    assert "法条引用有误，请核对第七十七条。" in page
    assert "周审核" in page
