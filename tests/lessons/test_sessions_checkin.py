"""Training sessions (issue 14): the rotating venue code and its QR code, one refusal
for every wrong code, a limit on wrong codes per officer, undoing a tick with a
record, and the yearly hours per officer and unit with their .xlsx."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from lessons import checkin, services
from lessons.models import Attendance, AttendanceRemoval, LessonCompletion, SessionKind
from lessons.qr import qr_svg
from officers.roles import Role, Tier
from tests.factories.lessons import TrainingSessionFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trainer():
    return OfficerFactory(name="陈教官", unit=LegalAffairsUnitFactory(), roles=[Role.TRAINER])


@pytest.fixture
def session(station, trainer):
    return TrainingSessionFactory(
        trainer=trainer, invited_units=[station], starts_at=NOW - dt.timedelta(minutes=30),
        ends_at=NOW + dt.timedelta(hours=1, minutes=30),
    )


def _check_in(client, code):
    return client.post(reverse("lessons:sessions"), {"code": code}, follow=True)


def test_the_venue_code_rotates_and_a_forwarded_code_expires(client, login, legal_officer, session):
    assert session.code_rotates  # the default for a new session
    login(legal_officer)
    with time_machine.travel(NOW, tick=False) as clock:
        shown, _left = checkin.current_code(session.checkin_secret)
        clock.shift(120)  # forwarded to a colleague who types it two minutes later
        html = _check_in(client, shown).content.decode()
        assert "该签到码无效" in html and not Attendance.objects.exists()
        # The session's fixed code does not work either while the code rotates.
        if session.code != checkin.current_code(session.checkin_secret)[0]:
            assert "该签到码无效" in _check_in(client, session.code).content.decode()
        shown, _left = checkin.current_code(session.checkin_secret)
        clock.shift(40)  # typed within the next step: still good
        html = _check_in(client, shown).content.decode()
    assert "出勤已记录" in html and Attendance.objects.filter(officer=legal_officer, session=session).exists()
    assert Attendance.objects.get().method == "code"


def test_codes_differ_by_session_and_by_step(session, station, trainer):
    other = TrainingSessionFactory(trainer=trainer, invited_units=[station])
    codes = {checkin.rotating_code(session.checkin_secret, step) for step in range(1000, 1010)}
    assert len(codes) >= 9  # a new code every 30 seconds
    assert checkin.rotating_code(session.checkin_secret, 5) != checkin.rotating_code(other.checkin_secret, 5)


def test_every_wrong_code_gets_the_same_refusal(legal_officer, session, station, trainer):
    """Before: 'no session has this code', 'not started', 'expired' and 'not invited'
    told a guesser which codes exist."""
    later = TrainingSessionFactory(trainer=trainer, invited_units=[station], code_rotates=False,
                                   starts_at=NOW + dt.timedelta(days=1))
    over = TrainingSessionFactory(trainer=trainer, invited_units=[station], code_rotates=False,
                                  starts_at=NOW - dt.timedelta(days=1))
    elsewhere = TrainingSessionFactory(trainer=trainer, invited_units=[UnitFactory(name="南城派出所")], code_rotates=False,
                                       starts_at=NOW - dt.timedelta(minutes=5))
    taken = {later.code, over.code, elsewhere.code}
    unknown = next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in taken)
    messages = []
    with time_machine.travel(NOW, tick=False):
        for code in [unknown, later.code, over.code, elsewhere.code]:
            with pytest.raises(services.CheckInRefused) as refused:
                services.attendance_record_by_code(officer=legal_officer, code=code)
            messages.append(re.sub(r"\d+", "N", refused.value.messages[0]))  # the tries left aside
    assert len(set(messages)) == 1
    assert not Attendance.objects.exists()


def test_five_wrong_codes_pause_check_in_for_the_officer(client, login, legal_officer, session, station):
    """Before: eight wrong codes in a row brought no delay."""
    colleague = OfficerFactory(unit=station)
    login(legal_officer)
    with time_machine.travel(NOW, tick=False) as clock:
        right = checkin.current_code(session.checkin_secret)[0]
        wrongs = [f"{n:06d}" for n in range(20) if f"{n:06d}" != right][:5]
        for code in wrongs:
            response = _check_in(client, code)
            assert response.status_code == 400
            assert code in response.content.decode()  # what was typed is kept
        html = _check_in(client, right).content.decode()
        assert "暂停 15 分钟" in html and not Attendance.objects.exists()
        # Another officer is not held back.
        services.attendance_record_by_code(officer=colleague, code=right)
        clock.shift(15 * 60 + 1)
        right = checkin.current_code(session.checkin_secret)[0]
        _check_in(client, right)
    assert Attendance.objects.filter(officer=legal_officer).exists()


def test_the_venue_screen_shows_the_current_code_and_its_qr_code(client, login, session, legal_officer):
    login(session.trainer)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("lessons:session_venue", args=[session.pk]))
        code, left = checkin.current_code(session.checkin_secret)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{code[:3]} {code[3:]}" in html and f'data-venue-refresh="{left}"' in html
    url = f"http://testserver{reverse('lessons:sessions')}?code={code}"
    assert qr_svg(url, scale=10) in html  # the QR code opens check-in with this code filled in
    assert "lessons/venue.js" in html and "<script>" not in html
    login(legal_officer)
    assert client.get(reverse("lessons:session_venue", args=[session.pk])).status_code == 403


def test_scanning_opens_check_in_with_the_code_filled(client, login, legal_officer, session):
    login(legal_officer)
    html = client.get(reverse("lessons:sessions"), {"code": "482913"}).content.decode()
    assert 'value="482913"' in html and "已填入现场二维码中的签到码" in html


def test_a_trainers_tick_can_be_undone_with_a_record(client, login, legal_officer, session):
    login(session.trainer)
    url = reverse("lessons:session_attendance", args=[session.pk])
    with time_machine.travel(NOW, tick=False):
        client.post(url, {"present": [legal_officer.pk]})
        assert Attendance.objects.filter(officer=legal_officer).exists()
        html = client.post(url, {"remove": legal_officer.pk, f"reason-{legal_officer.pk}": ""}, follow=True).content.decode()
        assert "请填写撤销签到的理由" in html and Attendance.objects.exists()
        html = client.post(
            url, {"remove": legal_officer.pk, f"reason-{legal_officer.pk}": "误勾选，本人未到场"}, follow=True
        ).content.decode()
    assert not Attendance.objects.exists()
    removal = AttendanceRemoval.objects.get()
    assert (removal.officer, removal.removed_by, removal.recorded_by, removal.method) == (
        legal_officer, session.trainer, session.trainer, "list"
    )
    assert "撤销记录" in html and "误勾选，本人未到场" in html and "王法制" in html


def test_yearly_hours_per_officer_and_unit_with_export(client, login, legal_officer, station, trainer, course, lessons):
    colleague = OfficerFactory(name="李民警", unit=station)
    head = OfficerFactory(name="张所长", unit=station, tier=Tier.MID_LEVEL)  # leads the station
    other_unit = UnitFactory(name="西城派出所")
    OfficerFactory(name="赵民警", unit=other_unit)
    spring = dt.datetime(2026, 4, 1, 1, tzinfo=dt.UTC)
    thematic = TrainingSessionFactory(trainer=trainer, invited_units=[station], starts_at=spring,
                                      ends_at=spring + dt.timedelta(hours=3))
    on_site = TrainingSessionFactory(trainer=trainer, invited_units=[station], kind=SessionKind.ON_SITE,
                                     starts_at=spring + dt.timedelta(days=30),
                                     ends_at=spring + dt.timedelta(days=30, hours=1, minutes=30))
    last_year = TrainingSessionFactory(trainer=trainer, invited_units=[station], starts_at=spring - dt.timedelta(days=365))
    for session in (thematic, on_site, last_year):
        Attendance.objects.create(session=session, officer=legal_officer, method="list", recorded_by=trainer)
    Attendance.objects.create(session=thematic, officer=colleague, method="code")
    LessonCompletion.objects.create(officer=legal_officer, lesson=lessons[0], course=course, study_seconds=2700,
                                    completed_at=spring)

    login(trainer)
    html = client.get(reverse("lessons:training_report"), {"year": 2026}).content.decode()
    assert "2026 年度培训学时" in html
    response = client.get(reverse("lessons:training_report_export"), {"year": 2026})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按所队统计", "按民警"]
    officers = {r[2]: r for r in book["按民警"].iter_rows(min_row=5, values_only=True)}
    # 学时 of 45 minutes: sessions of 3 h and 1.5 h are 4 and 2; 45 minutes on lesson pages is 1.
    # thematic 1, on-site 1, attendances 2, session 学时 6, lecture hall 1, courses 0, total 7
    assert officers["王法制"][3:] == (1, 1, 2, 6.0, 1.0, 0, 7.0)
    assert officers["李民警"][3:] == (1, 0, 1, 4.0, 0.0, 0, 4.0)
    units = {r[0]: r for r in book["按所队统计"].iter_rows(min_row=5, values_only=True)}
    assert units["东城派出所"][1:5] == (3, 2, 3, 11.0)  # officers, who attended, attendances, 学时
    assert units["西城派出所"][1:5] == (1, 0, 0, 0.0)
    assert book["按民警"].auto_filter.ref.startswith("A4:")

    login(head)  # a unit head: their own unit only
    html = client.get(reverse("lessons:training_report"), {"year": 2026}).content.decode()
    assert "王法制" in html and "赵民警" not in html
    login(colleague)
    assert client.get(reverse("lessons:training_report")).status_code == 403
    assert client.get(reverse("lessons:training_report_export")).status_code == 403
