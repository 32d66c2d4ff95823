"""The Content-Security-Policy holds in a real browser: a page of every app and the
Wagtail admin (its page editor included) run with no violation (issue 8, headers)."""

import pytest
from django.urls import NoReverseMatch, reverse

from assessments import services as assessment_services
from officers.roles import Role, Tier
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    LessonPageFactory,
    knowledge_check,
)
from tests.factories.mentoring import CompetencyFactory, MentorshipFactory
from tests.factories.officers import OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page):
    console = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return console


def _visit(page, console, url) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert response.headers.get("content-security-policy"), url
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations") + console[:]
    console.clear()
    return [f"{url}: {v}" for v in found]


def _optional(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # an app not installed in this tree
        return None


def test_platform_pages_and_the_wagtail_admin_run_without_a_violation(browser, live_server, log_in_as):
    hall = LectureHallPageFactory()
    course = CoursePageFactory(parent=hall, title="刑事强制措施", slug="coercive")
    lesson = LessonPageFactory(parent=course, title="第一讲 取保候审", body=[knowledge_check()])
    category = CategoryFactory(name="刑事诉讼")
    for i in range(3):
        QuestionFactory(category=category, stem=f"第{i}题")
    quiz = QuizFactory(title="CSP抽测", audience_tiers=["recruit"])
    BlueprintRowFactory(quiz=quiz, category=category, count=3)
    CompetencyFactory(name="接处警")
    mentorship = MentorshipFactory()
    recruit, mentor = mentorship.recruit, mentorship.mentor
    sitting = assessment_services.sitting_start(quiz=quiz, officer=recruit)
    admin = OfficerFactory(roles=[Role.ADMINISTRATOR], is_superuser=True, is_staff=True, tier=Tier.MID_LEVEL)

    violations = []
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console = _watch(page)
    violations += _visit(page, console, f"{live_server.url}/accounts/login/")
    log_in_as(page, live_server, recruit)
    for path in [
        "/", reverse("lessons:my_courses"), lesson.url, reverse("lessons:sessions"),
        reverse("assessments:index"), reverse("assessments:sitting", args=[sitting.pk]),
        reverse("mentoring:home"), reverse("mentoring:mentorship", args=[mentorship.pk]),
        _optional("publications:list"), _optional("ranking:index"), _optional("case_review:index"),
        reverse("password_change"),
    ]:
        if path:
            violations += _visit(page, console, f"{live_server.url}{path}")
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    console = _watch(page)
    log_in_as(page, live_server, mentor)
    violations += _visit(page, console, f"{live_server.url}{reverse('mentoring:log_create', args=[mentorship.pk])}")
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console = _watch(page)
    log_in_as(page, live_server, admin)
    for path in [
        "/admin/", f"/admin/pages/{course.pk}/", f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/lessons/lessonpage/{course.pk}/", "/admin/documents/", "/admin/images/",
        "/admin/users/", "/admin/assessments_question/", f"/admin/assessments_quiz/edit/{quiz.pk}/",
        "/admin/training_sessions/new/", reverse("lessons:dashboard"),
        reverse("assessments:manage"), reverse("officers_import"),
    ]:
        violations += _visit(page, console, f"{live_server.url}{path}")
    # The date pickers and inline panels still start without their inline scripts.
    page.goto(f"{live_server.url}/admin/users/")  # the "last login" filter has two date pickers
    page.wait_for_load_state("networkidle")
    assert page.locator(".xdsoft_datetimepicker").count() >= 2  # each made by initDateChooser
    page.goto(f"{live_server.url}/admin/assessments_quiz/edit/{quiz.pk}/")
    page.wait_for_load_state("networkidle")
    count_rows = "[...document.querySelectorAll('[id^=inline_child_blueprint_rows-]')].filter(e => /-\\d+$/.test(e.id)).length"
    assert page.evaluate(count_rows) == 1
    page.locator("#id_blueprint_rows-ADD").click()  # the panel, started once, adds one row
    assert page.evaluate(count_rows) == 2
    violations += [f"editors: {v}" for v in page.evaluate("window.__cspViolations") + console]
    context.close()
    assert not violations, "\n".join(violations)
