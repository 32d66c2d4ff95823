import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from officers.roles import Role, Tier, UnitKind
from tests.factories.case_review import (
    CaseDocumentFactory,
    CaseFileFactory,
    DefectTypeFactory,
    KeyDefectFactory,
    released_round,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)


@pytest.fixture
def grader(db):
    return OfficerFactory(name="周审核", unit=LegalAffairsUnitFactory(), tier=Tier.MID_LEVEL,
                          roles=[Role.LEGAL_REVIEWER, Role.TRAINER])


@pytest.fixture
def bureau(db):
    """Two stations and a brigade with a squad beneath it; a defect taxonomy."""
    east = UnitFactory(name="东城派出所")
    west = UnitFactory(name="西城派出所")
    brigade = UnitFactory(name="刑侦大队", kind=UnitKind.BRIGADE)
    squad = UnitFactory(name="刑侦一中队", kind=UnitKind.BRIGADE, parent=brigade)
    types = {name: DefectTypeFactory(name=name) for name in ("单人讯问", "超时限办案", "文书制作不规范")}
    return {"east": east, "west": west, "brigade": brigade, "squad": squad, "types": types}


@pytest.fixture
def case_file(bureau):
    """A file from the east station: one document of 3 pages, two planted defects (weights 2 and 1)."""
    case_file = CaseFileFactory(title="李某某故意伤害案", unit=bureau["east"])
    document = CaseDocumentFactory(case_file=case_file, title="讯问笔录", page_count=3)
    KeyDefectFactory(case_file=case_file, document=document, defect_type=bureau["types"]["单人讯问"], page=2,
                     weight=Decimal(2), description="讯问笔录只有一名侦查人员签名", explanation="讯问应当由两名以上侦查人员进行。")
    KeyDefectFactory(case_file=case_file, document=document, defect_type=bureau["types"]["超时限办案"], page=3,
                     weight=Decimal(1), description="延长拘留期限未经审批")
    return case_file


@pytest.fixture
def reviewer(bureau):
    return OfficerFactory(name="赵所长", police_number="500101", unit=bureau["west"], tier=Tier.MID_LEVEL)


@pytest.fixture
def open_round(case_file, reviewer, grader):
    return released_round(reviewers=[reviewer], files=[case_file], by=grader,
                          opens_at=timezone.now() - dt.timedelta(hours=1))
