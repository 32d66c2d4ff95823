"""Each role lands on its own to-do list after logging in, on a phone and a desktop;
the mentor starts the day's log in one tap; finishing an item removes it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services as quiz_services
from assessments.models import FixedQuestion
from mentoring.models import LogStatus
from officers.roles import Role, Tier
from officers.services import roles_sync
from tests.factories.assessments import (
    EssayQuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)
from tests.factories.mentoring import MentorshipFactory, ShadowingLogFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    roles_sync()
    station = UnitFactory(name="东城派出所")
    legal = LegalAffairsUnitFactory()
    people = {
        "officer": OfficerFactory(name="孙民警", unit=UnitFactory(name="西城派出所")),
        "trainer": OfficerFactory(name="陈教官", unit=legal, roles=[Role.TRAINER]),
        "reviewer": OfficerFactory(name="周审核", unit=legal, tier=Tier.MID_LEVEL,
                                   roles=[Role.TRAINER, Role.LEGAL_REVIEWER]),
    }
    mentorship = MentorshipFactory(recruit__unit=station, recruit__name="李新警", mentor__name="刘师傅")
    people["mentor"], people["recruit"] = mentorship.mentor, mentorship.recruit
    ShadowingLogFactory(mentorship=mentorship, status=LogStatus.SUBMITTED)
    MentorshipFactory(recruit__name="何海军", final_proposed_at=timezone.now())  # waits for the reviewer

    quiz = QuizFactory(title="2026年第12期法律知识抽测")
    FixedQuestion.objects.create(quiz=quiz, question=TrueFalseQuestionFactory(answer="T"), points=Decimal(5))
    FixedQuestion.objects.create(quiz=quiz, question=EssayQuestionFactory(), points=Decimal(5))
    essayist = OfficerFactory()
    sitting = quiz_services.sitting_start(quiz=quiz, officer=essayist)
    essay = sitting.paper.get(version__type="essay")
    quiz_services.answer_save(sitting_id=sitting.pk, officer=essayist, position=essay.position, text="合法、公正。", revision=1)
    quiz_services.sitting_submit(sitting=sitting)

    return people, mentorship, quiz


EXPECTED = {
    "officer": {"assessments.test_open"},
    "recruit": {"mentoring.acknowledge"},
    "mentor": {"mentoring.log_today"},
    "trainer": {"assessments.marking"},
    "reviewer": {"mentoring.to_approve", "assessments.marking"},
}


def kinds_on(page):
    return set(page.locator(".todo-item").evaluate_all("els => els.map(e => e.dataset.kind)"))


def test_each_role_lands_on_its_own_to_do_list(world, browser, live_server, log_in_as):
    people, _mentorship, _quiz = world
    for who, viewport in [(who, viewport) for who in EXPECTED for viewport in ({"width": 390, "height": 844}, {"width": 1280, "height": 800})]:
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        browser_page = context.new_page()
        log_in_as(browser_page, live_server, people[who])
        assert browser_page.get_by_role("heading", name="我的待办").is_visible()
        kinds = kinds_on(browser_page)
        assert EXPECTED[who] <= kinds, kinds
        # Nobody sees another role's work.
        # (the open test is meant for the whole bureau, so everyone has it)
        others = set().union(*(v for k, v in EXPECTED.items() if k != who)) - EXPECTED[who] - {"assessments.test_open"}
        assert not (kinds & others), kinds & others
        # The header's count says how many, on the phone too.
        count = sum(int(t) if t.strip() else 1 for t in browser_page.locator(".todo-item").evaluate_all(
            "els => els.map(e => (e.querySelector('.todo-item__count') || {textContent: ''}).textContent)"))
        badge = browser_page.locator('[data-count="todo"]')
        browser_page.wait_for_function("() => document.querySelector('[data-count=\"todo\"]').textContent !== ''")
        assert badge.is_visible() and badge.inner_text() == str(count)
        context.close()


def test_the_mentor_starts_the_days_log_in_one_tap_and_the_item_goes(world, phone, live_server, log_in_as):
    people, mentorship, _quiz = world
    log_in_as(phone, live_server, people["mentor"])
    phone.locator('[data-kind="mentoring.log_today"] a').tap()
    phone.wait_for_url(f"{live_server.url}/mentoring/mentorships/{mentorship.pk}/logs/new/")
    assert phone.locator("form").first.is_visible()
    ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate())  # the log written
    phone.goto(f"{live_server.url}/")
    assert "mentoring.log_today" not in kinds_on(phone)


def test_an_officer_finishes_a_test_and_it_leaves_the_list(world, page, live_server, log_in_as):
    people, _mentorship, quiz = world
    log_in_as(page, live_server, people["officer"])
    page.locator('[data-kind="assessments.test_open"] a').click()
    page.wait_for_url(f"{live_server.url}/assessments/tests/{quiz.pk}/")
    sitting = quiz_services.sitting_start(quiz=quiz, officer=people["officer"])
    page.goto(f"{live_server.url}/")
    assert kinds_on(page) >= {"assessments.sitting_in_progress"}
    quiz_services.sitting_submit(sitting=sitting)
    page.goto(f"{live_server.url}/")
    assert not {k for k in kinds_on(page) if k.startswith("assessments.")}
    assert page.get_by_text("目前没有待办事项").is_visible()
