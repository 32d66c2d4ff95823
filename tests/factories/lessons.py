"""Lecture-hall pages and facts for tests: pages are added to the Wagtail tree."""

import datetime as dt
import uuid

import factory
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from lessons.models import (
    CoursePage,
    LectureHallPage,
    LessonPage,
    SessionKind,
    TrainingSession,
)
from tests.factories.officers import OfficerFactory


def site_root_page() -> Page:
    """The default Site's root page; recreated when a transactional test flushed
    the rows Wagtail's migrations made (locale, root, site)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site.root_page
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="首页", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


class _PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` (default: the hall, or Wagtail's root for a hall)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent = parent or cls._default_parent()
        parent.add_child(instance=page)
        page.save_revision().publish() if page.live else page.save_revision()
        return model_class.objects.get(pk=page.pk)

    @classmethod
    def _default_parent(cls):
        # The default Site's root page (Wagtail's welcome page), so pages get URLs.
        return site_root_page()


class LectureHallPageFactory(_PageFactory):
    class Meta:
        model = LectureHallPage

    title = "永警大讲堂·法律讲堂"
    slug = "lecture-hall"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = LectureHallPage.objects.first()
        return existing or super()._create(model_class, *args, **kwargs)


class CoursePageFactory(_PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"行政案件办理程序{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "办案程序要点"
    is_required = False

    @classmethod
    def _default_parent(cls):
        return LectureHallPageFactory()

    @classmethod
    def _create(cls, model_class, *args, audience_units=(), **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        if audience_units:
            page.audience_units.set(audience_units)
            page.save_revision().publish()
        return page


# Blocks in Wagtail's raw JSON form ({"type", "value", "id"}), as stored.
def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def provision(text="被取保候审的犯罪嫌疑人、被告人应当遵守以下规定……", article="第七十一条"):
    return _block("provision", {"law_name": "中华人民共和国刑事诉讼法", "article": article, "text": text, "effective_on": "2018-10-26"})


def rich_text(html="<p>本讲介绍取保候审的适用条件。</p>"):
    return _block("text", html)


def knowledge_check(pass_percent=100):
    return _block(
        "knowledge_check",
        {
            "title": "课后小测",
            "pass_percent": pass_percent,
            "questions": [
                _block("question", {
                    "prompt": "取保候审最长不得超过多久？",
                    "options": [{"text": "六个月", "is_correct": False}, {"text": "十二个月", "is_correct": True}],
                    "explanation": "刑事诉讼法第七十九条。",
                }),
                _block("question", {
                    "prompt": "保证方式包括哪些？",
                    "options": [
                        {"text": "保证人", "is_correct": True},
                        {"text": "保证金", "is_correct": True},
                        {"text": "口头承诺", "is_correct": False},
                    ],
                    "explanation": "",
                }),
            ],
        },
    )


class LessonPageFactory(_PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"第{n}讲 取保候审")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    summary = ""
    body = factory.LazyFunction(lambda: [rich_text(), provision()])

    @classmethod
    def _default_parent(cls):
        return CoursePageFactory()


def check_answers(lesson, right=True) -> tuple[str, dict[str, list[int]]]:
    """The block id of the lesson's first check and answers (all right, or all wrong)."""
    from lessons.blocks import question_items

    check = lesson.knowledge_checks[0]
    answers = {}
    for q in question_items(check.value):
        correct = sorted(q["correct"])
        wrong = [i for i in range(len(q["options"])) if i not in q["correct"]][:1]
        answers[q["id"]] = correct if right else wrong
    return check.id, answers


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    kind = SessionKind.THEMATIC
    topic = "取保候审实务专题培训"
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "局三楼会议室"
    trainer = factory.SubFactory(OfficerFactory)

    @factory.post_generation
    def invited_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.invited_units.set(extracted)


def studied(officer, lesson, seconds=None):
    """The officer has spent the lesson's required time on its page, every video
    played to the end (as the page's pings would have recorded it)."""
    from lessons.models import LessonStudy
    from lessons.study import required_seconds, video_block_ids

    media = {block_id: {"duration": 60.0, "played": 60.0} for block_id in video_block_ids(lesson)}
    study, _ = LessonStudy.objects.update_or_create(
        officer=officer, lesson=lesson,
        defaults={"seconds_visible": required_seconds(lesson) if seconds is None else seconds, "media": media},
    )
    return study
