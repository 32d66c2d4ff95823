"""Issue 8, bad input in the lecture hall: a crafted 30-digit id is a 404, never a 500."""

import pytest
from django.urls import reverse

from officers.roles import Role
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db

HUGE = "1" * 30


@pytest.mark.parametrize(("method", "path"), [
    ("get", f"/lessons/certificates/{HUGE}.pdf"),
    ("get", f"/lessons/dashboard/{HUGE}/"),
    ("get", f"/lessons/dashboard/{HUGE}/export.xlsx"),
    ("post", f"/lessons/lesson/{HUGE}/check/abc/"),
    ("post", f"/lessons/lesson/{HUGE}/complete/"),
    ("get", f"/lessons/sessions/{HUGE}/attendance/"),
    ("get", f"/lessons/media/{HUGE}/"),
])
def test_a_30_digit_id_is_a_404(client, login, method, path):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    assert getattr(client, method)(path).status_code == 404


def test_a_30_digit_unit_on_the_dashboard_is_ignored(client, login, course):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    url = reverse("lessons:dashboard_course", args=[course.pk])
    assert client.get(url, {"unit": HUGE}).status_code == 200


def test_crafted_check_answers_are_refused_and_nothing_of_theirs_is_stored(client, login, legal_officer, lessons):
    from lessons.blocks import question_items
    from lessons.models import KnowledgeCheckAttempt

    lesson = lessons[1]
    block_id = lesson.knowledge_checks[0].id
    login(legal_officer)
    url = reverse("lessons:knowledge_check", args=[lesson.pk, block_id])
    junk = {"q-nonsense": ["9" * 40, "-1", "x"], **{f"q-{n}": "0" for n in range(50)}}
    response = client.post(url, junk, follow=True)
    assert "请先作答" in response.content.decode()
    assert not KnowledgeCheckAttempt.objects.exists()
    first = question_items(lesson.knowledge_checks[0].value)[0]["id"]
    client.post(url, {**junk, f"q-{first}": ["1", "9" * 40, "-1"]})
    attempt = KnowledgeCheckAttempt.objects.get()
    assert attempt.answers == {first: [1]}


def test_lesson_texts_have_limits(course):
    from django.core.exceptions import ValidationError
    from wagtail.blocks import StructBlockValidationError

    from lessons.blocks import CaseStudyBlock, ProvisionBlock, QuestionBlock
    from lessons.models import LessonPage

    # The admin's summary box (a model form field) refuses more than 1,000 characters.
    field = LessonPage._meta.get_field("summary").formfield()
    with pytest.raises(ValidationError):
        field.clean("长" * 1001)
    assert field.widget.attrs["maxlength"] == "1000"
    block = ProvisionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"law_name": "刑事诉讼法", "article": "第六十七条", "text": "条" * 5001}))
    assert CaseStudyBlock().child_blocks["facts"].field.max_length == 5000
    assert QuestionBlock().child_blocks["options"].meta.max_num == 6
