"""我的待办: each app's items, who sees which, that finishing an item removes it, and the cost."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as quiz_services
from assessments.models import FixedQuestion
from mentoring.models import LogStatus
from notices import todo
from officers.roles import Role, Tier
from officers.services import roles_sync
from publications.models import Objection
from publications.services import publication_publish
from ranking.models import ManualStatus
from tests.factories.assessments import (
    CategoryFactory,
    EssayQuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    LessonPageFactory,
    TrainingSessionFactory,
)
from tests.factories.mentoring import MentorshipFactory, ShadowingLogFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.factories.ranking import ManualEntryFactory

pytestmark = pytest.mark.django_db


def kinds(officer):
    return [item.kind for item in todo.items_for(officer)]


@pytest.fixture(autouse=True)
def _roles(db):
    roles_sync()


@pytest.fixture
def reviewer():
    return OfficerFactory(unit=LegalAffairsUnitFactory(), tier=Tier.MID_LEVEL, roles=[Role.LEGAL_REVIEWER])


@pytest.fixture
def trainer():
    return OfficerFactory(roles=[Role.TRAINER])


@pytest.fixture
def exam():
    """An open test of a true/false question and an essay, for the whole bureau."""
    category = CategoryFactory(name="治安管理处罚")
    quiz = QuizFactory(title="2026年第12期法律知识抽测")
    FixedQuestion.objects.create(quiz=quiz, question=TrueFalseQuestionFactory(category=category, answer="T"), points=Decimal(5))
    FixedQuestion.objects.create(quiz=quiz, question=EssayQuestionFactory(category=category), points=Decimal(5))
    return quiz


def test_every_app_registers_its_items():
    modules = {provider.__module__ for provider in todo.providers()}
    assert {"assessments.todo", "lessons.todo", "mentoring.todo", "publications.todo", "ranking.todo"} <= modules


def test_an_open_test_is_listed_until_handed_in_then_disappears(exam):
    officer = OfficerFactory()
    [item] = [i for i in todo.items_for(officer) if i.kind.startswith("assessments.")]
    assert item.kind == "assessments.test_open"
    assert exam.title in item.title
    assert item.due == exam.closes_at
    assert item.url == reverse("assessments:quiz", args=[exam.pk])

    sitting = quiz_services.sitting_start(quiz=exam, officer=officer)
    [item] = [i for i in todo.items_for(officer) if i.kind.startswith("assessments.")]
    assert item.kind == "assessments.sitting_in_progress"
    assert item.url == reverse("assessments:sitting", args=[sitting.pk])

    quiz_services.sitting_submit(sitting=sitting)
    assert not [k for k in kinds(officer) if k.startswith("assessments.")]


def test_a_trainer_is_told_of_essays_to_mark_and_an_officer_is_not(exam, trainer):
    officer = OfficerFactory()
    sitting = quiz_services.sitting_start(quiz=exam, officer=officer)
    essay = sitting.paper.get(version__type="essay")
    quiz_services.answer_save(sitting_id=sitting.pk, officer=officer, position=essay.position, text="合法、公正。", revision=1)
    quiz_services.sitting_submit(sitting=sitting)
    [marking] = [i for i in todo.items_for(trainer) if i.kind == "assessments.marking"]
    assert marking.count == 1
    assert "assessments.marking" not in kinds(officer)


def test_a_recruit_acknowledges_logs_and_the_item_goes():
    log = ShadowingLogFactory(status=LogStatus.SUBMITTED)
    recruit = log.mentorship.recruit
    [item] = [i for i in todo.items_for(recruit) if i.kind == "mentoring.acknowledge"]
    assert item.count == 1
    assert item.url == reverse("mentoring:mentorship", args=[log.mentorship.pk])
    log.status, log.acknowledged_at = LogStatus.ACKNOWLEDGED, timezone.now()
    log.save(update_fields=["status", "acknowledged_at"])
    assert "mentoring.acknowledge" not in kinds(recruit)


def test_a_mentor_starts_todays_log_in_one_tap_until_it_is_written():
    mentorship = MentorshipFactory()
    [item] = [i for i in todo.items_for(mentorship.mentor) if i.kind == "mentoring.log_today"]
    assert item.url == reverse("mentoring:log_create", args=[mentorship.pk])
    assert mentorship.recruit.name in item.title
    ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate())
    assert "mentoring.log_today" not in kinds(mentorship.mentor)
    # The recruit is never asked to write a log.
    assert "mentoring.log_today" not in kinds(mentorship.recruit)


def test_the_legal_affairs_unit_approves_proposed_sign_offs(reviewer):
    mentorship = MentorshipFactory(final_proposed_at=timezone.now())
    [item] = [i for i in todo.items_for(reviewer) if i.kind == "mentoring.to_approve"]
    assert mentorship.recruit.name in item.detail
    assert "mentoring.to_approve" not in kinds(OfficerFactory(unit=LegalAffairsUnitFactory()))  # no role, no item


def test_objections_wait_for_the_legal_affairs_unit_only(reviewer, trainer):
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=TrueFalseQuestionFactory(answer="T"), points=Decimal(5))
    quiz_services.sitting_submit(sitting=quiz_services.sitting_start(quiz=quiz, officer=OfficerFactory()))
    publication = publication_publish(subject=quiz, kind="quiz_results", by=trainer)
    Objection.objects.create(publication=publication, officer=OfficerFactory(), reason="分数有误", filed_at=timezone.now())
    [item] = [i for i in todo.items_for(reviewer) if i.kind == "publications.objections"]
    assert item.count == 1
    assert "publications.objections" not in kinds(OfficerFactory())


def test_manual_points_wait_for_the_other_reviewer(reviewer):
    second = OfficerFactory(unit=reviewer.unit, roles=[Role.LEGAL_REVIEWER])
    ManualEntryFactory(entered_by=reviewer, status=ManualStatus.PENDING, decided_by=None, decided_at=None)
    assert "ranking.manual" in kinds(second)
    assert "ranking.manual" not in kinds(reviewer)  # two-person rule: not their own


def test_required_courses_show_due_and_overdue_first():
    unit = UnitFactory()
    officer = OfficerFactory(unit=unit)
    hall = LectureHallPageFactory()
    late = CoursePageFactory(parent=hall, title="取保候审专题", is_required=True, due_on=timezone.localdate() - dt.timedelta(days=2))
    soon = CoursePageFactory(parent=hall, title="行政处罚程序", is_required=True, due_on=timezone.localdate() + dt.timedelta(days=5))
    CoursePageFactory(parent=hall, title="选修课", is_required=False)
    for course in (late, soon):
        LessonPageFactory(parent=course)
    items = [i for i in todo.items_for(officer) if i.kind == "lessons.course_due"]
    assert [late.title in items[0].title, soon.title in items[1].title] == [True, True]
    assert items[0].is_overdue(timezone.now()) and not items[1].is_overdue(timezone.now())


def test_a_session_today_asks_the_invited_to_check_in_and_the_trainer_to_take_attendance(trainer):
    unit = UnitFactory()
    officer = OfficerFactory(unit=unit)
    start = timezone.now() + dt.timedelta(hours=1)
    session = TrainingSessionFactory(trainer=trainer, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    session.invited_units.set([unit])
    assert "lessons.session_today" in kinds(officer)
    assert "lessons.session_teach" in kinds(trainer)
    assert "lessons.session_today" not in kinds(OfficerFactory())  # another unit


def test_an_ordinary_officer_sees_no_one_elses_work(exam, trainer):
    officer = OfficerFactory()
    sitting = quiz_services.sitting_start(quiz=exam, officer=OfficerFactory())
    quiz_services.sitting_submit(sitting=sitting)
    MentorshipFactory(final_proposed_at=timezone.now())
    assert set(kinds(officer)) <= {"assessments.test_open"}


def test_overdue_sorts_before_urgent_before_normal():
    now = timezone.now()
    items = [
        todo.Item(kind="a", title="normal", url="/", urgency=todo.Urgency.NORMAL),
        todo.Item(kind="b", title="due later", url="/", due=now + dt.timedelta(days=3), urgency=todo.Urgency.SOON),
        todo.Item(kind="c", title="overdue", url="/", due=now - dt.timedelta(hours=1), urgency=todo.Urgency.LOW),
        todo.Item(kind="d", title="due sooner", url="/", due=now + dt.timedelta(hours=3), urgency=todo.Urgency.SOON),
    ]
    assert [i.title for i in sorted(items, key=lambda i: i.sort_key(now))] == ["overdue", "due sooner", "due later", "normal"]


def _home_queries(client, officer):
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_however_much_work_waits(client, reviewer, trainer):
    """A constant number of queries per app: ten times the work, not one query more."""
    first = _home_queries(client, reviewer)
    for _ in range(10):
        MentorshipFactory(final_proposed_at=timezone.now())
        ShadowingLogFactory(status=LogStatus.SUBMITTED)
        ManualEntryFactory(entered_by=trainer, status=ManualStatus.PENDING, decided_by=None, decided_at=None)
    assert _home_queries(client, reviewer) <= first
    assert first <= 40


def test_the_header_shows_the_count_on_every_page_and_an_own_post_refreshes_it(client):
    """Pages pay nothing for the header's numbers: its script asks /notices/counts/."""
    mentorship = MentorshipFactory()
    client.force_login(mentorship.mentor, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("lessons:my_courses")).content.decode()
    assert 'data-count="todo"' in page and "notices/counts.js" in page
    assert client.get(reverse("notices:counts")).json() == {"todo": 1, "unread": 0}
    ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate())
    assert client.get(reverse("notices:counts")).json()["todo"] == 1  # cached for a minute…
    client.post(reverse("notices:read_all"))  # …but any form the officer posts refreshes it
    assert client.get(reverse("notices:counts")).json()["todo"] == 0

def test_a_reviewer_sees_lessons_waiting_and_the_trainer_a_returned_one(client):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowState

    from lessons.models import LessonPage
    from lessons.services import (
        REVIEWERS_GROUP,
        WORKFLOW_NAME,
        lecture_hall_authoring_setup,
    )
    from tests.factories.lessons import rich_text

    hall = LectureHallPageFactory()
    lecture_hall_authoring_setup(hall=hall)
    legal = LegalAffairsUnitFactory()
    author = OfficerFactory(unit=legal, roles=[Role.TRAINER])
    checker = OfficerFactory(unit=legal, roles=[Role.TRAINER, Role.LEGAL_OFFICER])
    checker.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    course = CoursePageFactory(parent=hall, title="行政案件办理程序")
    lesson = LessonPage(title="第1讲 受案", slug="shou-an", live=False, body=[rich_text()])
    course.add_child(instance=lesson)
    lesson.save_revision(user=author)
    Workflow.objects.get(name=WORKFLOW_NAME).start(lesson, author)

    [waiting] = [i for i in todo.items_for(checker) if i.kind == "lessons.review"]
    assert waiting.count == 1
    assert "lessons.review" not in kinds(author)

    task_state = WorkflowState.objects.get(object_id=str(lesson.pk)).current_task_state
    client.force_login(checker, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "reject", task_state.pk]), {"comment": "请核对法条。"})
    assert "lessons.review" not in kinds(checker)
    [returned] = [i for i in todo.items_for(author) if i.kind == "lessons.returned"]
    assert lesson.title in returned.title
    assert returned.url == reverse("wagtailadmin_pages:edit", args=[lesson.pk])


def test_a_case_file_to_review_until_handed_in_then_findings_to_grade_after_the_close(reviewer):
    from assessments.case_review import services as case_services
    from assessments.case_review.models import CaseReview, Conclusion, ReviewRound
    from tests.factories.case_review import (
        CaseDocumentFactory,
        CaseFileFactory,
        DefectTypeFactory,
        KeyDefectFactory,
        released_round,
    )

    officer = OfficerFactory(unit=UnitFactory(name="西城派出所"))
    case_file = CaseFileFactory(title="陈某某等赌博案", unit=UnitFactory(name="东城派出所"))
    document = CaseDocumentFactory(case_file=case_file, title="讯问笔录", page_count=3)
    KeyDefectFactory(case_file=case_file, document=document, defect_type=DefectTypeFactory(name="单人讯问"), page=2)
    round = released_round(reviewers=[officer], files=[case_file], by=reviewer)
    [item] = [i for i in todo.items_for(officer) if i.kind == "case_review.review"]
    review = CaseReview.objects.get(reviewer=officer)
    assert "陈某某等赌博案" in item.title and item.due == round.closes_at
    assert item.url == reverse("case_review:review", args=[review.pk])
    assert "case_review.grade" not in kinds(reviewer)  # nothing handed in yet

    CaseReview.objects.filter(pk=review.pk).update(conclusion=Conclusion.values[0], conclusion_reasons="程序合法。")
    case_services.review_submit(review_id=review.pk, officer=officer)
    assert "case_review.review" not in kinds(officer)
    ReviewRound.objects.filter(pk=round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    [grade] = [i for i in todo.items_for(reviewer) if i.kind == "case_review.grade"]
    assert grade.count == 1 and grade.url == reverse("case_review:grading", args=[round.pk])
    assert "case_review.grade" not in kinds(officer)
