"""Pages as officers use them: who sees what, what the buttons do, how many queries."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lessons.models import Attendance, CourseCompletion, LessonCompletion
from officers.roles import Role, Tier
from tests.factories.lessons import (
    CoursePageFactory,
    LessonPageFactory,
    TrainingSessionFactory,
    check_answers,
    knowledge_check,
    rich_text,
    studied,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def _finish(client, lessons, officer):
    for lesson in lessons:
        studied(officer, lesson)
    client.post(reverse("lessons:lesson_complete", args=[lessons[0].pk]))
    block_id, right = check_answers(lessons[1])
    data = {f"q-{k}": v for k, v in right.items()}
    checked = client.post(reverse("lessons:knowledge_check", args=[lessons[1].pk, block_id]), data, follow=True)
    assert "检测通过" in checked.content.decode()
    return client.post(reverse("lessons:lesson_complete", args=[lessons[1].pk]), follow=True)


def test_passing_a_check_mid_lesson_does_not_complete_it(client, login, legal_officer, course):
    """Completion needs both: the end reached (its action) and every check passed."""
    lesson = LessonPageFactory(
        parent=course, title="第三讲", body=[rich_text(), knowledge_check(), rich_text("<p>检测之后还有内容。</p>")]
    )
    login(legal_officer)
    studied(legal_officer, lesson)
    html = client.get(lesson.url).content.decode()
    assert "标记为完成" not in html  # the end's action waits for the check
    client.post(reverse("lessons:lesson_complete", args=[lesson.pk]))
    assert not LessonCompletion.objects.exists()
    block_id, right = check_answers(lesson)
    html = client.post(
        reverse("lessons:knowledge_check", args=[lesson.pk, block_id]),
        {f"q-{k}": v for k, v in right.items()}, follow=True,
    ).content.decode()
    assert "检测通过" in html and "读到本讲末尾" in html
    assert not LessonCompletion.objects.exists()
    assert "标记为完成" in html
    response = client.post(reverse("lessons:lesson_complete", args=[lesson.pk]), follow=True)
    assert "本讲已完成" in response.content.decode()
    assert LessonCompletion.objects.filter(officer=legal_officer, lesson=lesson).exists()


def test_my_courses_lists_required_first_with_due_date_and_overdue(client, login, legal_officer, course, lessons, hall):
    CoursePageFactory(parent=hall, title="选修课")
    with time_machine.travel(dt.datetime(2027, 1, 10, tzinfo=dt.UTC)):
        login(legal_officer)  # inside: a session from "before" would have expired
        html = client.get(reverse("lessons:my_courses")).content.decode()
    assert html.index("刑事强制措施") < html.index("选修课")
    assert "2026-12-31" in html and "逾期" in html


def test_completing_a_course_through_the_pages_gives_a_certificate(client, login, legal_officer, course, lessons):
    login(legal_officer)
    response = _finish(client, lessons, legal_officer)
    assert "通过" in response.content.decode()
    completion = CourseCompletion.objects.get(officer=legal_officer)
    pdf = client.get(reverse("lessons:certificate_download", args=[course.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    verify = client.get(reverse("lessons:certificate_verify"), {"number": completion.certificate_number.lower()})
    assert "王法制" in verify.content.decode()


def test_a_failed_check_says_so_and_completes_nothing(client, login, legal_officer, lessons):
    login(legal_officer)
    block_id, wrong = check_answers(lessons[1], right=False)
    response = client.post(
        reverse("lessons:knowledge_check", args=[lessons[1].pk, block_id]),
        {f"q-{k}": v for k, v in wrong.items()}, follow=True,
    )
    assert "未通过" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_someone_elses_certificate_is_not_found(client, login, legal_officer, course):
    CourseCompletion.objects.create(officer=legal_officer, course=course)
    login(OfficerFactory())
    assert client.get(reverse("lessons:certificate_download", args=[course.pk])).status_code == 404


def test_an_unknown_certificate_number_is_reported(client, login, legal_officer):
    login(legal_officer)
    html = client.get(reverse("lessons:certificate_verify"), {"number": "YJ-2026-AAAA-BBBB"}).content.decode()
    assert "YJ-2026-AAAA-BBBB" in html and "没有" in html


def test_completing_a_lesson_of_an_unpublished_course_is_refused(client, login, legal_officer, course, lessons):
    course.unpublish()
    login(legal_officer)
    response = client.post(reverse("lessons:lesson_complete", args=[lessons[0].pk]), follow=True)
    assert "未发布" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_an_outsider_is_told_reading_does_not_count(client, login, station, lessons):
    login(OfficerFactory(unit=station))
    html = client.get(lessons[0].url).content.decode()
    assert "不计入" in html
    client.post(reverse("lessons:lesson_complete", args=[lessons[0].pk]))
    assert not LessonCompletion.objects.exists()


def test_my_courses_runs_a_constant_number_of_queries(client, login, legal_officer, hall, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(legal_officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("lessons:my_courses")).status_code == 200
        return len(ctx)

    course = CoursePageFactory(parent=hall, audience_roles=["legal_officer"])
    LessonPageFactory(parent=course)
    count()  # warm Wagtail's cached site root paths
    small = count()
    for _ in range(3):
        more = CoursePageFactory(parent=hall, is_required=True, due_on=dt.date(2026, 1, 1))
        for _ in range(3):
            LessonPageFactory(parent=more)
    assert count() == small
    # The ceiling includes the shared site navigation (16 since mentoring added a link check).
    with django_assert_max_num_queries(16):
        client.get(reverse("lessons:my_courses"))


# --- sessions -----------------------------------------------------------------


@pytest.fixture
def session(station):
    trainer = OfficerFactory(name="陈教官", roles=[Role.TRAINER])
    # The fixed code (the venue's rotating code is tested in test_sessions_checkin.py).
    return TrainingSessionFactory(trainer=trainer, invited_units=[station], code_rotates=False)


def test_check_in_with_the_session_code(client, login, legal_officer, session):
    login(legal_officer)
    response = client.post(reverse("lessons:sessions"), {"code": session.code}, follow=True)
    assert "已记录" in response.content.decode() or Attendance.objects.filter(officer=legal_officer).exists()
    assert Attendance.objects.get().method == "code"


def test_a_wrong_code_gets_a_clear_message(client, login, legal_officer, session):
    login(legal_officer)
    wrong = "123456" if session.code != "123456" else "654321"
    response = client.post(reverse("lessons:sessions"), {"code": wrong})
    assert response.status_code == 400
    assert wrong in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_trainer_ticks_the_invited_officers(client, login, legal_officer, session):
    login(session.trainer)
    url = reverse("lessons:session_attendance", args=[session.pk])
    assert "王法制" in client.get(url).content.decode()
    client.post(url, {"present": [legal_officer.pk]})
    assert Attendance.objects.get().officer == legal_officer
    response = client.post(url, {"present": [legal_officer.pk]}, follow=True)
    assert "已登记出勤：王法制" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_only_the_sessions_trainer_or_legal_affairs_take_the_list(client, login, legal_officer, session):
    url = reverse("lessons:session_attendance", args=[session.pk])
    login(legal_officer)
    assert client.get(url).status_code == 403
    login(OfficerFactory(unit=LegalAffairsUnitFactory()))  # the unit alone gives no power
    assert client.get(url).status_code == 403
    login(OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER]))
    assert client.get(url).status_code == 200
    assert client.get(reverse("lessons:session_attendance", args=[session.pk + 999])).status_code == 404


def test_sessions_page_shows_the_years_figures(client, login, legal_officer, session):
    login(legal_officer)
    html = client.get(reverse("lessons:sessions")).content.decode()
    assert "专题培训" in html and session.topic in html


@pytest.mark.parametrize("asked", ["0", "-1", "10000", "abc", "99999999999999999999"])
def test_an_impossible_year_shows_this_year(client, login, legal_officer, session, asked):
    login(legal_officer)
    response = client.get(reverse("lessons:sessions"), {"year": asked})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert session.topic in response.content.decode()


# --- dashboard ------------------------------------------------------------------


def test_dashboard_access(client, login, legal_officer, course):
    url = reverse("lessons:dashboard_course", args=[course.pk])
    login(legal_officer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("lessons:dashboard")).status_code == 403
    login(OfficerFactory(roles=[Role.TRAINER]))
    assert client.get(url).status_code == 200
    assert client.get(reverse("lessons:dashboard_course", args=[999999])).status_code == 404


def test_a_station_head_sees_only_their_unit(client, login, legal_officer, course):
    OfficerFactory(unit=UnitFactory(name="西城派出所"), roles=[Role.LEGAL_OFFICER], name="孙民警")
    head = OfficerFactory(unit=legal_officer.unit, tier=Tier.MID_LEVEL)
    login(head)
    html = client.get(reverse("lessons:dashboard_course", args=[course.pk])).content.decode()
    assert "东城派出所" in html and "西城派出所" not in html
    sheet = client.get(reverse("lessons:dashboard_export", args=[course.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[4:]] == ["王法制"]  # below the title rows and the header


def test_dashboard_lists_a_units_officers_and_exports(client, login, legal_officer, course, lessons):
    login(OfficerFactory(roles=[Role.TRAINER]))
    html = client.get(reverse("lessons:dashboard_course", args=[course.pk]), {"unit": legal_officer.unit_id}).content.decode()
    assert "王法制" in html
    response = client.get(reverse("lessons:dashboard_export", args=[course.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_course_title_with_characters_a_sheet_name_refuses_still_exports(client, login, legal_officer, course):
    """Excel refuses / \\ ? * [ ] : in a sheet's name; units name the sheets, the title row keeps the course's."""
    course.title = "刑事诉讼/强制措施: 拘留?[一]*"
    course.save()
    legal_officer.unit.name = "刑侦/重案:中队"
    legal_officer.unit.save()
    login(OfficerFactory(roles=[Role.TRAINER]))
    response = client.get(reverse("lessons:dashboard_export", args=[course.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.active["A1"].value == "课程：刑事诉讼/强制措施: 拘留?[一]*"
    assert "刑侦_重案_中队" in workbook.sheetnames
    assert not any(set(name) & set("/\\?*[]:") for name in workbook.sheetnames)


def test_dashboard_runs_a_constant_number_of_queries(client, login, course, lessons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(OfficerFactory(roles=[Role.TRAINER]))
    url = reverse("lessons:dashboard_course", args=[course.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    OfficerFactory(roles=[Role.LEGAL_OFFICER])
    count()  # warm Wagtail's cached site root paths
    small = count()
    for i in range(5):
        OfficerFactory(unit=UnitFactory(name=f"第{i}派出所"), roles=[Role.LEGAL_OFFICER])
    LessonPageFactory(parent=course)
    assert count() == small


def test_a_units_officers_come_in_a_constant_number_of_queries(client, login, legal_officer, course, lessons):
    """?unit= lists that unit's officers only, counted and filtered in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = OfficerFactory(unit=UnitFactory(name="西城派出所"), roles=[Role.LEGAL_OFFICER], name="孙民警")
    login(OfficerFactory(roles=[Role.TRAINER]))
    url = reverse("lessons:dashboard_course", args=[course.pk])

    def get():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"unit": legal_officer.unit_id})
        return response, len(ctx)

    get()
    response, small = get()
    assert [o.name for o in response.context["selected"].officers] == ["王法制"]
    assert other.name not in response.content.decode()
    for _ in range(5):
        OfficerFactory(unit=legal_officer.unit, roles=[Role.LEGAL_OFFICER])
    response, more = get()
    assert more == small and response.context["selected"].total == 6
    assert client.get(url, {"unit": "x"}).status_code == 200


def test_a_trainer_adds_a_session_in_the_admin(client, login, station):
    from django.contrib.auth.models import Group, Permission

    trainer = OfficerFactory(name="陈教官", roles=[Role.TRAINER])
    group = Group.objects.get(name=Role.TRAINER)
    group.permissions.add(*Permission.objects.filter(codename__in=["add_trainingsession", "change_trainingsession", "view_trainingsession", "access_admin"]))
    bystander = OfficerFactory(name="路人甲")
    login(trainer)
    page = client.get(reverse("training_sessions:add"))
    assert page.status_code == 200
    form = page.context["form"]
    assert trainer in form.fields["trainer"].queryset and bystander not in form.fields["trainer"].queryset
    response = client.post(reverse("training_sessions:add"), {
        "kind": "on_site", "topic": "送教上门：取保候审", "starts_at": "2026-11-25 09:00", "ends_at": "2026-11-25 11:00",
        "place": "东城派出所", "trainer": trainer.pk, "invited_units": [station.pk], "code": "135790",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    from lessons.models import TrainingSession

    assert TrainingSession.objects.get().invited_units.get() == station


@pytest.mark.parametrize("field, value", [("starts_at", "0001-01-01 00:00"), ("ends_at", "9999-12-31 23:59")])
def test_the_admin_refuses_a_session_dated_off_the_calendar_in_chinese(client, login, station, field, value):
    from django.contrib.auth.models import Group, Permission

    from lessons.models import TrainingSession

    trainer = OfficerFactory(name="陈教官", roles=[Role.TRAINER])
    Group.objects.get(name=Role.TRAINER).permissions.add(
        *Permission.objects.filter(codename__in=["add_trainingsession", "view_trainingsession", "access_admin"])
    )
    login(trainer)
    data = {
        "kind": "on_site", "topic": "送教上门：取保候审", "starts_at": "2026-11-25 09:00", "ends_at": "2026-11-25 11:00",
        "place": "东城派出所", "trainer": trainer.pk, "invited_units": [station.pk], "code": "135790",
    }
    response = client.post(reverse("training_sessions:add"), {**data, field: value})
    assert response.status_code == 200 and "10 年" in response.context["form"].errors[field][0]
    assert not TrainingSession.objects.exists()


def test_the_admin_refuses_a_bad_or_clashing_session_code(client, login, station, session):
    from django.contrib.auth.models import Group, Permission

    from lessons.models import TrainingSession

    trainer = session.trainer
    Group.objects.get(name=Role.TRAINER).permissions.add(
        *Permission.objects.filter(codename__in=["add_trainingsession", "view_trainingsession", "access_admin"])
    )
    login(trainer)
    starts = timezone.localtime(session.starts_at + dt.timedelta(minutes=10))
    data = {
        "kind": "on_site", "topic": "送教上门：询问笔录", "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "place": "东城派出所", "trainer": trainer.pk, "invited_units": [station.pk],
    }
    response = client.post(reverse("training_sessions:add"), {**data, "code": "ab"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["签到码为六位数字。"]
    response = client.post(reverse("training_sessions:add"), {**data, "code": session.code})
    assert response.status_code == 200
    assert "同一时间" in response.context["form"].errors["code"][0]
    assert TrainingSession.objects.count() == 1
    # The same code on another day is fine.
    later = {**data, "starts_at": "2030-01-02 09:00", "ends_at": "2030-01-02 11:00"}
    assert client.post(reverse("training_sessions:add"), {**later, "code": session.code}).status_code == 302


def test_check_in_asks_for_six_digits(client, login, legal_officer, session):
    login(legal_officer)
    response = client.post(reverse("lessons:sessions"), {"code": "ab"})
    assert response.status_code == 400
    assert "签到码为六位数字" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_brigade_head_sees_the_squads_beneath_the_brigade(client, login, course):
    brigade = UnitFactory(name="刑侦大队")
    squad = UnitFactory(name="刑侦大队重案中队", parent=brigade)
    OfficerFactory(unit=squad, roles=[Role.LEGAL_OFFICER], name="钱中队")
    OfficerFactory(unit=UnitFactory(name="交警大队"), roles=[Role.LEGAL_OFFICER], name="吴交警")

    login(OfficerFactory(unit=brigade, tier=Tier.MID_LEVEL))  # 大队长
    html = client.get(reverse("lessons:dashboard_course", args=[course.pk])).content.decode()
    assert "刑侦大队重案中队" in html and "交警大队" not in html
    sheet = client.get(reverse("lessons:dashboard_export", args=[course.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[4:]] == ["钱中队"]

    login(OfficerFactory(unit=squad, tier=Tier.MID_LEVEL))  # 中队长: the squad only
    html = client.get(reverse("lessons:dashboard_course", args=[course.pk])).content.decode()
    assert "刑侦大队重案中队" in html
