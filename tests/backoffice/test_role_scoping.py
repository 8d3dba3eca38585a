"""Every detail and action URL of every kind of submission, opened by each role with
real objects: a role the view does not name gets 403; masking and audit of the inbox."""

import pytest
from sqlalchemy import select

from tests.factories import (
    create_booking,
    create_hazard_report,
    create_training_request,
    create_user,
)
from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.roles import Role
from webapp.training.models import TrainingRequest

OFFICER_ROLES = (Role.HAZARD_OFFICER, Role.BOOKING_CLERK, Role.EDUCATION_OFFICER)
# Feature URLs whose objects these tests create (the back office's own pages are
# checked by tests/staff).
FEATURE_PREFIXES = ("/staff/hazards/", "/staff/training/", "/staff/appointments/")


@pytest.fixture
def objects(app_context):
    booking = create_booking()
    return {
        "reference": create_hazard_report(reporter_phone="13912345678").reference,
        "request_id": create_training_request().id,
        "booking_id": booking.id,
        "session_id": booking.session_id,
        "position": 1,
        "event_id": 1,
    }


def _feature_urls(app, objects):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(FEATURE_PREFIXES):
            continue
        view = app.view_functions[rule.endpoint]
        url = rule.build({name: objects[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url, view.required_roles


@pytest.mark.parametrize("role", OFFICER_ROLES)
def test_each_officer_gets_403_on_every_url_of_another_roles_submissions(
    app, client, client_request, login_as, objects, role
):
    login_as(role)
    token = client_request.csrf_token()
    checked = 0
    for method, url, roles in _feature_urls(app, objects):
        if role in roles:
            continue
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 403, f"{role}: {method} {url}"
        checked += 1
    assert checked >= 10


def test_a_hazard_officer_gets_403_on_a_booking_and_a_training_request(client, login_as, objects):
    login_as(Role.HAZARD_OFFICER)
    assert client.get(f"/staff/appointments/bookings/{objects['booking_id']}").status_code == 403
    assert client.get(f"/staff/training/{objects['request_id']}").status_code == 403
    assert client.get(f"/staff/hazards/{objects['reference']}").status_code == 200


def test_an_education_officer_gets_403_on_a_hazard_report_and_a_booking(client, login_as, objects):
    login_as(Role.EDUCATION_OFFICER)
    assert client.get(f"/staff/hazards/{objects['reference']}").status_code == 403
    assert client.get(f"/staff/appointments/bookings/{objects['booking_id']}").status_code == 403
    assert client.get(f"/staff/training/{objects['request_id']}").status_code == 200


def test_the_inbox_and_its_export_hold_only_the_roles_kinds_with_phones_masked(
    client, client_request, login_as, objects
):
    officer = login_as(Role.HAZARD_OFFICER)
    training = db.session.get(TrainingRequest, objects["request_id"])
    page = client_request.get("/staff/?state=all")
    text = page.get_text()
    assert objects["reference"] in text and "139****5678" in text
    assert "13912345678" not in text and training.reference not in text
    csv_text = client.get("/staff/inbox.csv?state=all").data.decode("utf-8-sig")
    assert objects["reference"] in csv_text and "139****5678" in csv_text
    assert "13912345678" not in csv_text and training.reference not in csv_text
    db.session.rollback()  # end the test's read: see the rows the requests wrote
    [export] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert export.actor_id == officer.id and "state=all" in export.target


def test_opening_a_report_with_contact_details_is_written_to_the_audit_log(
    client, login_as, objects
):
    officer = login_as(Role.HAZARD_OFFICER)
    page = client.get(f"/staff/hazards/{objects['reference']}").data.decode()
    assert "13912345678" in page
    db.session.rollback()
    [view] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "personal_data.view")
    ).all()
    assert view.actor_id == officer.id and view.target == f"hazard:{objects['reference']}"


def test_an_admin_may_open_every_kind(client, objects, login_as):
    create_user(roles=[Role.HAZARD_OFFICER])  # not the only staff account
    login_as(Role.ADMIN)
    for url in (
        f"/staff/hazards/{objects['reference']}",
        f"/staff/training/{objects['request_id']}",
        f"/staff/appointments/bookings/{objects['booking_id']}",
    ):
        assert client.get(url).status_code == 200, url


def test_a_queue_longer_than_the_count_cap_says_more_than(
    client_request, login_as, app_context, monkeypatch
):
    from webapp.staff import inbox

    monkeypatch.setattr(inbox, "COUNT_CAP", 2)
    from webapp.staff.views import inbox as inbox_views

    monkeypatch.setattr(inbox_views, "COUNT_CAP", 2)
    login_as(Role.HAZARD_OFFICER)
    for _ in range(3):
        create_hazard_report()
    text = client_request.get("/staff/?lang=en").get_text()
    assert "More than 2 submissions" in text
    assert len(client_request.get("/staff/").select("table.inbox tbody tr")) == 3
