"""Manage a booking: look-up by reference and ID number, cancel, move."""

from datetime import date, datetime

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session, make_id_number
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.extensions import db

GENERIC = "We could not find a booking with this reference and ID number"


def _look_up(client_request, reference, id_number, **kwargs):
    return client_request.post(
        "/appointments/manage", {"reference": reference, "id_number": id_number}, **kwargs
    )


def _session_row(session_id):
    read_fresh()
    return db.session.get(AppointmentSession, session_id)


def test_the_right_pair_opens_the_booking(client_request, english, app_context, now):
    booking = create_booking()
    response = _look_up(
        client_request, booking.reference.lower(), booking.id_number, expected_status=302
    )
    page = client_request.get(response.headers["Location"])
    assert booking.reference in text_of(page)
    assert booking.id_number not in text_of(page) and booking.full_name not in text_of(page)


def test_a_wrong_pair_answers_the_same_whichever_half_is_wrong(
    client_request, english, app_context, now
):
    booking = create_booking()
    other = create_booking()
    answers = [
        _look_up(client_request, booking.reference, other.id_number),
        _look_up(client_request, "A20260302-ZZZZZZ", booking.id_number),
        _look_up(client_request, booking.reference, "nonsense"),
    ]
    messages = [text_of(page.select_one(".error-summary")) for page in answers]
    assert len(set(messages)) == 1 and GENERIC in messages[0]


def test_look_ups_are_rate_limited(app, client_request, english, app_context, now):
    limit = int(app.config["LOOKUP_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        _look_up(client_request, "A20260302-ZZZZZZ", make_id_number())
    _look_up(client_request, "A20260302-ZZZZZZ", make_id_number(), expected_status=429)


def test_the_manage_page_without_a_look_up_sends_to_the_look_up(client):
    response = client.get("/appointments/manage/booking")
    assert response.headers["Location"].endswith("/appointments/manage")


def test_cancelling_frees_the_seat_for_someone_else_at_once(
    client_request, english, app_context, now
):
    session = create_session(capacity=1)
    booking = create_booking(session=session)
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    client_request.post("/appointments/manage/cancel", {"confirmed": "1"}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).state == BookingState.CANCELLED
    assert _session_row(session.id).seats_taken == 0
    newcomer = create_booking(session=_session_row(session.id))
    assert newcomer.is_active


def test_cancelling_after_the_cut_off_is_refused(client_request, english, app_context, now):
    session = create_session(day=date(2026, 3, 3))
    booking = create_booking(session=session)
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    now(datetime(2026, 3, 2, 1, 30))
    page = client_request.get("/appointments/manage/booking")
    assert not page.select("form[action$='/cancel']")
    client_request.post("/appointments/manage/cancel", {"confirmed": "1"}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).is_active
    assert _session_row(session.id).seats_taken == 1


def test_moving_takes_the_new_seat_and_frees_the_old(client_request, english, app_context, now):
    old = create_session(day=date(2026, 3, 5))
    new = create_session(day=date(2026, 3, 6))
    booking = create_booking(session=old)
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    page = client_request.get("/appointments/manage/move")
    assert {int(r["value"]) for r in page.select("input[name=session_id]")} == {new.id}
    client_request.post("/appointments/manage/move", {"session_id": new.id}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).session_id == new.id
    assert (_session_row(old.id).seats_taken, _session_row(new.id).seats_taken) == (0, 1)


def test_a_move_to_a_full_session_changes_nothing(client_request, english, app_context, now):
    old = create_session(day=date(2026, 3, 5))
    full = create_session(day=date(2026, 3, 6), capacity=1, seats_taken=1)
    booking = create_booking(session=old)
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    page = client_request.post("/appointments/manage/move", {"session_id": full.id})
    assert "fully booked" in text_of(page)
    read_fresh()
    assert db.session.get(Booking, booking.id).session_id == old.id
    assert (_session_row(old.id).seats_taken, _session_row(full.id).seats_taken) == (1, 1)


def test_a_move_to_another_service_is_refused(client_request, english, app_context, now):
    booking = create_booking(session=create_session())
    renewal = create_session(service="licence_renewal")
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    page = client_request.post("/appointments/manage/move", {"session_id": renewal.id})
    assert "can no longer be booked" in text_of(page)
    assert _session_row(renewal.id).seats_taken == 0


def test_the_result_page_says_from_which_date_the_subject_can_be_booked_again(
    client_request, english, app_context, now
):
    booking = create_booking(
        session=create_session(day=date(2026, 2, 26)),
        state=BookingState.COMPLETED,
        result="no_show",
    )
    _look_up(client_request, booking.reference, booking.id_number, expected_status=302)
    page = client_request.get("/appointments/manage/booking")
    assert "No-show" in text_of(page) and "Mar 8, 2026" in text_of(page)


def test_bookings_served_counts_every_booking_that_was_not_cancelled(app_context, now):
    from webapp.appointments.services import bookings_served

    create_booking()
    create_booking(state=BookingState.COMPLETED, result="pass")
    create_booking(state=BookingState.CANCELLED)
    assert bookings_served() == 2


def test_the_home_page_shows_the_bookings_served(client_request, english, app_context, now):
    create_booking()
    live = client_request.get("/").select(".live-figure")
    assert "1 appointments booked online" in [text_of(figure) for figure in live]
