"""Authoring in Chinese (issue 14): the admin's dashboard and 帮助 menu.

Before, the dashboard read "16 Pages … created in …" and "Wagtail 8.0.1 editor
guide", and 帮助 led to Wagtail's English guide on the internet, which the
bureau's intranet cannot reach. Now 帮助 opens a Chinese guide served here."""

import pytest

from officers.roles import Role
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, login, hall):
    login(OfficerFactory(roles=[Role.TRAINER]))
    return client


def test_the_dashboard_speaks_chinese_and_links_the_platforms_guide(trainer_client):
    html = trainer_client.get("/admin/").content.decode()
    assert "editor guide" not in html and "guide.wagtail.org" not in html
    assert 'href="/admin/guide/"' in html and "讲堂编写指南" in html


def test_the_dashboard_counts_are_translated():
    from django.utils.translation import ngettext, override

    with override("zh-hans"):
        pages = ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>', 16,
        ) % {"total": 16, "site_name": "永警大讲堂"}
    assert pages == '16 个页面<span class="w-sr-only">（永警大讲堂）</span>'


def test_the_guide_for_trainers_is_served_by_the_platform(trainer_client):
    response = trainer_client.get("/admin/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("建课程", "写课时", "送审与发布", "法律修订后的复核"):
        assert heading in html
    assert "http://" not in html.split("<main", 1)[-1].split("</main>", 1)[0].replace("http://testserver", "")


def test_officers_without_the_admin_cannot_open_the_guide(client, login, hall):
    login(OfficerFactory())
    assert client.get("/admin/guide/").status_code in (302, 403)


def test_wagtail_words_that_misled_trainers_read_right():
    """题型 was our question bank's word leaking into Wagtail's page-type column; 已公示 our
    results' word leaking into a page's history; 在用 and 请求的更改 Wagtail's own."""
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("zh-hans"):
        assert gettext("Type") != "题型" and pgettext("question", "Type") == "题型"
        assert gettext("Published") != "已公示" and pgettext("results", "Published") == "已公示"
        assert gettext("live") == "已发布"
        assert gettext("Changes requested") == "已退回修改"
