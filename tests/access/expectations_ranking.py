"""Points ranking (ranking/permissions.py): everyone sees their own position and breakdown, a unit
head their units', the legal affairs unit (reviewers, administrators) everything; manual awards
and deductions are entered and decided by the legal affairs unit only.

The world: the officers' rule book in force, an approved deduction of the colleague
(station A) with its evidence, a pending award of the stranger (station B), the ledger posted.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from ranking.services import manual_entry_create, manual_entry_decide, points_post
from tests.access.matrix import Expect
from tests.factories.officers import OfficerFactory
from tests.factories.ranking import RuleBookFactory, RuleBookVersionFactory

DEDUCTION_SECRET = "郑同事询问笔录未经签名执法检查扣分"


def build(world):
    from tests.ranking.conftest import officer_rules

    people = world.people
    version = RuleBookVersionFactory(rule_book=RuleBookFactory(track="officer"), number=1,
                                     approved_by=people["legal_reviewer"])
    officer_rules(version)
    entering = OfficerFactory(name="录入人", unit=world.units["legal_unit"], roles=["legal_reviewer"])
    deduction = manual_entry_create(
        officer=people["colleague"], rule_code="fault", points=Decimal(-3), occurred_on=dt.date(2026, 8, 10),
        reason=DEDUCTION_SECRET, evidence=ContentFile(b"%PDF-1.4", name="通报.pdf"), by=entering,
    )
    manual_entry_decide(entry=deduction, by=people["legal_reviewer"], approve=True)
    pending = manual_entry_create(
        officer=people["stranger"], rule_code="award", points=Decimal(5), occurred_on=dt.date(2026, 8, 12),
        reason="西城所比武三等奖", evidence=ContentFile(b"%PDF-1.4", name="证书.pdf"), by=entering,
    )
    points_post()
    world.ids.update(
        rk_track="officer", rk_q3="2026Q3", rk_q9="2026Q9", ranking_colleague=people["colleague"].pk, ranking_deduction=deduction.pk, ranking_pending=pending.pk,
    )


SECRETS = [
    ("a colleague's deduction and its reason", DEDUCTION_SECRET, {"unit_head", "legal_reviewer", "administrator"}),
]

Q3 = {"track": "rk_track", "period": "rk_q3"}
SEES_COLLEAGUE = {"*": 404, "unit_head": 200, "legal_reviewer": 200, "administrator": 200}
REVIEWERS = {"*": 403, "legal_reviewer": 200, "administrator": 200}
MANUAL = {"*": 404, "legal_reviewer": 200, "administrator": 200}

EXPECTATIONS = [
    Expect("ranking:index", {"*": 200}),
    Expect("ranking:my_trend", {"*": 200}),
    Expect("ranking:trend", SEES_COLLEAGUE, kwargs={"officer_id": "ranking_colleague"}),
    Expect("ranking:trend", {"*": 404}, kwargs={"officer_id": 999999}),
    # The live standings: each sees the rows they may (their own, their units', or all).
    Expect("ranking:ranking", {"*": 200}, kwargs=Q3),
    Expect("ranking:ranking", {"*": 404}, kwargs={"track": "rk_track", "period": "rk_q9"}),
    Expect("ranking:breakdown", SEES_COLLEAGUE, kwargs={**Q3, "officer_id": "ranking_colleague"}),
    Expect("ranking:publish", {"*": 403, "legal_reviewer": 302, "administrator": 302}, kwargs=Q3,
           method="post", data={"note": "季度通报"}),
    Expect("ranking:manual_list", REVIEWERS),
    Expect("ranking:manual_new", REVIEWERS),
    Expect("ranking:manual_new", REVIEWERS, method="post", data={"police_number": "000000"}),
    Expect("ranking:manual_detail", MANUAL, kwargs={"pk": "ranking_deduction"}),
    Expect("ranking:manual_detail", MANUAL,
           kwargs={"pk": "ranking_pending"}),
    # Deciding: reviewers only (the one who entered it is no identity here).
    Expect("ranking:manual_detail", {"*": 404, "legal_reviewer": 302, "administrator": 302},
           kwargs={"pk": "ranking_pending"}, method="post", data={"decision": "approve"}),
    Expect("ranking:manual_evidence", MANUAL, kwargs={"pk": "ranking_deduction"}),
]
