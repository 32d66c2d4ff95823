"""Chinese search: 取保候审 finds every lesson containing it, on SQLite and PostgreSQL.

Ranking, highlighting, handouts and 法条 by law and article: test_search_words.py."""

import pytest

from lessons.models import LessonPage
from lessons.selectors import lessons_search, search_terms
from tests.factories.lessons import (
    LessonPageFactory,
    knowledge_check,
    provision,
    rich_text,
)

pytestmark = pytest.mark.django_db


def _block(kind, value):
    import uuid

    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


@pytest.fixture
def corpus(course):
    case = _block("case_study", {
        "title": "擅自离开居住地", "facts": "张某被取保候审期间外出务工。", "issue": "如何处理？",
        "analysis": "<p>违反义务。</p>", "conclusion": "没收部分保证金。",
    })
    return {
        "text": LessonPageFactory(parent=course, title="甲", body=[rich_text("<p>本讲讲解取保候审的条件。</p>")]),
        "split_by_tags": LessonPageFactory(parent=course, title="乙", body=[rich_text("<p>对其<b>取保</b>候审。</p>")]),
        "provision": LessonPageFactory(parent=course, title="丙", body=[provision()]),
        "case": LessonPageFactory(parent=course, title="丁", body=[case]),
        "check": LessonPageFactory(parent=course, title="戊", body=[rich_text("<p>小测。</p>"), knowledge_check()]),
        "title": LessonPageFactory(parent=course, title="取保候审概述", body=[rich_text("<p>概述。</p>")]),
        "without": LessonPageFactory(parent=course, title="监视居住", body=[rich_text("<p>监视居住的条件。</p>")]),
        "draft": LessonPageFactory(parent=course, title="草稿", live=False, body=[rich_text("<p>取保候审草稿。</p>")]),
    }


def test_qubao_houshen_finds_every_lesson_that_contains_it(corpus, lessons):
    found = set(lessons_search(query="取保候审"))
    expected = {corpus[k] for k in ("text", "split_by_tags", "provision", "case", "check", "title")}
    # The course fixture's own lessons mention it too.
    expected |= {lesson for lesson in lessons if "取保候审" in lesson.search_text}
    assert found == expected
    assert corpus["without"] not in found and corpus["draft"] not in found


def test_a_phrase_is_split_into_words_that_must_all_appear(corpus):
    assert search_terms("取保候审的期限") == ["取保", "候审", "取保候审", "期限"]
    assert set(lessons_search(query="监视居住 条件")) == {corpus["without"]}
    assert list(lessons_search(query="   ")) == []


def test_the_search_page_lists_results(client, login, legal_officer, corpus):
    login(legal_officer)
    html = client.get("/lessons/search/", {"q": "取保候审"}).content.decode()
    assert "取保候审概述" in html and "监视居住" not in html


def test_the_admin_page_search_finds_chinese_words_too(corpus):
    """Wagtail's own search (used by the admin explorer and choosers) indexes jieba's words."""
    found = set(LessonPage.objects.live().search("取保候审"))
    assert corpus["text"] in found and corpus["provision"] in found
    assert corpus["without"] not in found


def test_an_unreviewed_draft_stays_out_of_the_officers_search(course):
    """Saving a draft of a live lesson (as the admin's "save draft" does) leaves the
    search with the live text; the draft's words are found once it is published."""
    lesson = LessonPageFactory(parent=course, title="己", body=[rich_text("<p>已发布的取保候审内容。</p>")])
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.body = [rich_text("<p>未经审核的监视居住草稿。</p>")]
    revision = draft.save_revision()

    assert lesson not in set(lessons_search(query="未经审核"))
    assert lesson in set(lessons_search(query="已发布"))

    revision.publish()
    assert lesson in set(lessons_search(query="未经审核"))
    assert lesson not in set(lessons_search(query="已发布"))


def test_lessons_of_a_withdrawn_course_are_neither_found_nor_readable(client, login, legal_officer, course, lessons):
    login(legal_officer)
    assert set(lessons_search(query="取保候审")) == set(lessons)
    assert client.get(lessons[0].url).status_code == 200

    course.unpublish()  # the course only: its lessons stay live rows
    assert list(lessons_search(query="取保候审")) == []
    response = client.get(lessons[0].url)
    assert response.status_code == 404
    text = response.content.decode()
    assert "课程已撤回" in text and "执行机关" not in client.get(lessons[1].url).content.decode()
