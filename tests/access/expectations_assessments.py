"""Knowledge tests: sittings are their officer's own; trainers (and administrators) manage.

The world: a test for station A, open now; the colleague (station A, no identity)
has handed in a sitting with an essay awaiting marking; results are not published.
"""

from assessments import services
from assessments.models import SittingQuestion
from tests.access.matrix import Expect
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    EssayQuestionFactory,
    QuestionFactory,
    QuizFactory,
)

KEY_SECRET = "本题答案解析：只有甲项符合刑事诉讼法"
ESSAY_SECRET = "同事的简答题答案不应外泄"


def build(world):
    single = CategoryFactory(name="刑事诉讼")
    essays = CategoryFactory(name="执法理念")
    for i in range(3):
        QuestionFactory(category=single, stem=f"取保候审第{i}题", explanation=KEY_SECRET)
    EssayQuestionFactory(category=essays, stem="简述比例原则")
    quiz = QuizFactory(title="2026年第四季度法律知识抽测")
    quiz.audience_units.set([world.units["station_a"]])
    BlueprintRowFactory(quiz=quiz, category=single, count=3)
    BlueprintRowFactory(quiz=quiz, category=essays, count=1)
    sitting = services.sitting_start(quiz=quiz, officer=world.people["colleague"])
    essay = SittingQuestion.objects.get(sitting=sitting, version__type="essay")
    essay.choice = []
    essay.text = ESSAY_SECRET
    essay.save()
    services.sitting_submit(sitting=sitting)
    single_item = SittingQuestion.objects.filter(sitting=sitting).exclude(version__type="essay").first()
    world.ids.update(quiz=quiz.pk, sitting=sitting.pk, essay_item=essay.pk, version=single_item.version_id)


SECRETS = [
    # The key's explanation: only trainers (who mark and review) while the test is open.
    ("an answer key", KEY_SECRET, {"trainer", "administrator"}),
    ("another officer's answer", ESSAY_SECRET, {"trainer", "administrator"}),
]

MANAGERS = {"trainer": 200, "administrator": 200}
MANAGE = {"*": 403, **MANAGERS}
# The test is for station A (and trainers see every test).
IN_AUDIENCE = {"*": 404, "recruit": 200, "legal_officer": 200, "mentor": 200, "unit_head": 200, **MANAGERS}
# The colleague's sitting: theirs alone; trainers see it to mark and review.
OTHERS_SITTING = {"*": 404}
Q = {"quiz_id": "quiz"}
S = {"sitting_id": "sitting"}
JSON = "application/json"

EXPECTATIONS = [
    Expect("assessments:index", {"*": 200}),
    Expect("assessments:progress", {"*": 200}),
    Expect("assessments:quiz", IN_AUDIENCE, kwargs=Q),
    # Trainers see every test but sit only those meant for them.
    Expect("assessments:quiz_start", {**IN_AUDIENCE, **dict.fromkeys(["recruit", "legal_officer", "mentor", "unit_head"], 302),
                                      "trainer": 403, "administrator": 403},
           kwargs=Q, method="post"),
    # Unpublished results: trainers only (test_secrets checks the table is really there).
    Expect("assessments:results", MANAGE, kwargs=Q),
    # Nothing is published: no bulletin for anyone.
    Expect("assessments:bulletin", {"*": 404}, kwargs=Q),
    Expect("assessments:sitting", {**OTHERS_SITTING, "trainer": 302, "administrator": 302}, kwargs=S),
    Expect("assessments:answer", OTHERS_SITTING, kwargs=S, method="post", data={"position": 0, "revision": 1, "choice": [0]},
           content_type=JSON),
    Expect("assessments:answers", OTHERS_SITTING, kwargs=S, method="post",
           data={"answers": [{"position": 0, "revision": 1, "choice": [0]}]}, content_type=JSON),
    Expect("assessments:flag", OTHERS_SITTING, kwargs=S, method="post", data={"position": 0, "flagged": True},
           content_type=JSON),
    Expect("assessments:position", OTHERS_SITTING, kwargs=S, method="post", data={"position": 0}, content_type=JSON),
    Expect("assessments:submit", OTHERS_SITTING, kwargs=S, method="post"),
    Expect("assessments:result", {**OTHERS_SITTING, **MANAGERS}, kwargs=S),
    Expect("assessments:manage", MANAGE),
    Expect("assessments:manage_quiz", MANAGE, kwargs=Q),
    Expect("assessments:manage_quiz_export", MANAGE, kwargs=Q),
    Expect("assessments:manage_items", MANAGE, kwargs=Q),
    Expect("assessments:manage_items_export", MANAGE, kwargs=Q),
    Expect("assessments:manage_publish", {"*": 403, "trainer": (200, 302), "administrator": (200, 302)}, kwargs=Q,
           method="post"),
    Expect("assessments:marking", MANAGE),
    Expect("assessments:marking_item", MANAGE, kwargs={"item_id": "essay_item"}),
    Expect("assessments:key_correct", MANAGE, kwargs={"version_id": "version"}),
]
