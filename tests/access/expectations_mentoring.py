"""Shadowing: powers by role and unit scope (mentoring/permissions.py).

The world: a mentorship in station A (the identities' mentor and recruit, with a
log and the recruit's confidential evaluation of the mentor), and one in station B
between two officers who are no identity.
"""

import datetime as dt

from django.utils import timezone

from mentoring.models import LogObjection, MentorEvaluation
from officers.roles import Role, Tier
from tests.access.matrix import Expect
from tests.factories.mentoring import (
    CompetencyFactory,
    LogRatingFactory,
    MentorshipFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import OfficerFactory

EVALUATION_SECRET = "师傅经常迟到且不讲解"
OTHER_UNIT_LOG_SECRET = "西城所跟班日志机密"


def build(world):
    people = world.people
    competency = CompetencyFactory(name="接处警")
    m = MentorshipFactory(recruit=people["recruit"], mentor=people["mentor"], assigned_by=people["legal_reviewer"],
                          final_proposed_at=timezone.now())
    log = ShadowingLogFactory(mentorship=m)
    LogRatingFactory(log=log, competency=competency, rating=5)
    objection = LogObjection.objects.create(log=log, raised_by=people["recruit"], log_version=1, reason="评分偏低")
    MentorEvaluation.objects.create(mentorship=m, teaching=2, availability=2, fairness=3, comment=EVALUATION_SECRET)
    station_b = world.units["station_b"]
    other = MentorshipFactory(
        recruit=OfficerFactory(name="西城新警", unit=station_b, tier=Tier.RECRUIT),
        mentor=OfficerFactory(name="西城师傅", unit=station_b, roles=[Role.MENTOR]),
        assigned_by=people["legal_reviewer"],
    )
    other_log = ShadowingLogFactory(mentorship=other, best=OTHER_UNIT_LOG_SECRET, date=timezone.localdate() - dt.timedelta(days=2))
    world.ids.update(mentorship=m.pk, log=log.pk, objection=objection.pk, competency=competency.pk, other_mentorship=other.pk, other_log=other_log.pk)


SECRETS = [
    ("the recruit's evaluation of the mentor", EVALUATION_SECRET, {"legal_reviewer", "administrator"}),
    ("another unit's shadowing log", OTHER_UNIT_LOG_SECRET, {"mid_level", "legal_reviewer", "administrator"}),
]

# Who sees station A's mentorship at all (others get 404): its mentor and recruit, the
# head and the legal officer of station A, reviewers and administrators.
SEE_A = {"*": 404, "recruit": 200, "mentor": 200, "unit_head": 200, "legal_officer": 200,
         "legal_reviewer": 200, "administrator": 200}
SEE_B = {"*": 404, "mid_level": 200, "legal_reviewer": 200, "administrator": 200}


def acting(ok, *, who):
    """Those who see station A's mentorship get 403 unless they hold the power (`who`: status `ok`)."""
    statuses = {k: (403 if v == 200 else v) for k, v in SEE_A.items()}
    statuses.update(dict.fromkeys(who, ok))
    return statuses


OPENS = {"*": 403, "recruit": 200, "mentor": 200, "unit_head": 200, "mid_level": 200, "legal_officer": 200,
         "legal_reviewer": 200, "administrator": 200}
M = {"pk": "mentorship"}
LOG = {"pk": "log"}

EXPECTATIONS = [
    Expect("mentoring:home", OPENS),
    Expect("mentoring:assign", {"*": 403, "unit_head": 200, "mid_level": 200, "legal_reviewer": 200, "administrator": 200}),
    Expect("mentoring:competencies", OPENS),
    # Mentors' limits and the minimums before 出师: the legal affairs reviewers' to set.
    Expect("mentoring:mentor_limits", {"*": 403, "legal_reviewer": 200, "administrator": 200}),
    Expect("mentoring:mentor_limits", {"*": 403, "legal_reviewer": 400, "administrator": 400}, method="post",
           data={"police_number": "000000", "max_recruits": "2"}),
    Expect("mentoring:minimums_edit", {"*": 403, "legal_reviewer": 200, "administrator": 200}),
    Expect("mentoring:competency_new", {"*": 403, "legal_reviewer": 200, "administrator": 200}),
    Expect("mentoring:competency_edit", {"*": 403, "legal_reviewer": 200, "administrator": 200},
           kwargs={"pk": "competency"}),
    Expect("mentoring:mentorship", SEE_A, kwargs=M),
    Expect("mentoring:mentorship", SEE_B, kwargs={"pk": "other_mentorship"}),
    Expect("mentoring:record_pdf", SEE_A, kwargs=M),
    Expect("mentoring:log_create", acting(200, who=["mentor"]), kwargs=M),
    Expect("mentoring:log_draft", acting(200, who=["mentor"]), kwargs=M, method="post", data={"best": "草稿"}),
    Expect("mentoring:sign_off", acting(302, who=["mentor"]), kwargs={**M, "competency_pk": "competency"}, method="post"),
    Expect("mentoring:sign_off_withdraw", acting(302, who=["mentor"]), kwargs={**M, "competency_pk": "competency"},
           method="post"),
    Expect("mentoring:final_propose", acting(302, who=["mentor"]), kwargs=M, method="post"),
    # Approving 出师 asks for the opinion (and a reason when logs are unacknowledged) on its own page;
    # here the competency is not signed off, so the reviewer's approval is refused (400, the form again).
    Expect("mentoring:final_approve", acting(200, who=["legal_reviewer", "administrator"]), kwargs=M),
    Expect("mentoring:final_approve", acting(400, who=["legal_reviewer", "administrator"]), kwargs=M, method="post",
           data={"opinion": "同意", "unacknowledged_reason": "当面核对"}),
    Expect("mentoring:final_return", acting(302, who=["legal_reviewer", "administrator"]), kwargs=M, method="post"),
    Expect("mentoring:promote", acting(302, who=["legal_reviewer", "administrator"]), kwargs=M, method="post"),
    Expect("mentoring:extend", acting(200, who=["unit_head", "legal_reviewer", "administrator"]), kwargs=M),
    Expect("mentoring:end_early", acting(200, who=["unit_head", "legal_reviewer", "administrator"]), kwargs=M),
    # The recruit's evaluation of the mentor: reviewers read it; the recruit wrote it already.
    Expect("mentoring:evaluation", acting(200, who=["legal_reviewer", "administrator"]), kwargs=M),
    Expect("mentoring:log", SEE_A, kwargs=LOG),
    Expect("mentoring:log", SEE_B, kwargs={"pk": "other_log"}),
    Expect("mentoring:log_edit", acting(200, who=["mentor"]), kwargs=LOG),
    # The acknowledgement names the version shown (1 here); without it, it is refused as stale (409).
    Expect("mentoring:log_acknowledge", acting(302, who=["recruit"]), kwargs=LOG, method="post", data={"version": "1"}),
    Expect("mentoring:log_acknowledge", acting(409, who=["recruit"]), kwargs=LOG, method="post"),
    # Objections: the recruit raises them, the mentor answers.
    Expect("mentoring:log_objection", acting(302, who=["recruit"]), kwargs=LOG, method="post", data={"reason": "有异议"}),
    Expect("mentoring:log_objection_answer", acting(302, who=["mentor"]), kwargs={**LOG, "objection_pk": "objection"},
           method="post", data={"answer": "已核实"}),
    Expect("mentoring:log_addendum", acting(302, who=["recruit", "mentor"]), kwargs=LOG, method="post"),
]
