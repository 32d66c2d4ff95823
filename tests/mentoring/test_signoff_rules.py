"""Sign-off that means something: flags on contradicted sign-offs, minimums before 出师,
a recruit never a mentor, alerts, a long shift confirmed, promoting once."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import readiness, selectors, services
from mentoring.models import (
    CompetencySignOff,
    CurriculumMinimums,
    LogStatus,
    Mentorship,
)
from mentoring.services import LogEntry, RatingEntry
from officers.roles import Role, Tier
from tests.factories.mentoring import (
    CompetencyFactory,
    LogRatingFactory,
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal():
    return OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])


def _entry(competency, rating, *, day, start=dt.time(8, 30), end=dt.time(17, 30), comment="", **kwargs):
    return LogEntry(
        date=day, start_time=start, end_time=end, best="询问条理清楚", worst="照片不全", next_plan="练习笔录",
        ratings={competency.pk: RatingEntry(rating=rating, comment=comment)}, **kwargs,
    )


def _signed_off(mentorship, competency, *, days_ago=10):
    log = ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=days_ago))
    LogRatingFactory(log=log, competency=competency, rating=5)
    return services.competency_sign_off(mentorship=mentorship, competency=competency, by=mentorship.mentor)


# --- a recruit is never a mentor --------------------------------------------------------


def test_a_recruit_holding_the_mentor_role_cannot_be_assigned_a_recruit(legal):
    recruit = RecruitFactory()
    recruit_as_mentor = MentorFactory(tier=Tier.RECRUIT, name="王新警")
    with pytest.raises(ValidationError) as refused:
        services.mentorship_assign(recruit=recruit, mentor=recruit_as_mentor, assigned_by=legal,
                                   started_on=timezone.localdate())
    assert "王新警是新警，新警不能担任带教师傅" in str(refused.value)
    assert recruit_as_mentor not in selectors.assignable_mentors(legal)


def test_an_officer_still_being_mentored_cannot_be_assigned_a_recruit(legal):
    # Promoted to the officer tier by hand, but the mentorship is still open.
    mentored = MentorshipFactory(recruit=MentorFactory(tier=Tier.OFFICER, name="赵学员"))
    with pytest.raises(ValidationError) as refused:
        services.mentorship_assign(recruit=RecruitFactory(), mentor=mentored.recruit, assigned_by=legal,
                                   started_on=timezone.localdate())
    assert "赵学员仍在跟班培训中，出师前不能担任带教师傅" in str(refused.value)
    assert not Mentorship.objects.filter(mentor=mentored.recruit).exists()


def _edit_data(client, url):
    form = client.get(url).context["form"]
    return {
        name: value for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in ("groups", "password1", "password2")
    }


def test_the_admin_refuses_the_mentor_role_to_a_mentored_recruit_in_chinese(client, login):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    mentorship = MentorshipFactory(recruit=RecruitFactory(name="孙新警"))
    recruit = mentorship.recruit
    mentor_group = Group.objects.get_or_create(name=Role.MENTOR)[0]
    url = reverse("wagtailusers_users:edit", args=[recruit.pk])
    data = _edit_data(client, url)
    data.update(unit=recruit.unit_id, groups=[mentor_group.pk], is_active="on", tier=Tier.OFFICER)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "孙新警仍在跟班培训中，出师前不能担任带教师傅" in response.content.decode()
    assert not recruit.groups.filter(name=Role.MENTOR).exists()
    # Once the mentorship has ended (出师 and promotion), the role can be given.
    Mentorship.objects.filter(pk=mentorship.pk).update(status="completed")
    response = client.post(url, data)
    assert response.status_code == 302
    assert recruit.groups.filter(name=Role.MENTOR).exists()


def test_the_django_admin_refuses_the_mentor_role_to_a_recruit(client, login):
    login(OfficerFactory(is_staff=True, is_superuser=True))
    recruit = RecruitFactory(name="钱新警")
    mentor_group = Group.objects.get_or_create(name=Role.MENTOR)[0]
    response = client.post(f"/django-admin/officers/officer/{recruit.pk}/change/", {
        "police_number": recruit.police_number, "name": recruit.name, "unit": recruit.unit_id,
        "tier": Tier.RECRUIT, "is_active": "on", "groups": [mentor_group.pk],
    })
    assert response.status_code == 200
    assert "钱新警是新警，新警不能担任带教师傅" in response.content.decode()
    assert not recruit.groups.filter(name=Role.MENTOR).exists()


# --- sign-off flags -------------------------------------------------------------------


def test_a_signed_off_competency_rated_low_later_is_flagged_to_mentor_and_legal_affairs(legal):
    competency = CompetencyFactory(name="受案立案")
    mentorship = MentorshipFactory()
    _signed_off(mentorship, competency)
    assert readiness.mentorship_signoff_flags(mentorship) == []
    services.shadowing_log_submit(
        mentorship=mentorship, author=mentorship.mentor,
        entry=_entry(competency, 3, day=timezone.localdate() - dt.timedelta(days=1)),
    )
    flags = readiness.mentorship_signoff_flags(mentorship)
    assert [(f.competency_name, f.rating) for f in flags] == [("受案立案", 3)]
    # The alert shows on the overview of both the mentor and the legal affairs unit.
    for viewer in (mentorship.mentor, legal):
        rows = selectors.mentorship_rows(selectors.visible_mentorships(viewer))
        messages = [a.message for r in rows for a in r.alerts if a.kind == "signoff_flag"]
        assert len(messages) == 1 and "受案立案已于" in messages[0] and "被评为3分" in messages[0]


def test_a_low_rating_before_the_sign_off_or_in_another_mentorship_is_no_flag():
    competency = CompetencyFactory()
    mentorship = MentorshipFactory()
    early = ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=20),
                                submitted_at=timezone.now() - dt.timedelta(days=20))
    LogRatingFactory(log=early, competency=competency, rating=2, comment="遗漏")
    _signed_off(mentorship, competency)
    other = MentorshipFactory()
    LogRatingFactory(log=ShadowingLogFactory(mentorship=other), competency=competency, rating=1, comment="差")
    assert readiness.mentorship_signoff_flags(mentorship) == []


def test_proposing_over_a_flag_needs_a_reason_which_is_kept():
    competency = CompetencyFactory(name="现场处置与取证")
    mentorship = MentorshipFactory()
    _signed_off(mentorship, competency)
    services.shadowing_log_submit(
        mentorship=mentorship, author=mentorship.mentor,
        entry=_entry(competency, 2, day=timezone.localdate(), comment="照片漏拍"),
    )
    with pytest.raises(ValidationError) as refused:
        services.final_sign_off_propose(mentorship=mentorship, by=mentorship.mentor)
    assert "现场处置与取证（2）" in str(refused.value) and "请说明为何仍认为新警可以出师" in str(refused.value)
    mentorship.refresh_from_db()
    assert mentorship.final_proposed_at is None
    services.final_sign_off_propose(mentorship=mentorship, by=mentorship.mentor, reason="当天为夜班突发警情，平时表现稳定。")
    mentorship.refresh_from_db()
    assert mentorship.final_proposed_at is not None
    assert mentorship.final_proposal_reason == "当天为夜班突发警情，平时表现稳定。"
    with pytest.raises(ValidationError, match="已经提请出师"):
        services.final_sign_off_propose(mentorship=mentorship, by=mentorship.mentor, reason="再次")


def test_the_reviewer_reads_the_reason_on_the_mentorship_page(client, login, legal):
    competency = CompetencyFactory()
    mentorship = MentorshipFactory(final_proposed_at=timezone.now(), final_proposal_reason="突发警情，平时稳定。")
    CompetencySignOff.objects.create(mentorship=mentorship, competency=competency, signed_by=mentorship.mentor)
    login(legal)
    html = client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).content.decode()
    assert "师傅仍提请出师，理由" in html and "突发警情，平时稳定。" in html


# --- minimums before 出师 -------------------------------------------------------------


def test_minimums_are_enforced_when_proposing_and_shown_as_progress(client, login, legal):
    competency = CompetencyFactory()
    services.curriculum_minimums_save(by=legal, shifts=2, hours=10, weeks=2, simulations=1)
    mentorship = MentorshipFactory(started_on=timezone.localdate() - dt.timedelta(days=30))
    _signed_off(mentorship, competency)  # one 9-hour shift, no simulation
    with pytest.raises(ValidationError) as refused:
        services.final_sign_off_propose(mentorship=mentorship, by=mentorship.mentor)
    text = str(refused.value)
    assert "尚未达到出师最低要求" in text and "班次已完成1，要求2" in text and "模拟办案已完成0，要求1" in text
    assert "周数" not in text  # 30 days is 4 weeks: met

    login(mentorship.mentor)
    html = client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).content.decode()
    assert "出师最低要求" in html and "1/2" in html and "9.0/10" in html

    ShadowingLogFactory(mentorship=mentorship, is_simulation=True, date=timezone.localdate() - dt.timedelta(days=3))
    services.final_sign_off_propose(mentorship=mentorship, by=mentorship.mentor)
    assert Mentorship.objects.get(pk=mentorship.pk).final_proposed_at is not None


def test_only_legal_affairs_reviewers_edit_the_minimums_where_the_curriculum_is_edited(client, login, legal):
    url = reverse("mentoring:minimums_edit")
    login(MentorFactory())
    assert client.get(url).status_code == 403
    login(legal)
    response = client.post(url, {"shifts": "-1", "hours": "abc", "weeks": "12", "simulations": "3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="12"' in html and 'value="3"' in html  # what was typed is kept
    response = client.post(url, {"shifts": "40", "hours": "320", "weeks": "12", "simulations": "3"})
    assert response.status_code == 302
    minimums = CurriculumMinimums.objects.get()
    assert (minimums.shifts, minimums.hours, minimums.weeks, minimums.simulations) == (40, 320, 12, 3)
    assert minimums.updated_by == legal
    page = client.get(reverse("mentoring:competencies")).content.decode()
    assert "跟班不少于40个班次、320小时、12周，模拟办案不少于3件" in page


# --- alerts ---------------------------------------------------------------------------


def _alerts(mentorship, kind):
    return [a.message for a in selectors.alerts_for_mentorship(mentorship) if a.kind == kind]


def test_a_single_rating_of_1_or_2_is_an_alert():
    competency = CompetencyFactory(name="法律基础知识")
    mentorship = MentorshipFactory()
    log = ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=2))
    LogRatingFactory(log=log, competency=competency, rating=3)
    assert _alerts(mentorship, "very_low") == []
    LogRatingFactory(log=log, competency=CompetencyFactory(name="模拟办案"), rating=2, comment="不会操作系统")
    [message] = _alerts(mentorship, "very_low")
    assert "模拟办案" in message and "被评为2分" in message


def test_a_planned_end_passed_without_sign_off_is_an_alert():
    today = timezone.localdate()
    overdue = MentorshipFactory(started_on=today - dt.timedelta(days=100), planned_end_on=today - dt.timedelta(days=1))
    on_time = MentorshipFactory(started_on=today - dt.timedelta(days=10), planned_end_on=today + dt.timedelta(days=80))
    [message] = _alerts(overdue, "overdue")
    assert "尚未出师" in message and (today - dt.timedelta(days=1)).isoformat() in message
    assert _alerts(on_time, "overdue") == []


def test_logs_left_unacknowledged_more_than_three_days_are_an_alert():
    mentorship = MentorshipFactory()
    ShadowingLogFactory(mentorship=mentorship, submitted_at=timezone.now() - dt.timedelta(days=2),
                        date=timezone.localdate() - dt.timedelta(days=2))
    assert _alerts(mentorship, "unacknowledged") == []
    for days in (4, 5):
        ShadowingLogFactory(mentorship=mentorship, submitted_at=timezone.now() - dt.timedelta(days=days),
                            date=timezone.localdate() - dt.timedelta(days=days))
    ShadowingLogFactory(mentorship=mentorship, status=LogStatus.ACKNOWLEDGED,
                        submitted_at=timezone.now() - dt.timedelta(days=9), date=timezone.localdate() - dt.timedelta(days=9))
    assert _alerts(mentorship, "unacknowledged") == ["2条记录超过3天未确认"]


def test_alerts_on_the_overview_keep_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(5):
        m = MentorshipFactory()
        LogRatingFactory(log=ShadowingLogFactory(mentorship=m), rating=1, comment="差")
    with django_assert_max_num_queries(8):
        rows = selectors.mentorship_rows(Mentorship.objects.all())
    assert all(any(a.kind == "very_low" for a in r.alerts) for r in rows)


# --- a long shift, remedial minutes, promoting once -------------------------------------------


def test_a_shift_over_twelve_hours_is_confirmed_before_it_is_saved():
    competency = CompetencyFactory()
    mentorship = MentorshipFactory()
    typo = _entry(competency, 4, day=timezone.localdate() - dt.timedelta(days=1), start=dt.time(17), end=dt.time(8))
    with pytest.raises(ValidationError) as refused:
        services.shadowing_log_submit(mentorship=mentorship, author=mentorship.mentor, entry=typo)
    assert "这个班次长达15.0小时（17:00至次日08:00）" in str(refused.value)
    assert not mentorship.logs.exists()
    typo.long_shift_confirmed = True
    log = services.shadowing_log_submit(mentorship=mentorship, author=mentorship.mentor, entry=typo)
    assert log.duration_minutes == 15 * 60


def test_remedial_minutes_are_totalled_per_competency_and_overall(client, login):
    competency, other = CompetencyFactory(name="询问讯问与笔录制作"), CompetencyFactory(name="接处警")
    mentorship = MentorshipFactory()
    for days, minutes in ((1, 30), (2, 45)):
        services.shadowing_log_submit(
            mentorship=mentorship, author=mentorship.mentor,
            entry=_entry(competency, 4, day=timezone.localdate() - dt.timedelta(days=days),
                         remedials=[("笔录要素", minutes, competency.pk), ("执法记录仪", 10, None)]),
        )
    per, total = readiness.remedial_minutes(mentorship)
    assert per == {competency.pk: 75, None: 20} and total == 95
    login(mentorship.mentor)
    html = client.get(reverse("mentoring:mentorship", args=[mentorship.pk])).content.decode()
    assert "95分钟" in html and "补训75分钟" in html
    assert other.name in html


def test_promoting_twice_is_refused(legal):
    mentorship = MentorshipFactory(status="completed", final_proposed_at=timezone.now(),
                                   final_approved_at=timezone.now(), final_approved_by=legal)
    services.recruit_promote(mentorship=mentorship, by=legal)
    with pytest.raises(ValidationError, match="已于.*转为正式民警，不能重复操作"):
        services.recruit_promote(mentorship=mentorship, by=legal)


def test_chinese_text_uses_chinese_punctuation_on_the_shadowing_pages(client, login):
    mentorship = MentorshipFactory(recruit=RecruitFactory(name="吴新警"))
    login(mentorship.mentor)
    html = client.get(reverse("mentoring:log_create", args=[mentorship.pk])).content.decode()
    assert "新警： <strong>吴新警</strong>" in html and "新警:" not in html
    ended = MentorshipFactory(status="ended_early", end_reason="调离岗位", mentor=mentorship.mentor)
    html = client.get(reverse("mentoring:mentorship", args=[ended.pk])).content.decode()
    assert "提前结束： 调离岗位" in html
