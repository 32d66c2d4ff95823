"""The demo legal officer takes a required course to its certificate, in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone

from lessons.models import (
    CourseCompletion,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonStudy,
)
from lessons.selectors import course_lessons
from officers.roles import Role
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    LessonPageFactory,
    knowledge_check,
    provision,
    rich_text,
    studied,
)
from tests.factories.officers import OfficerFactory, UnitFactory
from tests.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_officer_completes_a_required_course_and_downloads_the_certificate(live_server, page, log_in_as):
    officer = OfficerFactory(
        police_number="200001", name="王法制", unit=UnitFactory(name="东城派出所"), roles=[Role.LEGAL_OFFICER]
    )
    hall = LectureHallPageFactory()
    course = CoursePageFactory(
        parent=hall, title="行政案件办理程序", is_required=True,
        due_on=timezone.localdate() + dt.timedelta(days=30), audience_roles=[Role.LEGAL_OFFICER],
    )
    LessonPageFactory(parent=course, title="第1讲 受案与立案", body=[rich_text("<p>公安机关应当及时受理报案。</p>"), provision()])
    LessonPageFactory(parent=course, title="第2讲 取保候审的执行", body=[rich_text(), knowledge_check()])
    CoursePageFactory(parent=hall, title="涉案财物管理")

    log_in_as(page, live_server, officer)
    page.get_by_role("navigation").get_by_role("link", name="我的课程").click()
    page.get_by_role("heading", name="必修课程").wait_for()
    assert "截止" in page.locator(".course-card").first.inner_text()
    page.get_by_role("link", name="行政案件办理程序").click()

    with page.expect_response(lambda response: "/study/" in response.url):
        page.get_by_role("link", name="第1讲 受案与立案").click()
    # A lesson counts after the time on its page: the button waits for the server's clock.
    assert page.get_by_role("button", name="我已学完本讲，标记为完成").is_disabled()
    assert "至少 10 分钟" in page.locator("#lesson-end").inner_text()
    assert LessonStudy.objects.filter(officer=officer).exists()  # the page's heartbeat started the clock
    for lesson in course_lessons(course):  # ten minutes later, as the heartbeat counts them
        studied(officer, lesson)
    page.reload()
    page.get_by_text("学习时长已满足。").wait_for()
    page.get_by_role("button", name="我已学完本讲，标记为完成").click()
    page.get_by_text("本讲已完成。").wait_for()

    page.get_by_role("link", name="第2讲 取保候审的执行 ›").click()
    page.get_by_text("通过上方的知识检测即可完成本讲").wait_for()
    # A wrong answer first: told so, nothing recorded.
    page.get_by_label("六个月").check()
    page.get_by_label("保证人").check()
    page.get_by_role("button", name="提交答案").click()
    page.get_by_text("检测未通过").wait_for()
    assert LessonCompletion.objects.filter(officer=officer).count() == 1
    # The retry opens after a pause, with nothing of the failed answers kept.
    assert page.get_by_role("button", name="重新提交").is_disabled()
    assert not page.get_by_label("六个月").is_checked()
    KnowledgeCheckAttempt.objects.filter(officer=officer).update(submitted_at=timezone.now() - dt.timedelta(minutes=3))
    page.reload()

    page.get_by_label("十二个月").check()
    page.get_by_label("保证人").check()  # nothing of the failed attempt is kept: every answer again
    page.get_by_label("保证金").check()
    page.get_by_role("button", name="重新提交").click()
    page.get_by_text("检测通过").wait_for()
    # Passing the check is not the end of the lesson: the officer reads on and marks it.
    assert LessonCompletion.objects.filter(officer=officer).count() == 1
    page.get_by_role("button", name="我已学完本讲，标记为完成").click()
    page.get_by_text("本讲已完成。").wait_for()
    assert "您已完成本讲学习" in page.locator("#lesson-end").inner_text()

    # The PDF is printed in the request (WeasyPrint's first load is slow on a busy machine).
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="下载结业证书（PDF）").click(timeout=60_000)
    pdf = open(download_info.value.path(), "rb").read()
    completion = CourseCompletion.objects.get(officer=officer, course=course)
    text = "".join(pdf_text(pdf).split())
    assert "王法制" in text and completion.certificate_number in text

    page.get_by_role("navigation").get_by_role("link", name="我的课程").click()
    card = page.locator(".course-card", has_text="行政案件办理程序")
    assert "已完成" in card.inner_text()
    assert completion.certificate_number in page.locator("main").inner_text()


def test_my_courses_reads_on_a_phone(live_server, phone, log_in_as):
    officer = OfficerFactory(roles=[Role.LEGAL_OFFICER])
    course = CoursePageFactory(parent=LectureHallPageFactory(), title="刑事强制措施", is_required=True, due_on=dt.date(2026, 1, 1))
    LessonPageFactory(parent=course, body=[rich_text(), provision(), knowledge_check()])
    log_in_as(phone, live_server, officer)
    phone.goto(f"{live_server.url}/lessons/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("link", name="刑事强制措施").click()
    phone.locator(".lesson-item a").first.click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
