"""No English left in the Wagtail admin that trainers and reviewers use (issue 14).

Each test renders an admin page as the trainer or reviewer sees it and reads every
text node (screen-reader-only labels and dialog templates included, scripts not)
and the labels of its attributes: no run of three or more English words remains.
Before, the lock banner read "This 页面 is currently awaiting moderation…", the
upload form "Maximum filesize", the history "Resubmitted …" and "21:26 by …", the
checks panel and the scheduling dialog were English, and the reviewer's button
read "批准 和发布"."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from lessons.models import LessonPage
from lessons.services import (
    REVIEWERS_GROUP,
    WORKFLOW_NAME,
    lecture_hall_authoring_setup,
)
from officers.roles import Role
from tests.factories.lessons import CoursePageFactory, rich_text
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db

ENGLISH_RUN = re.compile(r"[A-Za-z][a-z']*(?:[ ,]+[A-Za-z][a-z']*){2,}")
# Attribute values a person reads or hears.
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-w-tooltip-content-value", "aria-description"}
# Proper names and data of the demo, not interface text.
NOT_INTERFACE = ("Welcome to your new Wagtail site",)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_left(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        if any(name in part for name in NOT_INTERFACE):
            continue
        found += [m.group(0) for m in ENGLISH_RUN.finditer(part)]
    return sorted(set(found))


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
    lesson = LessonPage(title="第4讲 听证程序", slug="hearing", live=False, body=[rich_text()])
    course.add_child(instance=lesson)
    lesson.save_revision(user=trainer)
    Workflow.objects.get(name=WORKFLOW_NAME).start(lesson, trainer)
    return lesson


def test_english_left_finds_an_english_sentence_and_ignores_chinese():
    html = '<p>此页面正在等待审核。</p><span class="w-sr-only">Sort by title</span><script>var a = "x y z w";</script>'
    assert english_left(html) == ["Sort by title"]


def test_the_lock_banner_of_a_lesson_in_review_is_chinese(client, login, people, submitted):
    trainer, _ = people
    login(trainer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "正在等待审核。" in html and "只有此环节的审核人能编辑此" in html
    assert "审核工作流锁定" in html
    assert english_left(html) == []


def test_the_editor_scheduling_and_checks_are_chinese(client, login, people, submitted):
    _, reviewer = people
    login(reviewer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "只有选择“定时发布”后，此发布时间才会生效" in html
    assert english_left(html) == []


def test_the_reviewer_approves_and_publishes_in_one_chinese_word(client, login, people, submitted):
    _, reviewer = people
    login(reviewer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "并发布" in html and "和发布" not in html
    assert "退回修改" in html and "请求修改" not in html


def test_the_history_of_a_returned_and_resubmitted_lesson_is_chinese(client, login, people, submitted):
    trainer, reviewer = people
    state = submitted.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="请补充听证告知的期限")
    submitted.save_revision(user=trainer, log_action=True)
    state.refresh_from_db()
    state.resume(user=trainer)
    login(trainer)
    html = client.get(reverse("wagtailadmin_pages:history", args=[submitted.pk])).content.decode()
    assert "重新提交“法制大队审核”，审核工作流继续" in html
    assert "在“法制大队审核”环节退回修改" in html
    assert " by " not in html.split("<main", 1)[-1]
    assert english_left(html) == []
    assert "条历史记录" in html and "页面日志条目" not in html  # the count line under the list
    html = client.get(reverse("wagtailadmin_pages:workflow_history", args=[submitted.pk])).content.decode()
    assert english_left(html) == []


@pytest.mark.parametrize("url_name", ["wagtaildocs:add_multiple", "wagtaildocs:add"])
def test_the_document_upload_limit_is_chinese(client, login, hall, url_name):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR], is_superuser=True))
    html = client.get(reverse(url_name)).content.decode()
    assert "Maximum filesize" not in html
    assert "文件大小上限" in html
    assert english_left(html) == []


def test_the_dashboard_and_page_search_are_chinese(client, login, people, submitted):
    trainer, _ = people
    login(trainer)
    assert english_left(client.get("/admin/").content.decode()) == []
    html = client.get("/admin/pages/search/", {"q": "听证"}).content.decode()
    assert english_left(html) == []


def test_the_page_search_counts_its_results_without_a_missing_name(client, login, people, submitted):
    """The search passes Wagtail's count line no model name: it read "共 1 个None"."""
    trainer, _ = people
    login(trainer)
    html = client.get("/admin/pages/search/", {"q": "听证程序"}).content.decode()
    assert "共 1 项，第 1-1 项" in html and "个None" not in html


# Other apps' catalogues give Wagtail's own words another meaning: Django merges every
# catalogue and the project's apps come first, so the admin shows 页码 for "page" (the
# lock banner's "此页码正在等待审核"), 分页 for the "Pages" menu, 公示 on the Publish
# button, 同意 / 不予采纳 on the moderation buttons, 在职 for a workflow's "active",
# 下一题 under a listing. Our own senses of these words take message contexts.
WAGTAIL_WORDS = {
    "page": "页面", "document": "文档", "Pages": "页面", "Publish": "发布", "Rejected": "已拒绝", "Reject": "拒绝",
    "Approve": "批准", "Active": "有效", "active": "有效", "Name": "名字", "Previous": "上一个", "Next": "下一个",
    "Continue": "继续", "Clear": "清除", "Add a document": "添加一个文档",
}


def test_the_lecture_halls_catalogue_keeps_wagtails_words():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "lessons/locale/zh_Hans/LC_MESSAGES/django.po"))
    taken = {e.msgid: e.msgstr for e in po if e.msgctxt is None and e.msgid in {"In progress", "required", *WAGTAIL_WORDS}}
    assert taken == {}


def test_wagtails_words_keep_their_meaning_in_the_admin():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        assert {word: gettext(word) for word in WAGTAIL_WORDS} == WAGTAIL_WORDS
