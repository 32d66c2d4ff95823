"""Publishing goes through review: a trainer submits, a legal affairs reviewer decides."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState

from lessons.models import LessonPage
from lessons.services import (
    REVIEWERS_GROUP,
    WORKFLOW_NAME,
    lecture_hall_authoring_setup,
)
from officers.roles import Role
from tests.factories.lessons import CoursePageFactory, provision, rich_text
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(hall):
    lecture_hall_authoring_setup(hall=hall)
    legal = LegalAffairsUnitFactory()
    trainer = OfficerFactory(name="陈教官", unit=legal, roles=[Role.TRAINER])
    reviewer = OfficerFactory(name="周审核", unit=legal, roles=[Role.TRAINER, Role.LEGAL_OFFICER])
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return trainer, reviewer


@pytest.fixture
def submitted(hall, people):
    trainer, _ = people
    course = CoursePageFactory(parent=hall, title="行政案件办理程序")
    lesson = LessonPage(title="第1讲 受案", slug="shou-an", live=False, body=[rich_text(), provision()])
    course.add_child(instance=lesson)
    lesson.save_revision(user=trainer)
    Workflow.objects.get(name=WORKFLOW_NAME).start(lesson, trainer)
    return lesson


def test_the_hall_is_under_the_review_workflow(hall, people):
    assert hall.get_workflow().name == WORKFLOW_NAME


def test_trainers_may_draft_but_not_publish(hall, people):
    trainer, reviewer = people
    course = CoursePageFactory(parent=hall)
    trainer_perms = course.permissions_for_user(trainer)
    assert trainer_perms.can_add_subpage() and trainer_perms.can_edit()
    assert not trainer_perms.can_publish()
    assert course.permissions_for_user(reviewer).can_publish()


def test_a_trainer_can_open_the_admin_editor(client, login, hall, people, submitted):
    trainer, _ = people
    login(trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk]))
    assert response.status_code == 200


def test_the_reviewer_approves_and_the_lesson_goes_live(client, login, people, submitted):
    trainer, reviewer = people
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(submitted.pk))
    task_state = state.current_task_state
    assert [a[0] for a in task_state.task.specific.get_actions(submitted, trainer)] == []
    login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "内容准确，同意发布。"})
    assert response.status_code in (200, 302)
    submitted.refresh_from_db()
    assert submitted.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    # Revisions and their authors stay visible.
    assert submitted.revisions.filter(user=trainer).exists()


def test_the_reviewer_sends_it_back_with_a_comment(client, login, people, submitted):
    _, reviewer = people
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    task_state = state.current_task_state
    login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "reject", task_state.pk])
    client.post(url, {"comment": "法条引用有误，请核对第七十七条。"})
    task_state.refresh_from_db()
    state.refresh_from_db()
    submitted.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert task_state.comment == "法条引用有误，请核对第七十七条。"
    assert not submitted.live


def test_an_officer_outside_the_reviewers_cannot_approve(client, login, people, submitted):
    task_state = WorkflowState.objects.get(object_id=str(submitted.pk)).current_task_state
    other_trainer = OfficerFactory(roles=[Role.TRAINER])
    login(other_trainer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert not submitted.live


def test_the_setup_command_creates_the_hall_with_permissions_and_workflow(db):
    from django.core.management import call_command
    from wagtail.models import GroupPagePermission

    from lessons.models import LectureHallPage

    call_command("lecture_hall_setup", stdout=open("/dev/null", "w"))
    call_command("lecture_hall_setup", stdout=open("/dev/null", "w"))  # idempotent
    hall = LectureHallPage.objects.get()
    assert hall.url == "/lecture-hall/"
    assert hall.get_workflow().name == WORKFLOW_NAME
    assert set(
        GroupPagePermission.objects.filter(page=hall, group__name="trainer").values_list("permission__codename", flat=True)
    ) == {"add_page", "change_page"}


def _lesson_form(body, **extra):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    return nested_form_data({
        "title": "第9讲 证据保全", "slug": "zheng-ju-bao-quan", "summary": "", "minutes": 20,
        "body": streamfield([("text", rich_text(html)) for html in body]),
        **extra,
    })


def test_a_trainer_submits_a_lesson_through_the_admin(client, login, hall, people):
    trainer, _ = people
    course = CoursePageFactory(parent=hall)
    login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    response = client.post(url, _lesson_form(["<p>先行登记保存的程序。</p>"], **{"action-submit": "1"}))
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="zheng-ju-bao-quan")
    assert not lesson.live
    assert WorkflowState.objects.get(object_id=str(lesson.pk)).status == WorkflowState.STATUS_IN_PROGRESS


def test_an_empty_lesson_can_be_drafted_but_not_submitted(client, login, hall, people):
    trainer, _ = people
    course = CoursePageFactory(parent=hall)
    login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    response = client.post(url, _lesson_form([], **{"action-submit": "1"}))
    assert response.status_code == 200  # the form again, with the error
    assert not LessonPage.objects.filter(slug="zheng-ju-bao-quan").exists()
    response = client.post(url, _lesson_form([]))  # save draft
    assert response.status_code == 302, response.context["form"].errors
    assert not LessonPage.objects.get(slug="zheng-ju-bao-quan").live


def test_bulk_publishing_an_empty_draft_is_refused_in_chinese(client, login, hall, people):
    trainer, reviewer = people
    course = CoursePageFactory(parent=hall)
    login(trainer)
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    assert client.post(add, _lesson_form([])).status_code == 302  # an empty draft
    assert client.post(add, _lesson_form(["<p>完整的课时。</p>"], slug="wan-zheng")).status_code == 302
    empty = LessonPage.objects.get(slug="zheng-ju-bao-quan")
    complete = LessonPage.objects.get(slug="wan-zheng")

    login(reviewer)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    explorer = reverse("wagtailadmin_explore", args=[course.pk])
    response = client.post(
        f"{url}?id={empty.pk}&id={complete.pk}&next={explorer}", {"include_descendants": ""}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "未发布任何页面" in text and "正文为空的课时不能发布" in text
    empty.refresh_from_db()
    complete.refresh_from_db()
    assert not empty.live and not complete.live  # nothing published


def test_a_reviewer_cannot_empty_a_lesson_under_review(client, login, people, submitted):
    """Approval publishes the latest revision, so it may never be an empty draft."""
    _, reviewer = people
    login(reviewer)
    edit = reverse("wagtailadmin_pages:edit", args=[submitted.pk])
    response = client.post(edit, _lesson_form([], slug=submitted.slug))  # save draft
    assert response.status_code == 200
    assert "正在审核" in str(response.context["form"].errors), response.context["form"].errors
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", state.current_task_state.pk])
    assert client.post(url, {"comment": ""}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.live and len(submitted.body) == 2


def test_a_course_with_certificates_cannot_be_deleted(client, login, hall, course, legal_officer):
    from lessons.models import CourseCompletion

    CourseCompletion.objects.create(officer=legal_officer, course=course)
    admin = OfficerFactory(name="管理员")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    login(admin)
    for page in (course, hall):  # the course itself, or the hall above it
        response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]), follow=True)
        assert response.status_code == 200
        text = response.content.decode()
        assert "已颁发结业证书" in text and "取消发布" in text
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = client.post(f"{url}?id={course.pk}&next=/admin/", follow=True)
    assert "已颁发结业证书" in response.content.decode()
    assert type(course).objects.filter(pk=course.pk).exists()


def test_trainers_admin_screens_are_in_chinese(client, login, hall, people, submitted):
    """Strings Wagtail 8's zh_Hans catalogue leaves in English, and the site's name."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Go to the first error") == "转到第一个错误"
        assert translation.gettext("New: %(model_name)s") % {"model_name": "培训活动"} == "新建：培训活动"
        assert translation.gettext("The page could not be created due to validation errors.").startswith("页面未能创建")
        assert "被引用了 3 次" in translation.ngettext(
            "This %(model_name)s is referenced %(usage_count)s time.",
            "This %(model_name)s is referenced %(usage_count)s times.", 3,
        ) % {"model_name": "课时", "usage_count": 3}
        assert translation.gettext("Save your changes before leaving") == "离开前请先保存修改"

    call_command("lecture_hall_setup", stdout=open("/dev/null", "w"))
    trainer, reviewer = people
    login(reviewer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"{settings.BUREAU_NAME}永警大讲堂" in home and "localhost" not in home
    assert "搜索所有页面…" in home
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "自动保存<span>已暂停</span>" in editor or "离开前请先保存修改" in editor


def test_the_admins_javascript_strings_are_in_chinese_too(client, login, people):
    """Wagtail's djangojs catalogue lacks some; the project-level djangojs catalogue adds them."""
    _, reviewer = people
    login(reviewer)
    import json

    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for text in ("插入内容块", "正在自动保存…"):
        assert json.dumps(text)[1:-1] in catalogue or text in catalogue
