"""Current law (issue 14): a catalogue of laws and versions; whatever cites a
superseded version is listed for review and marked, and officers see a note.

Before, a 法条 block held the law's name and a date as text: nothing knew the
治安管理处罚法 had been revised, and nothing was listed or marked.
"""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from lessons.laws import law_review_items, lessons_citing
from officers.roles import Role
from tests.factories.assessments import QuestionFactory
from tests.factories.laws import LawFactory, LawVersionFactory, superseded_pair
from tests.factories.lessons import CoursePageFactory, LessonPageFactory, rich_text
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def _provision(version, article="第九十四条", text="公安机关作出治安管理处罚决定前，应当告知……"):
    return {"type": "provision", "id": str(uuid.uuid4()), "value": {
        "law_name": version.law.name, "article": article, "text": text, "effective_on": None,
        "law_version": version.pk,
    }}


@pytest.fixture
def cited(hall):
    old, new = superseded_pair()
    course = CoursePageFactory(parent=hall, title="行政案件办理程序")
    return {
        "old": old, "new": new, "course": course,
        "stale": LessonPageFactory(parent=course, title="告知程序", body=[rich_text(), _provision(old)]),
        "current": LessonPageFactory(parent=course, title="新法告知", body=[_provision(new)]),
        "plain": LessonPageFactory(parent=course, title="不引法条", body=[rich_text()]),
        "stale_question": QuestionFactory(legal_basis="《治安管理处罚法》第九十四条", law_version=old),
        "current_question": QuestionFactory(legal_basis="《治安管理处罚法》第一百一十二条", law_version=new),
    }


def test_a_version_is_superseded_only_by_a_later_version_of_the_same_law():
    old = LawVersionFactory(label="2012年修正", effective_on=dt.date(2013, 1, 1))
    other_law = LawVersionFactory(law=LawFactory(name="中华人民共和国刑事诉讼法"), effective_on=dt.date(2018, 10, 26))
    earlier = LawVersionFactory(law=old.law, label="2005年", effective_on=dt.date(2006, 3, 1))
    for wrong in (other_law, earlier, old):
        old.superseded_by = wrong
        with pytest.raises(ValidationError) as refused:
            old.full_clean()
        assert "superseded_by" in refused.value.message_dict


def test_lessons_and_questions_citing_a_superseded_version_are_listed(cited):
    items = law_review_items()
    assert [c.lesson for c in items["lessons"]] == [cited["stale"]]
    assert items["lessons"][0].articles == ["治安管理处罚法第九十四条"]
    assert items["questions"] == [cited["stale_question"]]
    assert items["count"] == 2

    # Once the lesson cites the current version, it leaves the list.
    lesson = cited["stale"]
    lesson.body = [rich_text(), _provision(cited["new"])]
    lesson.save_revision().publish()
    assert lessons_citing() == []


def test_nothing_is_listed_before_a_version_is_superseded(hall):
    version = LawVersionFactory()
    course = CoursePageFactory(parent=hall)
    LessonPageFactory(parent=course, title="引用现行法", body=[_provision(version)])
    QuestionFactory(law_version=version)
    assert law_review_items()["count"] == 0


def test_officers_see_a_note_on_a_superseded_provision(client, login, cited):
    login(OfficerFactory())
    html = client.get(cited["stale"].url).content.decode()
    assert "provision__superseded" in html
    assert "2012年修正" in html and "2025年修订" in html and "2026年1月1日" in html
    html = client.get(cited["current"].url).content.decode()
    assert "provision__superseded" not in html and "2025年修订" in html


def test_the_admin_lists_them_for_trainers_and_marks_them_on_the_dashboard(client, login, cited):
    login(OfficerFactory(roles=[Role.TRAINER]))
    html = client.get("/admin/laws/review/").content.decode()
    assert "告知程序" in html and "新法告知" not in html and "不引法条" not in html
    assert f"/admin/pages/{cited['stale'].pk}/edit/" in html
    assert "《治安管理处罚法》第九十四条" in html and "第一百一十二条" not in html
    dashboard = client.get("/admin/").content.decode()
    assert "法律已修订：有内容待复核" in dashboard and "/admin/laws/review/" in dashboard
    assert "1 个课时、1 道题目引用了已被取代的法律版本" in dashboard


def test_officers_cannot_open_the_review_list(client, login, cited):
    login(OfficerFactory())
    assert client.get("/admin/laws/review/").status_code in (302, 403)


def test_trainers_keep_the_catalogue_in_the_admin(client, login, cited):
    login(OfficerFactory(roles=[Role.TRAINER]))
    html = client.get("/admin/snippets/lessons/lawversion/").content.decode()
    assert "2012年修正" in html and "已被2025年修订取代" in html


def test_the_demo_has_a_superseded_law_with_flagged_lessons_and_questions(settings, tmp_path):
    from assessments import demo as assessments_demo
    from lessons import demo
    from lessons.models import LawVersion
    from officers import demo as officers_demo

    settings.MEDIA_ROOT = tmp_path
    officers_demo.seed()  # in seed_demo's order: the lessons, then the bank
    demo.seed()
    assessments_demo.seed()
    old = LawVersion.objects.get(law__name="中华人民共和国治安管理处罚法", label="2012年修正")
    assert old.superseded_by.label == "2025年修订" and old.superseded_by.effective_on == dt.date(2026, 1, 1)
    items = law_review_items()
    assert len(items["lessons"]) >= 2 and len(items["questions"]) >= 1
    assert all(v.law.name == "中华人民共和国治安管理处罚法" for v in items["versions"])
