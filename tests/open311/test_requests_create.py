"""POST requests.json: a partner creates a report with its API key, checked as the form is."""

import pytest
from sqlalchemy import func, select

from tests.factories import create_api_key
from tests.open311.conftest import post_data
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.open311.models import ApiKey
from webapp.staff.roles import Role

URL = "/open311/v2/requests.json"


def _report_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(HazardReport.id)))


def test_a_partner_creates_a_report_and_gets_its_id(client, api_token):
    response = client.post(URL + "?lang=en", data=post_data(api_token))
    assert response.status_code == 201
    (answer,) = response.get_json()
    reference = answer["service_request_id"]
    assert reference.startswith("H")
    assert f"/hazards/{reference}" in answer["service_notice"]
    db.session.rollback()
    report = db.session.scalar(HazardReport.by_reference(reference))
    assert report.category == "signal"
    assert report.location == "迎泽大街与新建路口"
    assert report.reporter_name == "李 四"
    assert report.reporter_phone == "13900139000"
    assert report.latitude == pytest.approx(37.8612)
    assert report.photos == []


def test_the_created_report_is_in_the_staff_queue_and_on_its_public_page(
    client, client_request, api_token, login_as
):
    reference = client.post(URL, data=post_data(api_token)).get_json()[0]["service_request_id"]
    public = text_of(client_request.get(f"/hazards/{reference}"))
    assert "东西向信号灯全部熄灭" in public
    assert "13900139000" not in public
    login_as(Role.HAZARD_OFFICER)
    assert reference in text_of(client_request.get("/staff/hazards/"))
    assert reference in [item["service_request_id"] for item in client.get(URL).get_json()]


def test_the_submission_is_audited_under_the_partners_name_and_the_key_marked_used(
    client, app_context
):
    key, token = create_api_key(name="数字城管")
    reference = client.post(URL, data=post_data(token)).get_json()[0]["service_request_id"]
    db.session.rollback()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.submit"))
    assert entry.target == f"hazard:{reference}"
    assert entry.actor_name == "open311:数字城管"
    assert db.session.get(ApiKey, key.id).last_used_at is not None


@pytest.mark.parametrize("token", [None, "", "not-a-key"])
def test_a_missing_or_wrong_key_is_refused_with_403(client, app_context, token):
    create_api_key()
    response = client.post(URL + "?lang=en", data=post_data(token))
    assert response.status_code == 403
    (error,) = response.get_json()
    assert error["code"] == 403
    assert "api_key" in error["description"]
    assert _report_count() == 0


def test_a_revoked_key_is_refused_with_403(client, app_context):
    _key, token = create_api_key(revoked_at=utcnow())
    response = client.post(URL, data=post_data(token))
    assert response.status_code == 403
    assert response.get_json()[0]["code"] == 403
    assert _report_count() == 0


def test_each_invalid_field_is_its_own_400_error_naming_the_argument(client, api_token):
    data = post_data(
        api_token,
        service_code="volcano",
        address_string="",
        description="短",
        phone="12345",
        lat="91",
    )
    response = client.post(URL + "?lang=en", data=data)
    assert response.status_code == 400
    errors = response.get_json()
    assert {error["code"] for error in errors} == {400}
    named = sorted(error["description"].split(":")[0] for error in errors)
    assert named == ["address_string", "description", "lat", "phone", "service_code"]
    assert _report_count() == 0


def test_coordinates_outside_the_area_are_refused_as_on_the_form(client, api_token):
    response = client.post(URL + "?lang=en", data=post_data(api_token, lat="39.9", long="116.4"))
    assert response.status_code == 400
    (error,) = response.get_json()
    assert error["description"].startswith("lat: These coordinates are outside our area")


def test_a_refused_report_leaves_no_trace_not_even_the_keys_use(client, app_context):
    key, token = create_api_key(name="数字城管")
    response = client.post(URL, data=post_data(token, lat="39.9", long="116.4"))
    assert response.status_code == 400
    assert _report_count() == 0
    assert db.session.get(ApiKey, key.id).last_used_at is None
    submissions = select(func.count(AuditEntry.id)).where(AuditEntry.action == "hazard.submit")
    assert db.session.scalar(submissions) == 0


def test_errors_are_in_the_language_asked_for(client, api_token):
    response = client.post(
        URL, data=post_data(api_token, address_string=""), headers={"Accept-Language": "zh"}
    )
    (error,) = response.get_json()
    assert error["description"].startswith("address_string: ")
    assert error["description"].isascii() is False


def test_a_report_without_coordinates_or_a_name_is_accepted(client, api_token):
    data = post_data(api_token, lat=None, long=None, first_name=None, last_name=None, phone=None)
    assert client.post(URL, data=data).status_code == 201
    db.session.rollback()
    report = db.session.scalar(select(HazardReport))
    assert (report.latitude, report.reporter_name, report.reporter_phone) == (None, "", "")


def test_a_partner_report_keeps_the_language_it_was_sent_in(client, api_token):
    assert client.post(URL + "?lang=en", data=post_data(api_token)).status_code == 201
    db.session.rollback()
    assert db.session.scalar(select(HazardReport.language)) == "en"


def test_posting_needs_no_csrf_token_but_the_key(client, api_token):
    assert client.post(URL, data=post_data(api_token)).status_code == 201


def test_posting_is_rate_limited_per_key(app, client, api_token):
    limit = int(app.config["OPEN311_RATE_LIMIT"].split()[0])
    statuses = [
        client.post(URL, data=post_data(api_token, service_code="volcano")).status_code
        for _ in range(limit + 1)
    ]
    assert statuses[:limit] == [400] * limit
    assert statuses[-1] == 429
    refused = client.post(URL, data=post_data(api_token))
    assert refused.get_json()[0]["code"] == 429
    other_token = create_api_key(name="another partner")[1]
    assert client.post(URL, data=post_data(other_token)).status_code == 201
