"""Essay marking: results awaiting marking, re-marking with every mark kept, blind and double marking."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import (
    EssayMark,
    FixedQuestion,
    MarkStage,
    ReviewPolicy,
    SittingStatus,
)
from assessments.services import answer_save, essay_mark, sitting_start, sitting_submit
from officers.services import roles_sync
from tests.factories.assessments import CategoryFactory, EssayQuestionFactory
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    roles_sync()
    return OfficerFactory(roles=["trainer"], name="阅卷甲")


@pytest.fixture
def essay_quiz(quiz):
    """The `quiz` fixture with a 10-point essay of its own legal domain (案例分析)."""
    essay = EssayQuestionFactory(category=CategoryFactory(name="案例分析"), stem="简述盘问的法定条件。")
    FixedQuestion.objects.create(quiz=quiz, question=essay, points=Decimal(10))
    return quiz


def _handed_in(quiz, officer, text="答：依照人民警察法第九条。"):
    sitting = sitting_start(quiz=quiz, officer=officer)
    essay = sitting.paper.get(version__type="essay")
    answer_save(sitting_id=sitting.pk, officer=officer, position=essay.position, text=text, revision=1)
    return sitting_submit(sitting=sitting), sitting.paper.select_related("version").get(pk=essay.pk)


# --- defect 3: awaiting marking is neither "None" nor 0 ---------------------------------


def test_rank_column_shows_a_dash_not_none_for_an_officer_awaiting_marking(login, essay_quiz, officer, trainer):
    sitting, _item = _handed_in(essay_quiz, officer)
    assert sitting.status == SittingStatus.MARKING
    html = login(trainer).get(reverse("assessments:manage_quiz", args=[essay_quiz.pk])).content.decode()
    assert officer.police_number in html
    assert ">None<" not in html
    assert '<td class="num">—</td><td>' + officer.police_number in html


def test_officer_sees_awaiting_marking_not_a_zero_score_for_an_unmarked_essay(login, essay_quiz, officer):
    essay_quiz.review_policy = ReviewPolicy.IMMEDIATELY
    essay_quiz.save()
    _handed_in(essay_quiz, officer)
    html = login(officer).get(reverse("assessments:result", args=[officer.sittings.get().pk])).content.decode()
    row = html[html.index("<td>案例分析</td>"):]
    row = row[:row.index("</tr>")]
    assert "待阅卷" in row and "0 / 10" not in row and "0.0%" not in row
    # The question in the review says the same instead of "— / 10".
    assert "— / 10" not in html


# --- defect 6: re-marking from the screen, every mark kept ---------------------------------


def test_remarking_from_the_result_page_keeps_every_mark(login, essay_quiz, officer, trainer):
    sitting, item = _handed_in(essay_quiz, officer)
    essay_mark(item=item, score=Decimal(4), comment="要点不全", by=trainer)
    client = login(trainer)
    result_url = reverse("assessments:result", args=[sitting.pk])
    html = client.get(result_url).content.decode()
    remark_url = reverse("assessments:marking_item", args=[item.pk])
    assert f'href="{remark_url}?next=' in html and "重新评分" in html

    page = client.get(remark_url).content.decode()
    assert 'value="4' in page  # the marker's own mark, ready to change
    response = client.post(remark_url, {"score": "7", "comment": "复核后加分", "next": result_url})
    assert response.status_code == 302 and response.url == result_url

    marks = list(EssayMark.objects.filter(item=item).order_by("at", "id"))
    assert [(m.score, m.comment, m.by, m.stage) for m in marks] == [
        (Decimal(4), "要点不全", trainer, MarkStage.FIRST), (Decimal(7), "复核后加分", trainer, MarkStage.FIRST),
    ]
    item.refresh_from_db()
    sitting.refresh_from_db()
    assert item.score == Decimal(7) and sitting.status == SittingStatus.FINAL
    history = client.get(remark_url).content.decode()
    assert "要点不全" in history and "复核后加分" in history and "阅卷甲" in history


def test_marks_given_recently_offer_re_marking(login, essay_quiz, officer, trainer):
    _sitting, item = _handed_in(essay_quiz, officer)
    essay_mark(item=item, score=Decimal(5), comment="", by=trainer)
    html = login(trainer).get(reverse("assessments:marking")).content.decode()
    assert reverse("assessments:marking_item", args=[item.pk]) in html and "重新评分" in html


# --- blind marking ------------------------------------------------------------------


def test_blind_marking_hides_whose_answer_it_is(login, essay_quiz, trainer):
    essay_quiz.blind_marking = True
    essay_quiz.save()
    officer = OfficerFactory(name="欧阳明")
    _sitting, item = _handed_in(essay_quiz, officer)
    client = login(trainer)
    for url in (reverse("assessments:marking"), reverse("assessments:marking_item", args=[item.pk])):
        html = client.get(url).content.decode()
        assert "欧阳明" not in html and officer.police_number not in html and str(officer.unit) not in html
        assert "盲评" in html


def test_without_blind_marking_the_marker_sees_the_officer(login, essay_quiz, trainer):
    officer = OfficerFactory(name="欧阳明")
    _sitting, item = _handed_in(essay_quiz, officer)
    assert "欧阳明" in login(trainer).get(reverse("assessments:marking_item", args=[item.pk])).content.decode()


# --- double marking -----------------------------------------------------------------


@pytest.fixture
def double_quiz(essay_quiz):
    essay_quiz.double_marking = True
    essay_quiz.marking_tolerance = Decimal(2)
    essay_quiz.save()
    return essay_quiz


def test_two_marks_within_tolerance_count_as_their_average(double_quiz, officer, trainer):
    sitting, item = _handed_in(double_quiz, officer)
    essay_mark(item=item, score=Decimal(6), comment="", by=trainer)
    item.refresh_from_db()
    sitting.refresh_from_db()
    assert item.score is None and sitting.status == SittingStatus.MARKING
    essay_mark(item=item, score=Decimal(5), comment="改", by=trainer)  # the first marker re-marks
    second = OfficerFactory(roles=["trainer"])
    essay_mark(item=item, score=Decimal(7), comment="", by=second)
    item.refresh_from_db()
    sitting.refresh_from_db()
    assert item.score == Decimal("6.00") and sitting.status == SittingStatus.FINAL
    assert list(item.marks.values_list("stage", "score")) == [
        (MarkStage.FIRST, Decimal(6)), (MarkStage.FIRST, Decimal(5)), (MarkStage.SECOND, Decimal(7)),
    ]


def test_marks_too_far_apart_wait_for_a_senior_marker(login, double_quiz, officer, trainer):
    sitting, item = _handed_in(double_quiz, officer)
    second = OfficerFactory(roles=["trainer"])
    essay_mark(item=item, score=Decimal(2), comment="", by=trainer)
    essay_mark(item=item, score=Decimal(9), comment="", by=second)
    item.refresh_from_db()
    assert item.score is None
    third = OfficerFactory(roles=["trainer"])
    with pytest.raises(ValidationError, match="高级阅卷人"):
        essay_mark(item=item, score=Decimal(5), comment="", by=third)
    queue = login(third).get(reverse("assessments:marking")).content.decode()
    assert "由高级阅卷人裁定" in queue
    refused = login(third).post(reverse("assessments:marking_item", args=[item.pk]), {"score": "5", "comment": "x"})
    assert refused.status_code == 200 and "高级阅卷人" in refused.content.decode()
    senior = OfficerFactory(roles=["trainer", "legal_reviewer"])
    essay_mark(item=item, score=Decimal(6), comment="裁定", by=senior)
    item.refresh_from_db()
    sitting.refresh_from_db()
    assert item.score == Decimal(6) and sitting.status == SittingStatus.FINAL
    assert item.marks.count() == 3
    with pytest.raises(ValidationError):
        essay_mark(item=item, score=Decimal(8), comment="", by=trainer)  # settled: the first marker cannot undo it


def test_the_second_marker_does_not_see_the_first_mark_before_giving_one(login, double_quiz, officer, trainer):
    _sitting, item = _handed_in(double_quiz, officer)
    essay_mark(item=item, score=Decimal(6), comment="第一位阅卷意见", by=trainer)
    second = OfficerFactory(roles=["trainer"])
    html = login(second).get(reverse("assessments:marking_item", args=[item.pk])).content.decode()
    assert "第一位阅卷意见" not in html and "第二次评分" in html
    login(second).post(reverse("assessments:marking_item", args=[item.pk]), {"score": "7", "comment": ""})
    assert "第一位阅卷意见" in login(second).get(reverse("assessments:marking_item", args=[item.pk])).content.decode()


# --- what a trainer reads on an officer's paper ------------------------------------------


def test_a_trainer_reads_the_officers_choice_not_yours(login, quiz, officer, trainer):
    sitting = sitting_start(quiz=quiz, officer=officer)
    answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0], revision=1)
    sitting_submit(sitting=sitting)
    html = login(trainer).get(reverse("assessments:result", args=[sitting.pk])).content.decode()
    assert "该民警的选择" in html and "您的选择" not in html


def test_extra_minutes_read_as_minutes(login, quiz, officer):
    from assessments.models import QuizOverride

    quiz.time_limit_minutes = 20
    quiz.save()
    QuizOverride.objects.create(quiz=quiz, officer=officer, extra_minutes=15)
    html = login(officer).get(reverse("assessments:quiz", args=[quiz.pk])).content.decode()
    assert "20 分钟 + 15 分钟" in html
