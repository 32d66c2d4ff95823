"""Page types: where each may live, and what each shows."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from lessons.models import CoursePage, LectureHallPage, LessonPage
from tests.factories.lessons import (
    CoursePageFactory,
    LessonPageFactory,
    knowledge_check,
)

pytestmark = pytest.mark.django_db


def test_page_types_declare_their_parents():
    root = Site.objects.get(is_default_site=True).root_page
    assert LessonPage.can_create_at(root) is False
    assert CoursePage.can_create_at(root) is False
    assert LectureHallPage.can_create_at(root) is True


def test_a_lesson_lives_only_in_a_course(hall, course):
    assert LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(hall)
    assert CoursePage.can_create_at(hall)
    assert not CoursePage.can_create_at(course)
    assert LessonPage.allowed_subpage_models() == []


def test_only_one_hall(hall):
    assert not LectureHallPage.can_create_at(Site.objects.get(is_default_site=True).root_page)


def test_a_required_course_needs_a_due_date(hall):
    course = CoursePage(title="无期限", slug="x", is_required=True)
    with pytest.raises(ValidationError) as error:
        hall.add_child(instance=course)
    assert "due_on" in error.value.message_dict


def test_an_empty_lesson_cannot_be_saved_for_publishing(course):
    lesson = LessonPage(title="空课时", slug="empty", body=[])
    with pytest.raises(ValidationError) as error:
        course.add_child(instance=lesson)
    assert "body" in error.value.message_dict


def test_a_knowledge_check_without_a_correct_option_is_refused():
    from lessons.blocks import KnowledgeCheckBlock

    block = KnowledgeCheckBlock()
    raw = knowledge_check()["value"]
    for question in raw["questions"]:
        for option in question["value"]["options"]:
            option["is_correct"] = False
    with pytest.raises(ValidationError):
        block.clean(block.to_python(raw))


def test_a_media_block_refuses_a_file_that_is_not_video_or_audio():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from lessons.blocks import MediaBlock

    document = Document.objects.create(title="讲义", file=ContentFile(b"%PDF-1.4", name="x.pdf"))
    block = MediaBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"file": document.pk, "caption": "", "transcript": ""}))
    video = Document.objects.create(title="视频", file=ContentFile(b"\x1aE\xdf\xa3", name="v.webm"))
    block.clean(block.to_python({"file": video.pk, "caption": "", "transcript": ""}))


def test_lesson_page_renders_every_block_type(login, legal_officer, lessons):
    response = login(legal_officer).get(lessons[1].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "执行机关为公安机关" in html
    assert "取保候审最长不得超过多久" in html
    first = login(legal_officer).get(lessons[0].url).content.decode()
    assert "中华人民共和国刑事诉讼法" in first and "第七十一条" in first


def test_course_and_hall_pages_render(client, login, legal_officer, course, lessons):
    login(legal_officer)
    assert "刑事强制措施" in client.get(course.get_parent().url).content.decode()
    html = client.get(course.url).content.decode()
    assert "第一讲 取保候审的条件" in html and "第二讲 取保候审的执行" in html


def test_unpublished_lesson_is_not_served(login, legal_officer, course):
    lesson = LessonPageFactory(parent=course, live=False)
    assert login(legal_officer).get(lesson.url or f"/lecture-hall/{course.slug}/{lesson.slug}/").status_code == 404


def test_course_factory_sets_audience_units(hall, station):
    course = CoursePageFactory(parent=hall, audience_units=[station])
    assert list(course.audience_units.all()) == [station]


def test_an_unsaved_lesson_previews_in_the_admin(rf, course):
    """Wagtail previews a new lesson before it has a row: content only, no forms."""
    from lessons.models import LessonPage
    from tests.factories.lessons import knowledge_check, rich_text

    lesson = LessonPage(title="新课时", slug="new", body=[rich_text(), knowledge_check()])
    lesson.path = course.path + "9999"
    lesson.depth = course.depth + 1
    request = rf.get("/")
    from tests.factories.officers import OfficerFactory

    request.user = OfficerFactory()
    response = lesson.serve_preview(request, lesson.default_preview_mode)
    html = response.render().content.decode()
    assert "取保候审最长不得超过多久" in html
    assert "/lessons/lesson/" not in html  # no check or completion form in a preview


def test_a_brigade_audience_includes_its_squads(hall):
    from lessons.selectors import audience_q, in_audience
    from officers.models import Officer
    from officers.roles import UnitKind
    from tests.factories.officers import OfficerFactory, UnitFactory

    brigade = UnitFactory(name="交警大队", kind=UnitKind.BRIGADE)
    squad = UnitFactory(name="交警大队城区中队", kind=UnitKind.BRIGADE, parent=brigade)
    elsewhere = UnitFactory(name="西城派出所")
    course = CoursePageFactory(parent=hall, audience_units=[brigade])
    in_brigade, in_squad, outside = (OfficerFactory(unit=u) for u in (brigade, squad, elsewhere))

    assert set(Officer.objects.filter(audience_q(course))) == {in_brigade, in_squad}
    assert in_audience(course, in_squad) and not in_audience(course, outside)


@pytest.fixture
def video(db):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    return Document.objects.create(title="讯问录像示范", file=ContentFile(bytes(range(256)) * 4, name="demo.webm"))


def test_lesson_media_answers_range_requests(client, login, legal_officer, course, video):
    from django.urls import reverse

    lesson = LessonPageFactory(parent=course, body=[{"type": "media", "value": {
        "file": video.pk, "play_as": "auto", "caption": "示范", "transcript": ""}, "id": "m1"}])
    url = reverse("lessons:media_file", args=[video.pk])
    assert client.get(url).status_code == 302  # signed-in officers only
    login(legal_officer)
    assert f'src="{url}"' in client.get(lesson.url).content.decode()

    part = client.get(url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 0-99/1024" and part["Accept-Ranges"] == "bytes"
    body = b"".join(part.streaming_content)
    assert len(body) == 100 and body == bytes(range(100))
    assert part["Content-Type"] == "video/webm"

    tail = client.get(url, HTTP_RANGE="bytes=1000-")
    assert tail.status_code == 206 and tail["Content-Range"] == "bytes 1000-1023/1024"
    assert len(b"".join(tail.streaming_content)) == 24
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert len(b"".join(whole.streaming_content)) == 1024
    beyond = client.get(url, HTTP_RANGE="bytes=5000-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == "bytes */1024"


def test_lesson_media_respects_the_collection_privacy(client, login, legal_officer, video):
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from wagtail.models import CollectionViewRestriction

    restriction = CollectionViewRestriction.objects.create(
        collection=video.collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="专案组"))
    login(legal_officer)
    response = client.get(reverse("lessons:media_file", args=[video.pk]), HTTP_RANGE="bytes=0-99")
    assert response.status_code != 206
    assert client.get(reverse("lessons:media_file", args=[999999])).status_code == 404
