import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    CompetencySignOff,
    LogDraft,
    LogRating,
    LogStatus,
    MentorCapacity,
    Mentorship,
    MentorshipStatus,
    ShadowingLog,
    SignOffEvent,
    SignOffEventKind,
)
from mentoring.services import LogEntry, RatingEntry
from officers.roles import Role, Tier
from tests.factories.mentoring import (
    CompetencyFactory,
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal():
    return OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])


def entry(competency, rating=4, comment="", **kwargs):
    values = {
        "date": timezone.localdate(), "start_time": dt.time(8, 30), "end_time": dt.time(17, 30),
        "best": "询问条理清楚", "worst": "照片不全", "next_plan": "练习笔录",
        "ratings": {competency.pk: RatingEntry(rating=rating, comment=comment)},
    }
    values.update(kwargs)
    return LogEntry(**values)


# --- assignment -----------------------------------------------------------


def test_legal_affairs_assigns_with_a_three_month_default(legal):
    recruit, mentor = RecruitFactory(), MentorFactory()
    m = services.mentorship_assign(recruit=recruit, mentor=mentor, assigned_by=legal, started_on=dt.date(2026, 11, 30))
    assert m.status == MentorshipStatus.ACTIVE
    assert m.planned_end_on == dt.date(2027, 2, 28)


def test_a_recruit_has_one_active_mentorship_enforced_by_the_service_and_the_database(legal):
    first = MentorshipFactory()
    with pytest.raises(ValidationError):
        services.mentorship_assign(
            recruit=first.recruit, mentor=MentorFactory(), assigned_by=legal, started_on=timezone.localdate()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorshipFactory(recruit=first.recruit, status=MentorshipStatus.EXTENDED)
    # Once it has ended the recruit can be assigned again.
    services.mentorship_end_early(mentorship=first, by=legal, reason="调岗")
    again = services.mentorship_assign(
        recruit=first.recruit, mentor=MentorFactory(), assigned_by=legal, started_on=timezone.localdate()
    )
    assert again.is_open


def test_a_mentor_takes_two_recruits_at_most_by_default(legal):
    mentor = MentorFactory()
    for _ in range(2):
        services.mentorship_assign(recruit=RecruitFactory(), mentor=mentor, assigned_by=legal, started_on=timezone.localdate())
    with pytest.raises(ValidationError) as raised:
        services.mentorship_assign(recruit=RecruitFactory(), mentor=mentor, assigned_by=legal, started_on=timezone.localdate())
    assert "mentor" in raised.value.message_dict


def test_a_mentors_own_capacity_and_the_setting_change_the_limit(legal, settings):
    mentor = MentorFactory()
    MentorCapacity.objects.create(mentor=mentor, max_recruits=1)
    services.mentorship_assign(recruit=RecruitFactory(), mentor=mentor, assigned_by=legal, started_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.mentorship_assign(recruit=RecruitFactory(), mentor=mentor, assigned_by=legal, started_on=timezone.localdate())
    settings.MENTORING_MENTOR_LIMIT = 3
    other = MentorFactory()
    for _ in range(3):
        services.mentorship_assign(recruit=RecruitFactory(), mentor=other, assigned_by=legal, started_on=timezone.localdate())


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_never_exceed_the_mentors_limit():
    legal = OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])
    mentor = MentorFactory()
    recruits = [RecruitFactory() for _ in range(5)]
    barrier, outcomes = threading.Barrier(len(recruits)), []

    def assign(recruit):
        try:
            barrier.wait()
            services.mentorship_assign(recruit=recruit, mentor=mentor, assigned_by=legal, started_on=timezone.localdate())
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        except Exception as error:  # asserted below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(r,)) for r in recruits]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 3 + ["ok"] * 2
    assert Mentorship.objects.filter(mentor=mentor).count() == 2


def test_unit_leader_assigns_in_their_own_unit_only():
    unit = UnitFactory()
    leader = OfficerFactory(unit=unit, tier=Tier.MID_LEVEL)
    services.mentorship_assign(
        recruit=RecruitFactory(unit=unit), mentor=MentorFactory(unit=unit), assigned_by=leader, started_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        services.mentorship_assign(
            recruit=RecruitFactory(), mentor=MentorFactory(), assigned_by=leader, started_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.mentorship_assign(
            recruit=RecruitFactory(unit=unit), mentor=MentorFactory(unit=unit),
            assigned_by=OfficerFactory(unit=unit, roles=[Role.MENTOR]), started_on=timezone.localdate(),
        )


def test_only_recruits_and_mentors_are_paired(legal):
    with pytest.raises(ValidationError):
        services.mentorship_assign(recruit=OfficerFactory(), mentor=MentorFactory(), assigned_by=legal, started_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.mentorship_assign(recruit=RecruitFactory(), mentor=OfficerFactory(), assigned_by=legal, started_on=timezone.localdate())


def test_extend_and_end_early_need_a_later_end_and_a_reason(legal):
    m = MentorshipFactory()
    with pytest.raises(ValidationError):
        services.mentorship_extend(mentorship=m, by=legal, planned_end_on=m.planned_end_on)
    services.mentorship_extend(mentorship=m, by=legal, planned_end_on=m.planned_end_on + dt.timedelta(days=30))
    assert m.status == MentorshipStatus.EXTENDED
    with pytest.raises(ValidationError):
        services.mentorship_end_early(mentorship=m, by=legal, reason="  ")
    with pytest.raises(PermissionDenied):
        services.mentorship_end_early(mentorship=m, by=m.mentor, reason="调岗")
    services.mentorship_end_early(mentorship=m, by=legal, reason="调岗")
    m.refresh_from_db()
    assert (m.status, m.end_reason, m.ended_on) == (MentorshipStatus.ENDED_EARLY, "调岗", timezone.localdate())


# --- logs -----------------------------------------------------------------


@pytest.mark.parametrize(("rating", "needs"), [(1, True), (2, True), (3, False), (4, False), (6, False), (7, True)])
def test_a_rating_below_3_or_above_6_needs_a_comment(rating, needs):
    m, competency = MentorshipFactory(), CompetencyFactory()
    if needs:
        with pytest.raises(ValidationError) as raised:
            services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, rating))
        assert f"comment_{competency.pk}" in raised.value.message_dict
        services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, rating, comment="当场说明"))
    else:
        services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, rating))
    assert LogRating.objects.get(log__mentorship=m).rating == rating


def test_the_database_refuses_an_exceptional_rating_without_comment():
    log, competency = ShadowingLogFactory(), CompetencyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LogRating.objects.create(log=log, competency=competency, rating=7, comment="")


def test_submit_records_everything_and_counts_a_night_shift_across_midnight():
    m, a, b = MentorshipFactory(), CompetencyFactory(), CompetencyFactory()
    log = services.shadowing_log_submit(
        mentorship=m, author=m.mentor,
        entry=LogEntry(
            date=timezone.localdate(), start_time=dt.time(20, 0), end_time=dt.time(8, 0),
            best="b", worst="w", next_plan="p", is_simulation=True, not_responding=True,
            activities=[services.ActivityEntry(kind="criminal", part="assisted", case_number="A123")],
            ratings={a.pk: RatingEntry(5), b.pk: RatingEntry(None)},
            remedials=[("笔录制作", 30)],
        ),
    )
    assert log.duration_minutes == 12 * 60 and log.is_simulation and log.not_responding
    assert log.status == LogStatus.SUBMITTED
    assert [(r.competency_id, r.rating) for r in log.ratings.order_by("competency__position")] == [(a.pk, 5), (b.pk, None)]
    assert log.activities.get().case_number == "A123"
    assert log.remedials.get().minutes == 30


def test_only_the_mentor_submits_and_not_in_the_future():
    m, competency = MentorshipFactory(), CompetencyFactory()
    with pytest.raises(PermissionDenied):
        services.shadowing_log_submit(mentorship=m, author=m.recruit, entry=entry(competency))
    with pytest.raises(ValidationError):
        services.shadowing_log_submit(
            mentorship=m, author=m.mentor, entry=entry(competency, date=timezone.localdate() + dt.timedelta(days=1))
        )


def test_acknowledgement_locks_the_log_and_corrections_become_addenda():
    m, competency = MentorshipFactory(), CompetencyFactory()
    log = services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency))
    # Before acknowledgement the mentor may still correct it; addenda are not yet needed.
    services.shadowing_log_update(log=log, author=m.mentor, entry=entry(competency, 5))
    with pytest.raises(ValidationError):
        services.log_addendum_add(log=log, author=m.mentor, text="补充")
    with pytest.raises(PermissionDenied):
        services.shadowing_log_acknowledge(log=log, recruit=m.mentor, version=1)
    services.shadowing_log_acknowledge(log=log, recruit=m.recruit, version=2, comment="明白")  # the corrected one
    log.refresh_from_db()
    assert log.is_locked and log.recruit_comment == "明白" and log.acknowledged_at
    with pytest.raises(ValidationError):
        services.shadowing_log_update(log=log, author=m.mentor, entry=entry(competency, 6))
    with pytest.raises(ValidationError):
        services.shadowing_log_acknowledge(log=log, recruit=m.recruit, version=1)
    addendum = services.log_addendum_add(log=log, author=m.mentor, text="受案号更正为A456")
    assert addendum.author == m.mentor and addendum.created_at
    with pytest.raises(PermissionDenied):
        services.log_addendum_add(log=log, author=OfficerFactory(), text="x")
    assert log.ratings.get().rating == 5  # unchanged by anything after the lock


def test_drafts_are_kept_one_per_mentorship_and_cleared_on_submit():
    m, competency = MentorshipFactory(), CompetencyFactory()
    services.log_draft_save(mentorship=m, author=m.mentor, data={"best": "写了一半", "csrfmiddlewaretoken": "x"})
    services.log_draft_save(mentorship=m, author=m.mentor, data={"best": "写了一大半"})
    draft = LogDraft.objects.get(mentorship=m)
    assert draft.data == {"best": "写了一大半"}
    with pytest.raises(PermissionDenied):
        services.log_draft_save(mentorship=m, author=m.recruit, data={})
    services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency))
    assert not LogDraft.objects.filter(mentorship=m).exists()


# --- sign-off -------------------------------------------------------------


def test_competency_sign_off_needs_a_latest_rating_of_4(legal):
    m, competency = MentorshipFactory(), CompetencyFactory()
    with pytest.raises(ValidationError):
        services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)
    services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, 3, date=timezone.localdate() - dt.timedelta(days=1)))
    with pytest.raises(ValidationError):
        services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)
    services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, 4))
    with pytest.raises(PermissionDenied):
        services.competency_sign_off(mentorship=m, competency=competency, by=legal)
    assert services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor).signed_by == m.mentor


def test_final_sign_off_needs_every_competency_and_the_legal_affairs_unit(legal):
    m = MentorshipFactory()
    a, b = CompetencyFactory(), CompetencyFactory()
    services.shadowing_log_submit(
        mentorship=m, author=m.mentor,
        entry=entry(a, 5, ratings={a.pk: RatingEntry(5), b.pk: RatingEntry(4)}),
    )
    services.competency_sign_off(mentorship=m, competency=a, by=m.mentor)
    with pytest.raises(ValidationError):
        services.final_sign_off_propose(mentorship=m, by=m.mentor)
    with pytest.raises(ValidationError):
        services.final_sign_off_approve(mentorship=m, by=legal)  # not proposed
    services.competency_sign_off(mentorship=m, competency=b, by=m.mentor)
    services.final_sign_off_propose(mentorship=m, by=m.mentor)
    with pytest.raises(PermissionDenied):
        services.final_sign_off_approve(mentorship=m, by=m.mentor)
    leader = OfficerFactory(unit=m.recruit.unit, tier=Tier.MID_LEVEL)
    with pytest.raises(PermissionDenied):
        services.final_sign_off_approve(mentorship=m, by=leader)
    with pytest.raises(ValidationError):
        services.recruit_promote(mentorship=m, by=legal)  # not yet approved
    services.final_sign_off_approve(mentorship=m, by=legal, unacknowledged_reason="新警已当面确认，系统未及确认")
    assert m.status == MentorshipStatus.COMPLETED and m.final_approved_by == legal
    recruit = services.recruit_promote(mentorship=m, by=legal)
    recruit.refresh_from_db()
    assert recruit.tier == Tier.OFFICER


def test_the_mentor_withdraws_a_sign_off_with_a_reason_that_is_kept(legal):
    m, competency = MentorshipFactory(), CompetencyFactory(name="询问讯问与笔录制作")
    services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, 5))
    signoff = services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)

    with pytest.raises(ValidationError) as error:
        services.competency_sign_off_withdraw(mentorship=m, competency=competency, by=m.mentor, reason="  ")
    assert "原因" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.competency_sign_off_withdraw(mentorship=m, competency=competency, by=legal, reason="误签")
    assert CompetencySignOff.objects.filter(pk=signoff.pk).exists()

    event = services.competency_sign_off_withdraw(
        mentorship=m, competency=competency, by=m.mentor, reason="笔录中仍有诱导性提问，需再练习"
    )
    assert not CompetencySignOff.objects.filter(mentorship=m, competency=competency).exists()
    assert event.kind == SignOffEventKind.WITHDRAWN and event.signed_at == signoff.signed_at
    assert event.competency == competency and event.reason == "笔录中仍有诱导性提问，需再练习"
    with pytest.raises(ValidationError):  # nothing left to withdraw
        services.competency_sign_off_withdraw(mentorship=m, competency=competency, by=m.mentor, reason="再次")
    # It can be signed off again once met.
    services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)


def test_the_legal_affairs_unit_returns_a_final_sign_off_and_the_mentor_can_correct_it(legal):
    m, competency = MentorshipFactory(), CompetencyFactory()
    services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency, 5))
    services.competency_sign_off(mentorship=m, competency=competency, by=m.mentor)
    services.final_sign_off_propose(mentorship=m, by=m.mentor)
    with pytest.raises(ValidationError):  # frozen while the legal affairs unit decides
        services.competency_sign_off_withdraw(mentorship=m, competency=competency, by=m.mentor, reason="误签")
    with pytest.raises(PermissionDenied):
        services.final_sign_off_return(mentorship=m, by=m.mentor, reason="自己退回")
    with pytest.raises(ValidationError):
        services.final_sign_off_return(mentorship=m, by=legal, reason="")

    event = services.final_sign_off_return(mentorship=m, by=legal, reason="模拟办案次数不足，再安排两次")
    m.refresh_from_db()
    assert m.final_proposed_at is None and m.is_open
    assert event.kind == SignOffEventKind.RETURNED and event.by == legal
    with pytest.raises(ValidationError):  # nothing to approve any more
        services.final_sign_off_approve(mentorship=m, by=legal)
    services.competency_sign_off_withdraw(mentorship=m, competency=competency, by=m.mentor, reason="按法制大队意见重新考核")
    assert SignOffEvent.objects.filter(mentorship=m).count() == 2


def test_the_recruit_evaluates_the_mentor_once_at_the_end(legal):
    m = MentorshipFactory()
    with pytest.raises(ValidationError):
        services.mentor_evaluation_submit(mentorship=m, recruit=m.recruit, teaching=5, availability=5, fairness=5)
    services.mentorship_end_early(mentorship=m, by=legal, reason="调岗")
    with pytest.raises(PermissionDenied):
        services.mentor_evaluation_submit(mentorship=m, recruit=m.mentor, teaching=5, availability=5, fairness=5)
    services.mentor_evaluation_submit(mentorship=m, recruit=m.recruit, teaching=4, availability=3, fairness=5, comment="耐心")
    with pytest.raises(ValidationError):
        services.mentor_evaluation_submit(mentorship=m, recruit=m.recruit, teaching=5, availability=5, fairness=5)


def test_logs_cannot_be_submitted_to_an_ended_mentorship(legal):
    m, competency = MentorshipFactory(), CompetencyFactory()
    services.mentorship_end_early(mentorship=m, by=legal, reason="调岗")
    with pytest.raises(ValidationError):
        services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=entry(competency))
    assert not ShadowingLog.objects.exists()
