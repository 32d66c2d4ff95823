# ruff: noqa: F811 - `world`, the fixture of test_views, is imported and taken by name
"""Issue 12, "the record must be what was signed": versions and stale acknowledgement,
the lock after 出师, two devices on one draft, objections, and the training record PDF.

Each test failed on the code before this change (no versions, acknowledgement of any
version, edits after approval, silent draft overwrites, no objections, 8 logs in the PDF).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    LogDraft,
    LogObjection,
    LogStatus,
    LogVersion,
    MentorshipStatus,
    ShadowingLog,
)
from mentoring.services import LogEntry, RatingEntry
from tests.factories.mentoring import LogRatingFactory, ShadowingLogFactory
from tests.mentoring.test_views import log_post, world  # noqa: F401
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _entry(competency, *, start="17:00", end="08:00", rating=5, best="夜班处置冷静", **kwargs):
    values = {
        "date": timezone.localdate() - dt.timedelta(days=4),
        "start_time": dt.time.fromisoformat(start), "end_time": dt.time.fromisoformat(end),
        "best": best, "worst": "照片不全", "next_plan": "练习笔录",
        "ratings": {competency.pk: RatingEntry(rating=rating, comment="说明" if rating in (1, 2, 7) else "")},
        "long_shift_confirmed": True,  # the 15-hour night shift is meant
    }
    values.update(kwargs)
    return LogEntry(**values)


def _submitted(world, **kwargs):
    m = world["m"]
    return services.shadowing_log_submit(mentorship=m, author=m.mentor, entry=_entry(world["competency"], **kwargs))


def _correction(world, log, **kwargs):
    data = log_post(world["competency"], date=log.date.isoformat(), **kwargs)
    data["base_version"] = str(log.version)
    return data


# --- 1. versions and stale acknowledgement ------------------------------------------------


def test_acknowledging_a_version_corrected_since_is_refused_with_the_changes(world, client, login):
    log = _submitted(world)
    login(world["recruit"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert 'name="version" value="1"' in page  # the form names the version shown
    # The mentor corrects the log meanwhile: 08:30–12:30, the rating from 5 to 3.
    login(world["mentor"])
    response = client.post(
        reverse("mentoring:log_edit", args=[log.pk]),
        _correction(world, log, start_time="08:30", end_time="12:30", **{f"rating_{world['competency'].pk}": "3"}),
    )
    assert response.status_code == 302
    # The recruit taps 我已阅读此记录 on the stale page, with a comment about the night shift.
    login(world["recruit"])
    response = client.post(
        reverse("mentoring:log_acknowledge", args=[log.pk]), {"version": "1", "comment": "夜班时我在场"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "在您打开后更正了这条记录" in page
    assert "17:00–08:00" in page and "08:30–12:30" in page  # the time, before and now
    assert "评分：接处警" in page  # the rating changed
    assert "夜班时我在场" in page  # the comment is kept
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED and log.acknowledged_at is None
    # Acknowledging the version now shown locks exactly that version.
    response = client.post(reverse("mentoring:log_acknowledge", args=[log.pk]), {"version": "2", "comment": "已阅"})
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.ACKNOWLEDGED and log.acknowledged_version == 2 == log.version


def test_an_acknowledgement_without_a_version_is_refused(world):
    log = _submitted(world)
    with pytest.raises(services.StaleLogVersion):
        services.shadowing_log_acknowledge(log=log, recruit=world["recruit"], version=None)


def test_every_change_to_a_submitted_log_is_a_version_with_who_when_and_what(world, client, login):
    log = _submitted(world)
    m = world["m"]
    services.shadowing_log_update(
        log=log, author=m.mentor, entry=_entry(world["competency"], start="08:30", end="12:30", rating=3,
                                               best="上午处置冷静"),
        base_version=1,
    )
    log.refresh_from_db()
    services.shadowing_log_update(  # saved again unchanged: no new version for the recruit to read
        log=log, author=m.mentor, entry=_entry(world["competency"], start="08:30", end="12:30", rating=3,
                                               best="上午处置冷静"),
        base_version=2,
    )
    log.refresh_from_db()
    assert log.version == 2
    assert list(LogVersion.objects.filter(log=log).values_list("number", "author")) == [(1, m.mentor_id), (2, m.mentor_id)]
    login(world["recruit"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "修改记录" in page and "第 2 版" in page and "刘师傅" in page
    assert "夜班处置冷静" in page and "上午处置冷静" in page  # what went best, before and after


def test_a_correction_opened_on_an_older_version_is_refused_and_keeps_the_text(world, client, login):
    log = _submitted(world)
    login(world["mentor"])
    first = _correction(world, log, best="第一台手机的更正")
    second = _correction(world, log, best="第二台手机的更正")
    assert client.post(reverse("mentoring:log_edit", args=[log.pk]), first).status_code == 302
    response = client.post(reverse("mentoring:log_edit", args=[log.pk]), second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "第二台手机的更正" in page and "第一台手机的更正" in page
    log.refresh_from_db()
    assert log.best == "第一台手机的更正" and log.version == 2
    assert 'name="base_version" value="2"' in page  # saving again is on the current version
    assert client.post(reverse("mentoring:log_edit", args=[log.pk]), {**second, "base_version": "2"}).status_code == 302
    log.refresh_from_db()
    assert log.best == "第二台手机的更正" and log.version == 3


def test_the_recruit_sees_what_changed_since_they_last_read_the_log(world, client, login):
    log = _submitted(world)
    login(world["recruit"])
    assert "自您上次阅读" not in client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    services.shadowing_log_update(
        log=log, author=world["mentor"], entry=_entry(world["competency"], best="改过的表现"), base_version=1
    )
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "自您上次阅读（第 1 版）以来的修改" in page and "改过的表现" in page and "夜班处置冷静" in page
    # Read now: the next visit shows no changes.
    assert "自您上次阅读" not in client.get(reverse("mentoring:log", args=[log.pk])).content.decode()


# --- 2. locked after 出师 ------------------------------------------------------------------


def _proposed(world):
    m = world["m"]
    services.competency_sign_off(mentorship=m, competency=world["competency"], by=m.mentor)
    services.final_sign_off_propose(mentorship=m, by=m.mentor)
    return m


def test_final_approval_needs_every_log_acknowledged_or_a_reason_recorded(world, client, login):
    m = _proposed(world)
    log = world["log"]
    login(world["legal"])
    url = reverse("mentoring:final_approve", args=[m.pk])
    page = client.get(url).content.decode()
    assert "1 份带教记录新警尚未确认" in page and log.date.isoformat() in page
    response = client.post(url, {"opinion": "同意出师。"})
    assert response.status_code == 400
    assert "尚未确认" in response.content.decode() and "同意出师。" in response.content.decode()  # kept
    m.refresh_from_db()
    assert m.status != MentorshipStatus.COMPLETED
    response = client.post(url, {"opinion": "同意出师。", "unacknowledged_reason": "新警已调岗，当面核对过记录"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == MentorshipStatus.COMPLETED and m.unacknowledged_reason == "新警已调岗，当面核对过记录"
    page = client.get(reverse("mentoring:mentorship", args=[m.pk])).content.decode()
    assert "新警已调岗，当面核对过记录" in page and "同意出师。" in page


def test_after_approval_every_log_is_locked_addenda_only(world, client, login):
    m = _proposed(world)
    log = world["log"]  # rated 5 and never acknowledged
    services.final_sign_off_approve(mentorship=m, by=world["legal"], unacknowledged_reason="当面核对")
    log.refresh_from_db()
    assert log.is_locked
    # The mentor cannot change the rating from 5 to 1 afterwards: not in services ...
    with pytest.raises(ValidationError, match="锁定"):
        services.shadowing_log_update(
            log=log, author=m.mentor, entry=_entry(world["competency"], rating=1, date=log.date)
        )
    with pytest.raises(ValidationError):
        services.shadowing_log_acknowledge(log=log, recruit=m.recruit, version=log.version)
    # ... nor through the pages, which offer no correction either.
    login(world["mentor"])
    response = client.post(reverse("mentoring:log_edit", args=[log.pk]),
                           log_post(world["competency"], **{f"rating_{world['competency'].pk}": "1",
                                                            f"comment_{world['competency'].pk}": "差"}))
    assert response.status_code == 302
    assert log.ratings.get().rating == 5
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert reverse("mentoring:log_edit", args=[log.pk]) not in page
    assert "补充说明" in page  # addenda remain
    response = client.post(reverse("mentoring:log_addendum", args=[log.pk]), {"text": "补充：出师后核对无误"})
    assert response.status_code == 302 and log.addenda.get().text == "补充：出师后核对无误"
    login(world["recruit"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "我已阅读此记录" not in page


# --- 3. two devices, one draft; a session that ends -----------------------------------------


def test_two_devices_on_one_draft_see_a_conflict_instead_of_overwriting(world, client, login):
    m = world["m"]
    login(world["mentor"])
    url = reverse("mentoring:log_draft", args=[m.pk])
    # Both phones opened the form on no draft (revision 0).
    a = client.post(url, {"best": "手机甲写的", "draft_revision": "0"})
    assert a.status_code == 200 and a.json()["revision"] == 1
    b = client.post(url, {"best": "手机乙写的", "draft_revision": "0"})
    assert b.status_code == 409
    assert b.json()["conflict"] is True and b.json()["data"]["best"] == "手机甲写的" and b.json()["revision"] == 1
    assert LogDraft.objects.get(mentorship=m).data["best"] == "手机甲写的"  # nothing overwritten
    # A retry of a save that did land is not a conflict.
    assert client.post(url, {"best": "手机甲写的", "draft_revision": "0"}).status_code == 200
    # Phone B keeps its own text: it saves on the revision it was shown.
    b = client.post(url, {"best": "手机乙写的", "draft_revision": "1"})
    assert b.status_code == 200 and b.json()["revision"] == 2
    assert LogDraft.objects.get(mentorship=m).data == {"best": "手机乙写的"}
    # A revision that is no number is refused in words.
    assert client.post(url, {"best": "x", "draft_revision": "1e400"}).status_code == 400


def test_a_second_submit_of_the_same_draft_keeps_its_text_as_a_correction(world, client, login):
    m = world["m"]
    login(world["mentor"])
    url = reverse("mentoring:log_create", args=[m.pk])
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    first = log_post(world["competency"], date=day, form_token="t" * 32, best="第一台手机提交的")
    second = {**first, "best": "第二台手机提交的"}
    assert client.post(url, first).status_code == 302
    log = ShadowingLog.objects.get(form_token="t" * 32)
    response = client.post(url, second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "已经从另一台设备提交" in page
    assert "第二台手机提交的" in page and "第一台手机提交的" in page
    assert f'action="{reverse("mentoring:log_edit", args=[log.pk])}"' in page
    # The mentor saves it as a correction: a new version, nothing lost.
    correction = {**second, "base_version": "1"}
    correction.pop("form_token")
    assert client.post(reverse("mentoring:log_edit", args=[log.pk]), correction).status_code == 302
    log.refresh_from_db()
    assert log.best == "第二台手机提交的" and log.version == 2
    assert ShadowingLog.objects.filter(mentorship=m).count() == 2  # the world's log and this one
    # The very same form sent twice is still just the one log.
    again = client.post(url, {**first, "best": "第二台手机提交的"})
    assert again.status_code == 302


def test_a_draft_save_after_the_session_ended_answers_401_not_the_login_page(world, client):
    m = world["m"]
    response = client.post(
        reverse("mentoring:log_draft", args=[m.pk]), {"best": "写到一半", "draft_revision": "0"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest", HTTP_ACCEPT="application/json",
        HTTP_REFERER=f"http://testserver{reverse('mentoring:log_create', args=[m.pk])}",
    )
    assert response.status_code == 401
    data = response.json()
    assert data["session_expired"] is True and "登录已过期" in data["error"]
    # Back to the form after logging in, never to the draft endpoint (a GET there is a 405).
    assert "logs%2Fnew" in data["login_url"] and "draft" not in data["login_url"]


# --- 5. objections -----------------------------------------------------------------------


def test_the_recruit_objects_and_the_mentor_answers_on_the_log(world, client, login):
    log = world["log"]
    login(world["recruit"])
    url = reverse("mentoring:log_objection", args=[log.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "必填" in response.content.decode()
    assert client.post(url, {"reason": "盘查是我独立完成的，不是协助"}).status_code == 302
    objection = LogObjection.objects.get(log=log)
    assert objection.raised_by == world["recruit"] and objection.log_version == 1
    login(world["colleague"])
    assert client.post(url, {"reason": "别人的异议"}).status_code == 404
    login(world["recruit"])
    answer_url = reverse("mentoring:log_objection_answer", args=[log.pk, objection.pk])
    assert client.post(answer_url, {"answer": "自问自答"}).status_code == 403
    login(world["mentor"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "盘查是我独立完成的，不是协助" in page and "答复异议" in page
    response = client.post(answer_url, {"answer": "核实视频后确认，已补充说明"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.answer == "核实视频后确认，已补充说明" and objection.answered_by == world["mentor"]
    response = client.post(answer_url, {"answer": "再答一次"}, follow=True)  # refused: answered once, kept
    assert "这条异议已经答复过了" in response.content.decode()
    objection.refresh_from_db()
    assert objection.answer == "核实视频后确认，已补充说明"
    login(world["leader"])
    page = client.get(reverse("mentoring:log", args=[log.pk])).content.decode()
    assert "盘查是我独立完成的，不是协助" in page and "核实视频后确认，已补充说明" in page


# --- 6. the training record PDF -------------------------------------------------------------


def test_the_record_prints_every_log_totals_corrections_objections_opinion_and_signatures(world, client, login):
    m = world["m"]
    competency = world["competency"]
    start = timezone.localdate() - dt.timedelta(days=20)
    type(m).objects.filter(pk=m.pk).update(started_on=start - dt.timedelta(days=1))
    m.refresh_from_db()
    for i in range(12):
        log = ShadowingLogFactory(mentorship=m, date=start + dt.timedelta(days=i), best=f"第{i + 1}班表现好",
                                  not_responding=i == 3, is_simulation=i % 4 == 0)
        LogRatingFactory(log=log, competency=competency, rating=5)
    corrected = services.shadowing_log_submit(
        mentorship=m, author=m.mentor,
        entry=_entry(competency, date=start + dt.timedelta(days=15), start="08:00", end="12:00",
                     remedials=[("询问笔录", 30)]),
    )
    services.shadowing_log_update(
        log=corrected, author=m.mentor, base_version=1,
        entry=_entry(competency, date=start + dt.timedelta(days=15), start="08:00", end="12:30",
                     remedials=[("询问笔录", 30)]),
    )
    objection = services.log_objection_raise(log=corrected, recruit=m.recruit, reason="时间记录不准")
    services.log_objection_answer(objection=objection, by=m.mentor, answer="已按执勤表更正")
    _proposed(world)
    services.final_sign_off_approve(
        mentorship=m, by=world["legal"], opinion="经审核同意出师。", unacknowledged_reason="新警当面核对"
    )
    login(world["recruit"])
    response = client.get(reverse("mentoring:record_pdf", args=[m.pk]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    flat = "".join(text.split())
    for i in range(12):  # every log, not the last 8
        assert f"第{i + 1}班表现好" in flat
    assert "全部14份" in flat  # the world's log, twelve, the corrected one
    assert "补训时长" in flat and "30分钟" in flat
    assert "第2版" in flat and "12:00" in flat and "12:30" in flat  # the correction
    assert "时间记录不准" in flat and "已按执勤表更正" in flat  # the objection thread
    assert "经审核同意出师。" in flat and "新警当面核对" in flat  # the approval opinion
    assert "接处警签字确认" in flat or "接处警" in flat
    for block in ("带教民警", "新警", "所队负责人", "法制大队", "盖章"):
        assert block in flat


def test_the_record_is_rendered_once_and_kept_until_it_changes(world, client, login, monkeypatch):
    m = world["m"]
    renders = []
    real = services.record_render_pdf

    def counting(*, mentorship):
        renders.append(mentorship.pk)
        return real(mentorship=mentorship)

    monkeypatch.setattr(services, "record_render_pdf", counting)
    login(world["recruit"])
    url = reverse("mentoring:record_pdf", args=[m.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(renders) == 1  # kept: the second view renders nothing
    services.log_objection_raise(log=world["log"], recruit=m.recruit, reason="评分偏低")
    response = client.get(url)
    assert response.status_code == 200 and len(renders) == 2  # the record changed: printed anew
    assert "评分偏低" in pdf_text(b"".join(response.streaming_content))
