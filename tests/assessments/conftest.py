import pytest

from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    QuestionFactory,
    QuizFactory,
)


@pytest.fixture
def bank(db):
    """Two categories of 12 questions each (a child category in the first)."""
    criminal = CategoryFactory(name="刑事诉讼")
    measures = CategoryFactory(name="强制措施", parent=criminal)
    admin = CategoryFactory(name="行政处罚")
    for i in range(6):
        QuestionFactory(category=criminal, difficulty="easy", stem=f"刑诉易{i}")
        QuestionFactory(category=measures, difficulty="hard", stem=f"强制措施难{i}")
    for i in range(12):
        QuestionFactory(category=admin, difficulty="medium", stem=f"行政处罚中{i}")
    return {"criminal": criminal, "measures": measures, "admin": admin}


@pytest.fixture
def quiz(bank):
    quiz = QuizFactory()
    BlueprintRowFactory(quiz=quiz, category=bank["criminal"], count=8)
    BlueprintRowFactory(quiz=quiz, category=bank["admin"], difficulty="medium", count=4)
    return quiz


