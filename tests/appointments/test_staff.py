"""The booking clerk's screens: sessions, roster, check-in, results, export, search."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session, make_id_number
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, SessionState
from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.roles import Role


def _staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff/appointments")]


def _audit_actions():
    read_fresh()
    return [entry.action for entry in db.session.scalars(select(AuditEntry))]


def test_every_appointments_staff_url_is_guarded_and_names_the_clerk_role(app, client):
    rules = _staff_rules(app)
    assert len(rules) >= 8
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        assert Role.BOOKING_CLERK in view.required_roles, rule.endpoint
        url = rule.build(dict.fromkeys(rule.arguments, 1))[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST" and response.status_code == 400:
                continue
            assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"


def test_a_hazard_officer_cannot_open_the_sessions(client, login_as):
    login_as(Role.HAZARD_OFFICER)
    assert client.get("/staff/appointments/").status_code == 403


def test_the_calendar_shows_seats_taken_and_left(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    create_session(capacity=12, seats_taken=5, place="摩托车考场")
    text = text_of(client_request.get("/staff/appointments/"))
    assert "5 / 12" in text and "摩托车考场" in text


def test_a_clerk_publishes_a_weekly_series(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    client_request.post(
        "/staff/appointments/sessions/new",
        {
            "service": "licence_renewal",
            "day": "2026-03-09",
            "starts_at": "09:00",
            "ends_at": "11:30",
            "place": "车管大厅",
            "capacity": "15",
            "weekly_until": "2026-03-30",
        },
        expected_status=302,
    )
    read_fresh()
    sessions = db.session.scalars(select(AppointmentSession).order_by(AppointmentSession.day)).all()
    assert [s.day for s in sessions] == [date(2026, 3, d) for d in (9, 16, 23, 30)]
    assert {(s.capacity, s.place, s.state) for s in sessions} == {(15, "车管大厅", "open")}
    assert "session.created" in _audit_actions()


def test_a_bad_session_form_is_answered_on_the_page(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    page = client_request.post(
        "/staff/appointments/sessions/new",
        {"service": "", "day": "soon", "starts_at": "10:00", "ends_at": "09:00", "capacity": "0"},
    )
    text = text_of(page.select_one(".error-summary"))
    for says in (
        "Choose the service",
        "Enter the date",
        "end time must be after",
        "Enter the place",
        "from 1 to 500",
    ):
        assert says in text
    read_fresh()
    assert db.session.scalars(select(AppointmentSession)).all() == []


def test_the_capacity_cannot_go_below_the_seats_taken(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    session = create_session(capacity=10, seats_taken=6)
    url = f"/staff/appointments/sessions/{session.id}/capacity"
    page = client_request.post(url, {"capacity": "5"})
    assert "cannot be lower than the 6 seats" in text_of(page)
    client_request.post(url, {"capacity": "6"}, expected_status=302)
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).capacity == 6


def test_closing_a_session_stops_new_bookings_and_keeps_the_booked(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking()
    client_request.post(
        f"/staff/appointments/sessions/{booking.session_id}/close", expected_status=302
    )
    read_fresh()
    assert db.session.get(AppointmentSession, booking.session_id).state == SessionState.CLOSED
    assert db.session.get(Booking, booking.id).is_active


def test_cancelling_a_session_cancels_every_booking_on_it(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    session = create_session()
    bookings = [create_booking(session=session) for _ in range(3)]
    client_request.post(
        f"/staff/appointments/sessions/{session.id}/cancel",
        {"confirmed": "1", "reason": "The examiner is ill."},
        expected_status=302,
    )
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).seats_taken == 0
    assert {db.session.get(Booking, b.id).state for b in bookings} == {BookingState.CANCELLED}
    assert "session.cancelled" in _audit_actions()


def test_the_roster_masks_personal_data_and_records_check_in(
    client_request, login_as, english, now
):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking(
        session=create_session(day=date(2026, 3, 2)), full_name="李娜", phone="13912345678"
    )
    page = client_request.get(f"/staff/appointments/sessions/{booking.session_id}")
    text = text_of(page.select_one("#roster"))
    assert "李娜" in text and "139****5678" in text and booking.id_number not in text
    client_request.post(f"/staff/appointments/bookings/{booking.id}/check-in", expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).checked_in_at is not None


@pytest.mark.parametrize("result", ["pass", "fail", "no_show"])
def test_a_clerk_records_an_exam_result(client_request, login_as, now, result):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking(session=create_session(day=date(2026, 3, 2)))  # began at 09:00
    client_request.post(
        f"/staff/appointments/bookings/{booking.id}/result", {"result": result}, expected_status=302
    )
    read_fresh()
    saved = db.session.get(Booking, booking.id)
    assert (saved.result, saved.state) == (result, BookingState.COMPLETED)
    assert saved.is_failed_attempt == (result != "pass")


def test_pass_and_fail_are_refused_for_a_service_that_is_not_an_exam(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking(session=create_session(service="review_education"))
    client_request.post(
        f"/staff/appointments/bookings/{booking.id}/result", {"result": "pass"}, expected_status=302
    )
    read_fresh()
    assert db.session.get(Booking, booking.id).result is None


def test_the_roster_export_is_utf8_with_a_bom_and_no_formulas(client, login_as, now):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking(full_name="=HYPERLINK(1)")
    response = client.get(f"/staff/appointments/sessions/{booking.session_id}/roster.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and booking.reference in text
    assert booking.id_number not in text
    assert "export" in _audit_actions()


def test_a_search_by_id_number_or_phone_finds_the_booking_and_shows_masked_values(
    client_request, login_as, english, now
):
    login_as(Role.BOOKING_CLERK)
    id_number = make_id_number()
    booking = create_booking(id_number=id_number, phone="13712345678")
    create_booking()
    for query in (id_number.lower(), "137 1234 5678", booking.reference.lower()):
        page = client_request.get("/staff/appointments/search", query_string={"q": query})
        rows = page.select("tbody tr")
        assert len(rows) == 1 and booking.reference in text_of(rows[0])
        assert id_number not in text_of(page) and "137****5678" in text_of(page)
    assert _audit_actions().count("booking.search") == 3


def test_the_booking_page_shows_the_history_and_is_audited(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking()
    page = client_request.get(f"/staff/appointments/bookings/{booking.id}")
    assert booking.id_number in text_of(page)
    assert "booking.viewed" in _audit_actions()
