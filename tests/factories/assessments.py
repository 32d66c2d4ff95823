import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from assessments.models import (
    BlueprintRow,
    Category,
    Difficulty,
    Question,
    QuestionType,
    Quiz,
)
from assessments.services import category_save, question_create


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"法律门类{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return category_save(category=model_class(*args, **kwargs))


class QuestionFactory(factory.django.DjangoModelFactory):
    """An active single-choice question (answer A) added through the service, so it joins its pool."""

    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    type = QuestionType.SINGLE
    difficulty = Difficulty.MEDIUM
    stem = factory.Sequence(lambda n: f"第{n}题：依照法律规定，下列说法正确的是？")
    option_a = "正确选项"
    option_b = "干扰项一"
    option_c = "干扰项二"
    option_d = "干扰项三"
    answer = "A"
    explanation = "依法规定。"
    legal_basis = "《中华人民共和国刑事诉讼法》第八十一条"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return question_create(question=model_class(*args, **kwargs))


class TrueFalseQuestionFactory(QuestionFactory):
    type = QuestionType.TRUE_FALSE
    option_a = option_b = option_c = option_d = ""
    answer = "T"


class MultipleQuestionFactory(QuestionFactory):
    type = QuestionType.MULTIPLE
    answer = "AC"


class EssayQuestionFactory(QuestionFactory):
    type = QuestionType.ESSAY
    option_a = option_b = option_c = option_d = ""
    answer = ""
    reference_answer = "要点：合法性、必要性、比例原则。"


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"2026年第{n}期法律知识抽测")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    time_limit_minutes = 30
    pass_mark = Decimal(60)
    attempts_allowed = 1


class BlueprintRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlueprintRow

    quiz = factory.SubFactory(QuizFactory)
    category = factory.SubFactory(CategoryFactory)
    difficulty = ""
    count = 5
    points = Decimal(2)
