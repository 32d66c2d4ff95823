"""A lesson's save refused for a field on a tab the trainer is not looking at
(issue 14: "fails with a message about 网址别名 on a hidden tab", Wagtail's 推荐 tab): the message at the
top names the field and its tab, and the editor switches to that tab."""

import pytest
from django.contrib.auth.models import Group

from lessons.services import REVIEWERS_GROUP, lecture_hall_authoring_setup
from officers.roles import Role
from tests.factories.lessons import CoursePageFactory, LessonPageFactory, rich_text
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_an_error_on_the_promote_tab_is_named_and_shown(live_server, page, log_in_as, hall, viewport, tmp_path):
    lecture_hall_authoring_setup(hall=hall)
    reviewer = OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.TRAINER, Role.LEGAL_OFFICER])
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    course = CoursePageFactory(parent=hall, title="行政案件办理程序")
    LessonPageFactory(parent=course, title="第1讲 受案", slug="shou-an", body=[rich_text()])
    lesson = LessonPageFactory(parent=course, title="第2讲 立案", slug="li-an", body=[rich_text()])

    page.set_viewport_size(viewport)
    log_in_as(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.get_by_role("tab", name="推荐").click()
    page.locator("#id_slug").fill("shou-an")  # the address of the other lesson
    page.get_by_role("tab", name="内容").click()
    assert not page.locator("#id_slug").is_visible()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")

    summary = page.locator("[data-lessons-form-errors]")
    summary.wait_for()
    text = summary.inner_text()
    assert "“推荐”标签页 · 网址别名：" in text and "shou-an" in text
    assert summary.is_visible()
    # The tab of the error is the one shown, its field in view.
    assert page.get_by_role("tab", name="推荐").get_attribute("aria-selected") == "true"
    assert page.locator("#id_slug").is_visible()
    page.screenshot(path=str(tmp_path / "errors.png"))
    if (out := __import__("os").environ.get("LESSONS_SHOTS")):
        page.screenshot(path=f"{out}/form-errors-{viewport['width']}.png", full_page=True)
