"""Certificates (issue 14): the course name whole on its line, the full verification
address with its QR code, what was done (学时, checks), a seal area, and a unit's
certificates in one PDF."""

import base64
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lessons import services
from lessons.models import CourseCompletion
from lessons.qr import qr_svg
from officers.roles import Role, Tier
from tests.factories.lessons import CoursePageFactory, LessonPageFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

LONG_TITLE = "公安机关办理行政案件中的证据收集审查与非法证据排除实务"  # 26 characters


@pytest.fixture
def long_course(hall):
    course = CoursePageFactory(parent=hall, title=LONG_TITLE, slug="evidence")
    LessonPageFactory(parent=course, title="第一讲 证据的种类")
    return course


def _completion(officer, course, **facts):
    defaults = {"study_seconds": 4500, "lesson_count": 3, "checks_passed": 2}
    return CourseCompletion.objects.create(officer=officer, course=course, **{**defaults, **facts})


def _lines(pdf: bytes) -> list[str]:
    return ["".join(line.split()) for line in pdf_text(pdf).splitlines()]


def test_the_certificate_keeps_the_course_name_on_one_line(legal_officer, long_course):
    """Before: the name ran on in the sentence and broke mid-word at the line's end."""
    pdf = services.certificate_render_pdf(completion=_completion(legal_officer, long_course))
    assert any(f"《{LONG_TITLE}》" in line for line in _lines(pdf))


def test_the_certificate_states_what_was_done(legal_officer, long_course):
    pdf = services.certificate_render_pdf(completion=_completion(legal_officer, long_course))
    text = "".join(pdf_text(pdf).split())
    # 4,500 s is 1 h 15 min, 1.7 credit hours of 45 minutes; 3 lessons; 2 checks passed.
    assert "全部3讲课时" in text and "1小时15分钟" in text and "折合1.7学时" in text
    assert "通过2项课后知识检测" in text
    assert "（盖章）" in text


def test_the_certificate_prints_the_full_verification_address_with_its_qr_code(legal_officer, long_course, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://jx.yk.gaj"
    completion = _completion(legal_officer, long_course)
    url = f"https://jx.yk.gaj/lessons/certificates/verify/?number={completion.certificate_number}"
    assert services.certificate_verify_url(completion) == url
    text = "".join(pdf_text(services.certificate_render_pdf(completion=completion)).split())
    assert url in text
    item = services._certificate_item(completion)
    assert base64.b64decode(item["qr"].split(",", 1)[1]).decode() == qr_svg(url, scale=4)


def test_the_verification_page_shows_what_was_done_and_lateness(client, login, legal_officer, long_course):
    completion = _completion(legal_officer, long_course, is_late=True)
    login(OfficerFactory())
    html = client.get(reverse("lessons:certificate_verify"), {"number": completion.certificate_number}).content.decode()
    assert "王法制" in html and "逾期完成" in html and "75" in html  # minutes studied


def test_a_units_certificates_print_as_one_pdf(client, login, legal_officer, station, long_course):
    colleague = OfficerFactory(name="李同事", unit=station)
    elsewhere = OfficerFactory(name="赵外所", unit=UnitFactory(name="西城派出所"))
    for officer in (legal_officer, colleague, elsewhere):
        _completion(officer, long_course)
    url = reverse("lessons:dashboard_certificates", args=[long_course.pk])

    login(OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.TRAINER]))
    page = client.get(reverse("lessons:dashboard_course", args=[long_course.pk]), {"unit": station.pk}).content.decode()
    assert f"{url}?unit={station.pk}" in page and "2 份结业证书" in page
    response = client.get(url, {"unit": station.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    names = ["".join((p.extract_text() or "").split()) for p in reader.pages]
    assert "王法制" in names[0] and "李同事" in names[1]  # by police number
    assert not any("赵外所" in n for n in names)

    # A head of another unit may not print this one's.
    login(OfficerFactory(unit=UnitFactory(name="西城派出所"), tier=Tier.MID_LEVEL))
    assert client.get(url, {"unit": station.pk}).status_code == 404
    # A unit with no certificate is a 404, not an empty PDF.
    login(OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.TRAINER]))
    assert client.get(url, {"unit": UnitFactory(name="南城派出所").pk}).status_code == 404
