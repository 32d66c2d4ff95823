import pytest

from mentoring import demo
from mentoring.models import Competency, MentorEvaluation, Mentorship, MentorshipStatus
from officers import demo as officers_demo
from officers.models import Officer
from officers.roles import Tier

pytestmark = pytest.mark.django_db


def test_seed_builds_eight_mentorships_at_different_stages_and_is_idempotent():
    officers_demo.seed()
    demo.seed()
    demo.seed()
    assert Competency.objects.count() == 13
    assert all(c.guideline_1 and c.guideline_4 and c.guideline_7 for c in Competency.objects.all())
    assert Mentorship.objects.count() == 8
    statuses = sorted(Mentorship.objects.values_list("status", flat=True))
    assert statuses.count(MentorshipStatus.COMPLETED) == 1
    assert {MentorshipStatus.ACTIVE, MentorshipStatus.EXTENDED, MentorshipStatus.ENDED_EARLY} <= set(statuses)
    signed = Mentorship.objects.get(status=MentorshipStatus.COMPLETED)
    assert signed.final_approved_at and signed.recruit.tier == Tier.OFFICER
    assert MentorEvaluation.objects.filter(mentorship=signed).exists()
    demo_pair = Mentorship.objects.get(recruit__police_number="400001")
    assert demo_pair.mentor == Officer.objects.get(police_number="300001") and demo_pair.is_open
    assert demo_pair.logs.filter(status="submitted").exists()  # one for the recruit to acknowledge
