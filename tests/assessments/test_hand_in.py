"""Handing in, as the paper's script and a form ask for it: the confirmation follows the record
(the officer, or the system at time-up), and no way back from a login ends on a 405."""

import datetime as dt
import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from assessments.models import Sitting
from assessments.services import DEADLINE_GRACE, answer_save, sitting_start
from assessments.tasks import sitting_autosubmit

pytestmark = pytest.mark.django_db

HANDED_IN = "您已交卷。"
AT_TIME_UP = "时间到，系统已自动交卷。"


def _said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _time_up(sitting, *, grace_over):
    past = DEADLINE_GRACE + dt.timedelta(seconds=1) if grace_over else dt.timedelta(seconds=1)
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - past)


def test_the_officer_handing_in_is_told_so(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = login(officer).post(reverse("assessments:submit", args=[sitting.pk]))
    assert response.status_code == 302 and _said(response) == [HANDED_IN]
    sitting.refresh_from_db()
    assert not sitting.auto_submitted


def test_the_page_handing_in_at_time_up_is_told_the_system_did(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    _time_up(sitting, grace_over=False)
    response = login(officer).post(
        reverse("assessments:submit", args=[sitting.pk]), data="{}", content_type="application/json",
        HTTP_ACCEPT="application/json")
    result_url = reverse("assessments:result", args=[sitting.pk])
    assert response.status_code == 200
    assert response.json() == {"result_url": result_url, "auto_submitted": True}
    assert _said(response) == [AT_TIME_UP]


def test_the_page_handing_in_after_the_task_worker_did_agrees_with_the_record(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    _time_up(sitting, grace_over=True)
    assert sitting_autosubmit.call(sitting_id=sitting.pk)
    response = login(officer).post(reverse("assessments:submit", args=[sitting.pk]))
    assert _said(response) == [AT_TIME_UP]
    sitting.refresh_from_db()
    assert sitting.auto_submitted


def test_opening_the_paper_after_time_up_says_the_system_handed_it_in(login, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    answer_save(sitting_id=sitting.pk, officer=officer, position=0, revision=3, choice=[1])
    _time_up(sitting, grace_over=True)
    client = login(officer)
    response = client.get(reverse("assessments:sitting", args=[sitting.pk]))
    assert response.url == reverse("assessments:result", args=[sitting.pk])
    assert _said(response) == [AT_TIME_UP]
    html = client.get(response.url).content.decode()
    # What the device may still hold is checked against what the server kept.
    revisions = json.loads(html.split('id="paper-revisions" type="application/json">')[1].split("</script>")[0])
    assert revisions["0"] == 3 and revisions["1"] == 0


def test_a_get_on_the_hand_in_leads_to_the_paper_not_a_405(login, officer, quiz):
    """The way back after a login that ran out while the hand-in form was posted."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = login(officer).get(reverse("assessments:submit", args=[sitting.pk]))
    assert response.status_code == 302 and response.url == reverse("assessments:sitting", args=[sitting.pk])
    sitting.refresh_from_db()
    assert sitting.status == "in_progress"  # a GET hands nothing in


def test_a_script_handing_in_without_a_session_is_answered_401(client, officer, quiz):
    sitting = sitting_start(quiz=quiz, officer=officer)
    response = client.post(reverse("assessments:submit", args=[sitting.pk]), data="{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["session_expired"] is True
