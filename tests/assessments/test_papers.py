"""Papers in sections by question type, as Chinese exams are printed: 一、单项选择题 二、多项选择题 三、判断题 四、简答题."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import FixedQuestion, ReviewPolicy, SittingQuestion
from assessments.selectors import paper_sections
from assessments.services import paper_draw, sitting_start, sitting_submit
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    EssayQuestionFactory,
    MultipleQuestionFactory,
    QuestionFactory,
    QuizFactory,
    TrueFalseQuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_quiz(db):
    """Blueprint rows in the 'wrong' order (essay, true/false, multiple, single) over one category each."""
    quiz = QuizFactory(review_policy=ReviewPolicy.IMMEDIATELY)
    for factory, name, count, points in (
        (EssayQuestionFactory, "案例分析", 1, 10), (TrueFalseQuestionFactory, "判断", 3, 1),
        (MultipleQuestionFactory, "多选", 2, 3), (QuestionFactory, "单选", 4, 2),
    ):
        category = CategoryFactory(name=name)
        for i in range(count + 2):
            factory(category=category, stem=f"{name}题{i}")
        BlueprintRowFactory(quiz=quiz, category=category, count=count, points=Decimal(points))
    return quiz


def test_the_draw_orders_the_paper_by_section_and_shuffles_only_within(mixed_quiz):
    order = ["single", "multiple", "true_false", "essay"]
    papers = [paper_draw(quiz=mixed_quiz, seed=seed) for seed in range(6)]
    for paper in papers:
        kinds = [d.type for d in paper]
        assert kinds == sorted(kinds, key=order.index)
        assert [kinds.count(k) for k in order] == [4, 2, 3, 1]
    # Within a section the questions still differ between sittings.
    assert len({tuple(d.question_id for d in p[:4]) for p in papers}) > 1


def test_paper_page_shows_section_headings_with_count_and_points(login, officer, mixed_quiz):
    sitting = sitting_start(quiz=mixed_quiz, officer=officer)
    html = login(officer).get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    headings = ["一、单项选择题", "二、多项选择题", "三、判断题", "四、简答题"]
    assert [html.index(h) for h in headings] == sorted(html.index(h) for h in headings)
    assert "（共4题，每题2分，共8分）" in html and "（共2题，每题3分，共6分）" in html
    assert "（共3题，每题1分，共3分）" in html and "（共1题，每题10分，共10分）" in html
    # Each heading sits in the card of its section's first question (so one-per-page mode shows it there).
    first_multiple = sitting.paper.get(position=4)
    assert first_multiple.version.type == "multiple"
    card = html[html.index(f'id="q{first_multiple.position}"'):]
    assert card.index("二、多项选择题") < card.index("</section>")


def test_sections_with_unequal_points_give_the_total_only(officer):
    quiz = QuizFactory()
    category = CategoryFactory()
    first, second = QuestionFactory(category=category), QuestionFactory(category=category)
    FixedQuestion.objects.create(quiz=quiz, question=first, points=Decimal(2))
    FixedQuestion.objects.create(quiz=quiz, question=second, points=Decimal("3.5"))
    sitting = sitting_start(quiz=quiz, officer=officer)
    (section,) = paper_sections(sitting=sitting)
    assert section.count == 2 and section.each is None and section.summary == "（共2题，共5.5分）"


def test_a_paper_drawn_before_sections_keeps_its_order_without_headings(login, officer, mixed_quiz):
    sitting = sitting_start(quiz=mixed_quiz, officer=officer)
    # As drawn before: the essay first. Swap positions 0 and the essay's, through a free slot.
    essay = sitting.paper.get(version__type="essay")
    first = sitting.paper.get(position=0)
    SittingQuestion.objects.filter(pk=first.pk).update(position=999)
    SittingQuestion.objects.filter(pk=essay.pk).update(position=0)
    SittingQuestion.objects.filter(pk=first.pk).update(position=essay.position)
    assert paper_sections(sitting=sitting) == []
    client = login(officer)
    html = client.get(reverse("assessments:sitting", args=[sitting.pk])).content.decode()
    assert "单项选择题" not in html and 'id="essay-0"' in html
    response = client.post(reverse("assessments:answer", args=[sitting.pk]),
                           data={"position": 0, "text": "答：……", "revision": 1}, content_type="application/json")
    assert response.json()["saved"] is True


def test_review_is_grouped_in_the_same_sections(login, officer, mixed_quiz):
    sitting = sitting_start(quiz=mixed_quiz, officer=officer)
    sitting_submit(sitting=sitting)
    html = login(officer).get(reverse("assessments:result", args=[sitting.pk])).content.decode()
    for heading in ("一、单项选择题", "二、多项选择题", "三、判断题", "四、简答题"):
        assert html.count(heading) == 1
