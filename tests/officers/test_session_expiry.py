"""A page's script whose session has ended gets JSON 401 with a way back, not the login page's HTML."""

import json

import pytest

LOGIN = "/accounts/login/"
ANSWER = "/assessments/sittings/7/answer/"


@pytest.mark.django_db
def test_a_json_save_without_a_session_gets_401_in_chinese_with_a_login_url_back_to_the_page(client):
    response = client.post(
        ANSWER, data=json.dumps({"position": 0, "choice": [1], "text": "", "revision": 1}),
        content_type="application/json", HTTP_REFERER="http://testserver/assessments/sittings/7/?x=1",
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["error"] == "登录已过期，请重新登录。"
    assert data["session_expired"] is True
    # Back to the paper the officer was on, never to the endpoint (a GET there is a 405).
    assert data["login_url"] == LOGIN + "?next=%2Fassessments%2Fsittings%2F7%2F%3Fx%3D1"


@pytest.mark.django_db
def test_a_referer_on_another_site_is_not_offered_as_the_way_back(client):
    response = client.post(ANSWER, data="{}", content_type="application/json", HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 401
    assert response.json()["login_url"] == LOGIN


@pytest.mark.django_db
def test_a_script_asking_for_json_by_accept_or_x_requested_with_gets_json_too(client):
    assert client.get("/assessments/", HTTP_ACCEPT="application/json").status_code == 401
    assert client.post(ANSWER, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 401


@pytest.mark.django_db
def test_a_browser_navigating_or_posting_a_form_is_still_sent_to_the_login_page(client):
    response = client.get("/assessments/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 302 and response.url.startswith(LOGIN + "?next=")
    response = client.post("/assessments/sittings/7/submit/", {"x": "1"})
    assert response.status_code == 302 and response.url.startswith(LOGIN)
