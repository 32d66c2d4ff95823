"""A new lesson with a title already used in its course gets a free address without
asking (issue 14): autosave creates the page as the title is typed, and a second
start with the same title failed on 网址别名, a field on a tab the trainer could not see."""

import pytest

from lessons.models import LessonPage
from officers.roles import Role
from tests.factories.lessons import LessonPageFactory, rich_text
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _form(course, user, title, slug):
    form_class = LessonPage.get_edit_handler().get_form_class()
    data = {
        "title": title, "slug": slug, "summary": "", "minutes": "20",
        "body-count": "0",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }
    return form_class(data, instance=LessonPage(), parent_page=course, for_user=user)


def test_a_new_lesson_with_a_title_in_use_gets_a_free_address(course):
    trainer = OfficerFactory(roles=[Role.TRAINER])
    LessonPageFactory(parent=course, title="询问笔录", slug="询问笔录", body=[rich_text()])
    form = _form(course, trainer, "询问笔录", "询问笔录")
    form.defer_required_fields()  # as autosave and "save draft" validate
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "询问笔录-2"


def test_an_existing_lesson_keeps_its_address_check(course):
    """Editing a page still refuses a slug in use: only new pages are renamed silently."""
    trainer = OfficerFactory(roles=[Role.TRAINER])
    LessonPageFactory(parent=course, title="甲", slug="a", body=[rich_text()])
    other = LessonPageFactory(parent=course, title="乙", slug="b", body=[rich_text()])
    form_class = LessonPage.get_edit_handler().get_form_class()
    form = form_class(
        {"title": "乙", "slug": "a", "summary": "", "minutes": "20", "body-count": "0",
         "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
         "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"},
        instance=other, parent_page=course, for_user=trainer,
    )
    form.defer_required_fields()
    assert not form.is_valid() and "slug" in form.errors
