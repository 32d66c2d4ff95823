"""Publications (挂网公示): every officer reads published snapshots; objections are one's own;
those who publish a kind decide its objections (publications/permissions.py).

The world: version 1 of a knowledge-test results publication (a quiz of station A)
with rows for the `officer` identity and the colleague; the colleague has an open
objection. Test results are published by trainers and the legal affairs unit's
reviewers (and administrators), so those decide its objections.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from assessments.models import Quiz
from publications.models import Objection, Publication
from publications.services import objection_window_close
from tests.access.matrix import Expect
from tests.factories.assessments import QuizFactory


def build(world):
    quiz = QuizFactory(title="公示用抽测")
    now = timezone.now()
    officer, colleague = world.people["officer"], world.people["colleague"]
    publication = Publication.objects.create(
        kind="quiz_results", subject_type=ContentType.objects.get_for_model(Quiz), subject_id=quiz.pk, version=1,
        title="“公示用抽测”成绩", columns=[{"key": "rank", "label": "名次", "numeric": True},
                                      {"key": "name", "label": "姓名", "numeric": False}],
        rows=[{"officer_id": officer.pk, "rank": 1, "name": officer.name},
              {"officer_id": colleague.pk, "rank": 2, "name": colleague.name}],
        published_at=now, objections_close_at=objection_window_close(now), number_year=now.year, number=900,
        document_number=f"永公法〔{now.year}〕900号",
    )
    objection = Objection.objects.create(publication=publication, officer=colleague, reason="名次有误", filed_at=now)
    world.ids.update(publication=publication.pk, objection=objection.pk)


P = {"publication_id": "publication"}
DECIDE = {"*": 403, "trainer": 200, "legal_reviewer": 200, "administrator": 200}
DECIDE_POST = {"*": 403, "trainer": 302, "legal_reviewer": 302, "administrator": 302}

EXPECTATIONS = [
    Expect("publications:list", {"*": 200}),
    Expect("publications:detail", {"*": 200}, kwargs=P),
    Expect("publications:detail", {"*": 404}, kwargs={"publication_id": 999999}),
    # The worker has not rendered it yet: "being prepared" for everyone.
    Expect("publications:bulletin", {"*": 202}, kwargs=P),
    Expect("publications:bulletin_retry", DECIDE_POST, kwargs=P, method="post", data={}),
    # Only the officer with a row of their own objects.
    Expect("publications:object", {"*": 403, "officer": 200}, kwargs=P),
    Expect("publications:object", {"*": 403, "officer": 302}, kwargs=P, method="post", data={"reason": "漏记加分"}),
    Expect("publications:objections", DECIDE),
    Expect("publications:decide", DECIDE, kwargs={"objection_id": "objection"}),
    Expect("publications:decide", DECIDE_POST, kwargs={"objection_id": "objection"}, method="post",
           data={"decision": "reject", "response": "经核实无误"}),
    Expect("publications:decide", {"*": 404}, kwargs={"objection_id": 999999}),
    # The world's test is still open: a new version first asks to confirm (the test's own warnings) …
    Expect("publications:republish", DECIDE, kwargs=P, method="post", data={}),
    # … and, confirmed, is issued.
    Expect("publications:republish", DECIDE_POST, kwargs=P, method="post", data={"confirmed": "1"}),
]
