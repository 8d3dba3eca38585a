"""Cancelling a session or a booking is confirmed first, and the reason reaches the applicants."""

from sqlalchemy import select

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, SessionState
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage
from webapp.staff.roles import Role

REASON = "The exam hall has no power today."


def _session_with_bookings(active: int, cancelled: int = 0):
    session = create_session()
    for index in range(active):
        create_booking(session=session, phone=f"1380000000{index}")
    for _ in range(cancelled):
        create_booking(session=session, state=BookingState.CANCELLED)
    return session


def _cancel_url(session) -> str:
    return f"/staff/appointments/sessions/{session.id}/cancel"


def _state_of(session) -> str:
    read_fresh()
    return db.session.get(AppointmentSession, session.id).state


def test_the_session_button_only_asks_and_states_how_many_will_be_told(
    client_request, login_as, english, now
):
    login_as(Role.BOOKING_CLERK)
    session = _session_with_bookings(active=3, cancelled=1)
    page = client_request.post(_cancel_url(session))
    assert text_of(page.select_one("h1")) == "Cancel this session?"
    facts = text_of(page.select_one("dl.summary"))
    assert "Applicants told 3 people" in facts
    assert "Its 3 bookings are cancelled" in text_of(page.select_one(".notice-warning"))
    form = page.select_one("main form")
    assert form["method"] == "post" and form["action"] == _cancel_url(session)
    assert form.select_one("input[name=confirmed]")["value"] == "1"
    assert form.select_one("textarea[name=reason]") is not None
    assert page.select(".error-summary") == []  # the first step accuses nobody
    assert _state_of(session) == SessionState.OPEN
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_session_is_not_cancelled_without_a_reason_and_what_was_typed_is_kept(
    client_request, login_as, english, now
):
    login_as(Role.BOOKING_CLERK)
    session = _session_with_bookings(active=1)
    page = client_request.post(
        _cancel_url(session), {"confirmed": "1", "reason": "   "}, expected_status=400
    )
    assert "Enter the reason for cancelling" in text_of(page.select_one(".error-summary"))
    assert _state_of(session) == SessionState.OPEN

    too_long = "x" * 201
    page = client_request.post(
        _cancel_url(session), {"confirmed": "1", "reason": too_long}, expected_status=400
    )
    assert page.select_one("textarea[name=reason]").get_text().strip() == too_long
    assert _state_of(session) == SessionState.OPEN


def test_the_reason_goes_into_every_message_and_onto_the_booking_page(
    client, client_request, login_as, english, now
):
    login_as(Role.BOOKING_CLERK)
    session = _session_with_bookings(active=2, cancelled=1)
    client_request.post(
        _cancel_url(session), {"confirmed": "1", "reason": REASON}, expected_status=302
    )
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).cancel_reason == REASON
    staff_page = client_request.get(f"/staff/appointments/sessions/{session.id}")
    assert text_of(staff_page.select_one("#cancel-reason")) == REASON
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 2
    # Booked in Chinese; the message ends the reason with its own full stop.
    assert all(f"原因：{REASON[:-1]}。" in message.body for message in messages)

    booking = db.session.scalars(select(Booking).where(Booking.session_id == session.id)).first()
    client.get("/staff/logout")
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": booking.id_number},
        expected_status=302,
    )
    page = client_request.get("/appointments/manage/booking")
    assert REASON in text_of(page.select_one("#session-cancelled"))


def test_the_chinese_message_carries_the_reason_too(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    session = _session_with_bookings(active=1)
    client_request.post(
        _cancel_url(session), {"confirmed": "1", "reason": "考场停电"}, expected_status=302
    )
    read_fresh()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.language == "zh" and "考场停电" in message.body


def _own_booking(client_request, booking) -> None:
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": booking.id_number},
        expected_status=302,
    )


def test_an_applicant_sees_what_will_be_lost_before_the_booking_is_cancelled(
    client_request, english, app_context, now
):
    booking = create_booking()
    _own_booking(client_request, booking)
    page = client_request.post("/appointments/manage/cancel")
    assert text_of(page.select_one("h1")) == "Cancel your booking?"
    assert booking.reference in text_of(page.select_one("dl.summary"))
    assert "goes to someone else at once" in text_of(page.select_one(".notice-warning"))
    assert page.select_one("main form input[name=confirmed]")["value"] == "1"
    assert page.select_one("main form a")["href"] == "/appointments/manage/booking"
    read_fresh()
    assert db.session.get(Booking, booking.id).is_active
    assert db.session.scalars(select(OutboxMessage)).all() == []

    client_request.post("/appointments/manage/cancel", {"confirmed": "1"}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).state == BookingState.CANCELLED
