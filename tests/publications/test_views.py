"""Publication pages: who sees what, the objection flow through the pages, query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from officers.models import AuditEvent
from publications.models import BulletinStatus, Objection, ObjectionStatus, Publication
from publications.services import objection_file, publication_publish
from tests.factories.officers import OfficerFactory, UnitFactory

from .conftest import FACTS

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def published(subject, facts, reviewer):
    return publication_publish(subject=subject, kind="sample", by=reviewer)


def test_every_officer_reads_the_list_and_the_detail(login, published, officer):
    client = login(officer)
    html = client.get(reverse("publications:list")).content.decode()
    assert published.title in html and published.document_number in html
    html = client.get(reverse("publications:detail", args=[published.pk])).content.decode()
    assert "名次" in html and "民警" in html and "我的位置" not in html and "提出异议" not in html


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    for url in (reverse("publications:list"), reverse("publications:detail", args=[published.pk]),
                reverse("publications:bulletin", args=[published.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_my_row_is_highlighted_with_my_position(login, published, facts):
    officers, _points = facts
    html = login(officers[1]).get(reverse("publications:detail", args=[published.pk])).content.decode()
    assert "我的位置" in html and 'id="me" class="is-me"' in html and html.count('class="is-me"') == 1
    assert "提出异议" in html and "规则版本" in html and "第1版" in html


def test_an_officer_objects_to_their_own_row_through_the_page(login, published, facts):
    officers, _points = facts
    url = reverse("publications:object", args=[published.pk])
    response = login(officers[2]).post(url, {"reason": "漏记了执法技能比武的加分"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.officer, objection.status) == (officers[2], ObjectionStatus.OPEN)
    response = login(officers[2]).post(url, {"reason": "再提一次"})
    assert response.status_code == 200 and "待处理的异议" in response.content.decode()
    response = login(officers[2]).post(url, {"reason": ""})
    assert response.status_code == 200 and Objection.objects.count() == 1


def test_nobody_objects_to_a_row_that_is_not_theirs(login, published, officer):
    url = reverse("publications:object", args=[published.pk])
    assert login(officer).post(url, {"reason": "不服"}).status_code == 403
    assert login(officer).get(url).status_code == 403
    assert not Objection.objects.exists()


def test_no_objection_after_the_window(login, subject, facts, reviewer):
    officers, _points = facts
    with time_machine.travel(dt.datetime(2026, 12, 4, 15, 0, tzinfo=TZ), tick=False):
        publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    with time_machine.travel(dt.datetime(2026, 12, 12, 0, 0, 1, tzinfo=TZ), tick=False):
        client = login(officers[0])
        html = client.get(reverse("publications:detail", args=[publication.pk])).content.decode()
        assert "公示期已结束" in html and 'name="reason"' not in html
        response = client.post(reverse("publications:object", args=[publication.pk]), {"reason": "晚了"})
        assert response.status_code == 200 and "2026-12-11" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_objection_queue_and_decisions_are_for_the_legal_affairs_unit(login, published, facts, reviewer):
    officers, _points = facts
    objection = objection_file(publication=published, officer=officers[1], reason="名次有误")
    decide = reverse("publications:decide", args=[objection.pk])
    trainer = OfficerFactory(roles=["trainer"])  # publishes test results, not this kind
    for outsider in (officers[0], officers[1]):
        assert login(outsider).get(reverse("publications:objections")).status_code == 403
    queue = login(trainer).get(reverse("publications:objections")).content.decode()
    assert "名次有误" not in queue
    for outsider in (officers[0], officers[1], trainer):
        client = login(outsider)
        assert client.get(decide).status_code == 403
        assert client.post(decide, {"decision": "accept", "response": "同意"}).status_code == 403
        assert client.post(reverse("publications:republish", args=[published.pk])).status_code == 403
    assert login(reviewer).get(reverse("publications:decide", args=[999999])).status_code == 404
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN
    html = login(reviewer).get(reverse("publications:objections")).content.decode()
    assert officers[1].name in html and "名次有误" in html


def test_accept_correct_the_facts_issue_a_new_version(login, published, facts, reviewer, subject):
    officers, points = facts
    objection = objection_file(publication=published, officer=officers[2], reason="漏记比武加分")
    client = login(reviewer)
    decide = reverse("publications:decide", args=[objection.pk])
    response = client.post(decide, {"decision": "accept", "response": ""})
    assert response.status_code == 200 and Objection.objects.get().status == ObjectionStatus.OPEN
    response = client.post(decide, {"decision": "accept", "response": "经核实，补记比武加分10分。"}, follow=True)
    html = response.content.decode()
    assert "下一步" in html and "发布新版本" in html
    assert AuditEvent.objects.filter(action="publication.objection_accept", actor=reviewer).exists()
    # Issuing before the facts are corrected changes nothing, and says so.
    republish = reverse("publications:republish", args=[published.pk])
    html = client.post(republish, follow=True).content.decode()
    assert "没有任何变化" in html and Publication.objects.count() == 1
    points[officers[2].pk] = 100  # the correction, made at the source
    response = client.post(republish, {"note": "采纳异议一件"})
    new = Publication.objects.get(version=2)
    assert response.url == reverse("publications:detail", args=[new.pk])
    html = client.get(response.url).content.decode()
    assert "与第1版相比的变化" in html and "80 → 100" in html and "采纳异议一件" in html
    old = client.get(reverse("publications:detail", args=[published.pk])).content.decode()
    assert "被第2版取代" in old and "已取代" in old
    # The officer reads the decision and where it was corrected.
    html = login(officers[2]).get(reverse("publications:detail", args=[new.pk])).content.decode()
    assert "经核实，补记比武加分10分。" in html and "已在第2版中更正" in html
    # A superseded version cannot be republished again.
    assert login(reviewer).post(republish).url == reverse("publications:detail", args=[new.pk])


def test_reject_with_a_reason_the_officer_reads(login, published, facts, reviewer):
    officers, _points = facts
    objection = objection_file(publication=published, officer=officers[0], reason="积分算错了")
    login(reviewer).post(reverse("publications:decide", args=[objection.pk]),
                         {"decision": "reject", "response": "经核实，积分计算无误。"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    html = login(officers[0]).get(reverse("publications:detail", args=[published.pk])).content.decode()
    assert "未采纳" in html and "经核实，积分计算无误。" in html


def test_the_bulletin_waits_for_the_worker_then_downloads(login, published, officer, reviewer, settings):
    client = login(officer)
    url = reverse("publications:bulletin", args=[published.pk])
    Publication.objects.filter(pk=published.pk).update(bulletin_requested_at=published.published_at)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 202 and "正在生成" in html and 'http-equiv="refresh"' in html
    assert response["Cache-Control"] == "private, no-store"
    from publications.services import bulletin_store

    bulletin_store(publication_id=published.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="publication.bulletin_download", actor=officer).count() == 1


def test_a_bulletin_never_handed_over_is_handed_over_on_download(
    login, published, officer, django_capture_on_commit_callbacks,
):
    # e.g. a version migrated from the old publishing: its render is requested on first download.
    url = reverse("publications:bulletin", args=[published.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert login(officer).get(url).status_code == 202
    published.refresh_from_db()
    assert published.bulletin_status == BulletinStatus.READY and published.bulletin_requested_at
    assert login(officer).get(url).status_code == 200


def test_a_failed_bulletin_is_prepared_again_by_the_legal_affairs_unit(
    login, published, officer, reviewer, django_capture_on_commit_callbacks,
):
    Publication.objects.filter(pk=published.pk).update(bulletin_status=BulletinStatus.FAILED)
    url = reverse("publications:bulletin", args=[published.pk])
    retry = reverse("publications:bulletin_retry", args=[published.pk])
    html = login(officer).get(url).content.decode()
    assert "生成失败" in html and retry not in html
    assert login(officer).post(retry).status_code == 403
    assert retry in login(reviewer).get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        login(reviewer).post(retry)
    published.refresh_from_db()
    assert published.bulletin_status == BulletinStatus.READY


def _many(subject, count):
    officers = [OfficerFactory(unit=subject) for _ in range(count)]
    FACTS[subject.pk] = {o.pk: 100 - i for i, o in enumerate(officers)}
    return officers


def test_the_list_page_takes_a_constant_number_of_queries(login, reviewer, officer, django_assert_max_num_queries):
    client = login(officer)
    for _ in range(2):
        unit = UnitFactory()
        _many(unit, 3)
        publication_publish(subject=unit, kind="sample", by=reviewer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("publications:list"))
    for _ in range(8):
        unit = UnitFactory()
        _many(unit, 3)
        publication_publish(subject=unit, kind="sample", by=reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("publications:list")).content.decode()
    assert html.count('class="pub-item"') == 10


def test_the_detail_page_takes_a_constant_number_of_queries(login, reviewer, subject, django_assert_max_num_queries):
    officers = _many(subject, 5)
    first = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection_file(publication=first, officer=officers[0], reason="有误")
    client = login(reviewer)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("publications:detail", args=[first.pk]))
    more = _many(subject, 250)
    second = publication_publish(subject=subject, kind="sample", by=reviewer)
    for officer in more[:5]:
        objection_file(publication=second, officer=officer, reason="有误")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("publications:detail", args=[second.pk]) + "?page=2").content.decode()
    assert "第2页，共3页" in html


def test_the_objection_queue_takes_a_constant_number_of_queries(login, reviewer, subject, django_assert_max_num_queries):
    officers = _many(subject, 30)
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    objection_file(publication=publication, officer=officers[0], reason="有误")
    client = login(reviewer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("publications:objections"))
    for officer in officers[1:20]:
        objection_file(publication=publication, officer=officer, reason="有误")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("publications:objections")).content.decode()
    assert html.count("有误") == 20


def test_find_my_row_opens_the_page_holding_it(login, reviewer, subject):
    officers = _many(subject, 230)
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    html = login(officers[150]).get(reverse("publications:detail", args=[publication.pk]) + "?me").content.decode()
    assert 'id="me"' in html and "第2页，共3页" in html
