"""The brigade's screens: who may open them, the queue, the detail, the workflow forms."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import create_training_request, create_user
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_today, utcnow
from webapp.extensions import db
from webapp.staff.access import PUBLIC_STAFF_ENDPOINTS
from webapp.staff.roles import Role
from webapp.training.states import TrainingState as S

EN = {"Accept-Language": "en"}
BASE = "/staff/training"


def _training_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("training_staff.")]


def _example_url(rule) -> str:
    return rule.build(dict.fromkeys(rule.arguments, 1))[1]


def test_every_training_staff_url_sends_an_anonymous_user_to_the_login_page(app, client):
    rules = _training_rules(app)
    assert len(rules) >= 7
    for rule in rules:
        url = _example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST" and response.status_code == 400:
                continue  # refused for lack of a CSRF token before reaching the view
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"


def test_every_training_staff_view_is_for_the_education_officer(app):
    for rule in _training_rules(app):
        view = app.view_functions[rule.endpoint]
        assert view.required_roles == frozenset({Role.EDUCATION_OFFICER}), rule.endpoint


@pytest.mark.parametrize("role", [Role.HAZARD_OFFICER, Role.BOOKING_CLERK])
def test_other_roles_cannot_open_the_training_queue(client, login_as, role):
    login_as(role)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/export.csv").status_code == 403


@pytest.mark.parametrize("role", [Role.EDUCATION_OFFICER, Role.ADMIN])
def test_the_education_officer_and_the_admin_open_the_queue(client_request, login_as, role):
    login_as(role)
    client_request.get(f"{BASE}/")
    client_request.get(f"{BASE}/sessions")


def test_an_education_officer_cannot_open_the_queues_of_other_roles(app, client, login_as):
    """The hazard and appointment queues, and every other staff page for another role."""
    login_as(Role.EDUCATION_OFFICER)
    foreign = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/")
        and rule.endpoint not in PUBLIC_STAFF_ENDPOINTS
        and getattr(app.view_functions[rule.endpoint], "required_roles", None)
        and Role.EDUCATION_OFFICER not in app.view_functions[rule.endpoint].required_roles
    ]
    if not foreign:
        pytest.skip("no staff page for another role on this branch yet")
    for rule in foreign:
        url = _example_url(rule)
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, url


def _row_references(page):
    return [link.get_text(strip=True) for link in page.select("tbody td:first-child a")]


def test_the_queue_lists_requests_with_masked_phones(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(contact_phone="13912345678")
    page = client_request.get(f"{BASE}/")
    assert _row_references(page) == [training.reference]
    assert "139****5678" in text_of(page)
    assert "13912345678" not in text_of(page)


def test_the_queue_filters_by_state_industry_and_date(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    old = create_training_request(
        state=S.REVIEWING, industry="school_transport", created_at=utcnow() - timedelta(days=30)
    )
    new = create_training_request(state=S.SUBMITTED, industry="food_delivery")
    assert _row_references(client_request.get(f"{BASE}/?state=reviewing")) == [old.reference]
    assert _row_references(client_request.get(f"{BASE}/?industry=food_delivery")) == [new.reference]
    since = (local_today() - timedelta(days=3)).isoformat()
    assert _row_references(client_request.get(f"{BASE}/?received_from={since}")) == [new.reference]
    until = (local_today() - timedelta(days=20)).isoformat()
    assert _row_references(client_request.get(f"{BASE}/?received_to={until}")) == [old.reference]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("received_from=yesterday", "year-month-day"),
        ("received_from=2026-05-10&received_to=2026-05-01", "must not be before its start"),
    ],
)
def test_bad_filters_are_answered_with_a_message(client_request, login_as, query, message):
    login_as(Role.EDUCATION_OFFICER)
    page = client_request.get(f"{BASE}/?{query}", headers=EN)
    assert message in text_of(page.find(class_="error-summary"))


def test_the_detail_shows_the_whole_phone_and_is_audited(client_request, login_as, app_context):
    officer = login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(contact_phone="13912345678", notes="两班倒")
    page = client_request.get(f"{BASE}/{training.id}")
    text = text_of(page)
    assert "13912345678" in text and training.credit_code in text and "两班倒" in text
    db.session.rollback()
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.actor_id) == ("training.view_personal_data", officer.id)
    assert entry.target == f"training:{training.reference}"


def test_an_unknown_request_is_not_found(client, login_as):
    login_as(Role.EDUCATION_OFFICER)
    assert client.get(f"{BASE}/999999").status_code == 404
    assert client.get(f"{BASE}/999999/schedule").status_code == 404


def test_the_officer_starts_the_review_from_the_detail(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    client_request.post(f"{BASE}/{training.id}/review", expected_status=302)
    db.session.rollback()
    assert db.session.get(type(training), training.id).state == S.REVIEWING


def _schedule_form(user, **overrides):
    data = {
        "session_date": (local_today() + timedelta(days=10)).isoformat(),
        "session_time": "14:30",
        "officer": str(user.id),
        "officer_name": "",
        "venue": "on_site",
        "address": "解放路8号三楼",
        "public_message": "请准备投影仪",
    }
    data.update(overrides)
    return data


def test_the_officer_schedules_a_session(client_request, login_as, app_context):
    officer = login_as(Role.EDUCATION_OFFICER, display_name="赵警官")
    training = create_training_request(state=S.REVIEWING)
    page = client_request.get(f"{BASE}/{training.id}/schedule")
    assert "赵警官" in text_of(page.find("select", attrs={"name": "officer"}))
    client_request.post(
        f"{BASE}/{training.id}/schedule", _schedule_form(officer), expected_status=302
    )
    db.session.rollback()
    training = db.session.get(type(training), training.id)
    assert training.state == S.SCHEDULED
    assert training.local_session_start.strftime("%H:%M") == "14:30"
    assert training.assignee_id == officer.id
    page = client_request.get(f"{BASE}/sessions")
    assert training.reference in text_of(page)


def test_scheduling_a_submitted_request_is_refused(client, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(state=S.SUBMITTED)
    response = client.get(f"{BASE}/{training.id}/schedule")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/{training.id}")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"session_date": ""}, "Enter the date of the session"),
        ({"session_date": "10/12/2026"}, "year-month-day"),
        ({"session_time": "half past two"}, "hours and minutes"),
        ({"session_date": (local_today() - timedelta(days=1)).isoformat()}, "not yet passed"),
        ({"officer": "", "officer_name": ""}, "Choose an officer, or enter the name"),
        ({"officer": "999999"}, "Choose an officer from the list"),
        ({"venue": ""}, "Choose the venue"),
        ({"venue": "on_site", "address": ""}, "Enter the address"),
        ({"public_message": "字" * 501}, "at most 500 characters"),
    ],
)
def test_bad_schedule_values_are_answered_with_a_message(
    client_request, login_as, app_context, overrides, message
):
    officer = login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(state=S.REVIEWING)
    page = client_request.post(
        f"{BASE}/{training.id}/schedule", _schedule_form(officer, **overrides), headers=EN
    )
    assert message in text_of(page.find(class_="error-summary"))
    db.session.rollback()
    assert db.session.get(type(training), training.id).state == S.REVIEWING


def test_the_officer_records_a_delivery(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() - timedelta(hours=3)
    )
    client_request.post(
        f"{BASE}/{training.id}/deliver", {"attendance": "42", "notes": "好"}, expected_status=302
    )
    db.session.rollback()
    training = db.session.get(type(training), training.id)
    assert (training.state, training.attendance) == (S.DELIVERED, 42)


@pytest.mark.parametrize("attendance", ["", "0", "many", "5001"])
def test_bad_attendance_is_answered_with_a_message(
    client_request, login_as, app_context, attendance
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() - timedelta(hours=3)
    )
    page = client_request.post(
        f"{BASE}/{training.id}/deliver", {"attendance": attendance}, headers=EN
    )
    assert "whole number from 1 to 5000" in text_of(page.find(class_="error-summary"))


def test_a_delivery_before_the_session_is_answered_on_the_form(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() + timedelta(days=3)
    )
    page = client_request.post(f"{BASE}/{training.id}/deliver", {"attendance": "10"}, headers=EN)
    assert "once the session has begun" in text_of(page.find(class_="error-summary"))


def test_a_decline_needs_a_reason(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    page = client_request.post(f"{BASE}/{training.id}/decline", {"reason": ""}, headers=EN)
    assert "Enter the reason" in text_of(page.find(class_="error-summary"))
    client_request.post(
        f"{BASE}/{training.id}/decline", {"reason": "本月已排满"}, expected_status=302
    )
    db.session.rollback()
    training = db.session.get(type(training), training.id)
    assert (training.state, training.decline_reason) == (S.DECLINED, "本月已排满")


def test_the_sessions_list_is_in_date_order(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    later = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() + timedelta(days=20)
    )
    sooner = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() + timedelta(days=5)
    )
    create_training_request(state=S.REVIEWING)
    page = client_request.get(f"{BASE}/sessions")
    refs = [link.get_text(strip=True) for link in page.select("tbody a")]
    assert refs == [sooner.reference, later.reference]


def test_the_csv_export_is_excel_ready_masked_guarded_and_audited(client, login_as, app_context):
    officer = login_as(Role.EDUCATION_OFFICER)
    create_training_request(company_name="=HYPERLINK(1)", contact_phone="13912345678")
    create_training_request(state=S.DECLINED, company_name="不应出现")
    response = client.get(f"{BASE}/export.csv?state=submitted")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    statement, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert officer.username in statement[0] and "state=submitted" in statement[0]
    assert rows[0][0] == "reference"
    assert len(rows) == 2
    assert rows[1][rows[0].index("company_name")] == "'=HYPERLINK(1)"
    assert rows[1][rows[0].index("contact_phone")] == "139****5678"
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.actor_id) == ("training.export", officer.id)
    assert "state=submitted" in entry.detail


def test_staff_state_changes_are_audited(client_request, login_as, app_context):
    officer = login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    create_user(roles=[Role.EDUCATION_OFFICER])
    client_request.post(f"{BASE}/{training.id}/review", expected_status=302)
    db.session.rollback()
    entries = db.session.scalars(select(AuditEntry)).all()
    assert [(e.action, e.actor_id, e.detail) for e in entries] == [
        ("training.state", officer.id, "submitted -> reviewing")
    ]


def test_an_internal_note_is_kept_and_never_shown_to_the_company(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER, display_name="赵警官")
    training = create_training_request()
    page = client_request.post(f"{BASE}/{training.id}/notes", {"body": ""}, headers=EN)
    assert "Enter the note" in text_of(page.find(class_="error-summary"))
    client_request.post(
        f"{BASE}/{training.id}/notes", {"body": "对方安全员电话难打通"}, expected_status=302
    )
    page = client_request.get(f"{BASE}/{training.id}")
    assert "对方安全员电话难打通" in text_of(page)
    client_request.post(
        "/training/manage",
        {"reference": training.reference, "credit_code": training.credit_code},
        expected_status=302,
    )
    assert "对方安全员电话难打通" not in text_of(client_request.get("/training/manage"))


def test_the_back_office_menu_leads_the_education_officer_to_the_training_queue(
    client_request, login_as
):
    login_as(Role.EDUCATION_OFFICER)
    assert client_request.get("/staff/").select_one(f"nav.staff-nav a[href='{BASE}/']")


def test_the_back_office_menu_hides_the_training_queue_from_other_roles(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    assert client_request.get("/staff/").select_one(f"nav.staff-nav a[href='{BASE}/']") is None
