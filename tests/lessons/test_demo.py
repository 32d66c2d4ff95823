"""seed_demo's lecture hall: enough content to demonstrate every feature, and idempotent."""

import pytest
from wagtail.models import WorkflowState

from lessons import demo
from lessons.models import Attendance, CoursePage, LessonPage, TrainingSession
from officers import demo as officers_demo

pytestmark = pytest.mark.django_db


def test_demo_hall_uses_every_block_type_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officers_demo.seed()
    demo.seed()
    demo.seed()
    assert CoursePage.objects.live().count() >= 3
    lessons = LessonPage.objects.live()
    assert lessons.count() >= 10
    kinds = {block.block_type for lesson in lessons for block in lesson.body}
    assert kinds == {"text", "provision", "case_study", "handout", "media", "image", "knowledge_check"}
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    assert TrainingSession.objects.count() == 2
    assert all(Attendance.objects.filter(session=s).exists() for s in TrainingSession.objects.all())
    assert CoursePage.objects.filter(is_required=True, due_on__isnull=False).count() >= 2


def test_a_demo_check_draws_a_question_from_the_bank_without_duplicating_it(settings, tmp_path):
    from assessments import demo as assessments_demo
    from assessments.models import Question
    from lessons.blocks import question_items

    settings.MEDIA_ROOT = tmp_path
    officers_demo.seed()
    demo.seed()
    lesson = LessonPage.objects.get(slug="coercive-measures-2")
    [check] = lesson.knowledge_checks
    assert [q.block_type for q in check.value["questions"]] == ["question", "bank_question"]
    bank_item = question_items(check.value)[1]
    assert bank_item["prompt"] == "取保候审保证金的起点数额为人民币一千元。" and bank_item["correct"] == {0}
    assessments_demo.seed()
    assert Question.objects.filter(stem="取保候审保证金的起点数额为人民币一千元。").count() == 1


def test_the_demo_has_late_completions_on_the_dashboard_and_its_export(settings, tmp_path):
    """逾期完成 is shown on the dashboard and in the export: the demo must have one."""
    import datetime as dt
    import io

    import time_machine
    from django.utils import translation
    from openpyxl import load_workbook

    from lessons.models import CourseCompletion
    from lessons.selectors import course_dashboard
    from lessons.services import course_dashboard_xlsx

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False):
        officers_demo.seed()
        demo.seed()
        demo.seed()
        late = CourseCompletion.objects.filter(is_late=True)
        assert late.count() == 2
        completion = late.first()
        assert completion.completed_at.date() > completion.course.due_on
        assert completion.course.is_required
        units = course_dashboard(course=completion.course, all_officers=True)["units"]
        assert sum(1 for unit in units for officer in unit.officers if officer.completed_late) == 2
        with translation.override("zh-hans"):
            workbook = load_workbook(io.BytesIO(course_dashboard_xlsx(course=completion.course)))
        cells = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
        assert cells.count("逾期完成") == 2


def test_the_demo_names_wagtails_root_page_and_default_workflow_in_chinese():
    """Wagtail's migrations call them "Welcome to your new Wagtail site!" and "Moderators
    approval": the admin's page tree, breadcrumbs and workflow list showed them in English."""
    from wagtail.models import Page, Task, Workflow

    assert Page.objects.filter(depth=2, title=demo.WAGTAIL_ROOT_TITLE).exists()
    demo._wagtail_defaults_in_chinese()
    demo._wagtail_defaults_in_chinese()
    root = Page.objects.get(depth=2)
    assert (root.title, root.draft_title) == (demo.ROOT_TITLE, demo.ROOT_TITLE)
    assert not Workflow.objects.filter(name=demo.WAGTAIL_DEFAULT_WORKFLOW).exists()
    assert Workflow.objects.filter(name=demo.DEFAULT_WORKFLOW).count() == 1
    assert list(Task.objects.filter(name__in=[demo.WAGTAIL_DEFAULT_WORKFLOW, demo.DEFAULT_TASK]).values_list("name", flat=True)) == [demo.DEFAULT_TASK]
    root.title = "法制大队内网"
    root.save()
    demo._wagtail_defaults_in_chinese()
    assert Page.objects.get(depth=2).title == "法制大队内网"
