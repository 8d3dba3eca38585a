"""Booking at /appointments/<service>/: the form, the check step, the seat, the slip."""

from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.appointments.helpers import book_url, booking_answers, read_fresh
from tests.factories import create_booking, create_session, make_id_number
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, ExamResult, SessionState
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db


def _bookings():
    read_fresh()
    return db.session.scalars(select(Booking)).all()


def _seats_taken(session_id):
    read_fresh()
    return db.session.get(AppointmentSession, session_id).seats_taken


def confirm(client_request, session, expected_status=200, **changes):
    return client_request.post(
        book_url(session),
        {**booking_answers(session, **changes), "confirm": "1"},
        expected_status=expected_status,
    )


def test_the_services_page_lists_the_three_services(client_request, english):
    page = client_request.get("/appointments/")
    text = text_of(page)
    for label in ("Motorcycle driving exam", "Licence renewal", "Review education"):
        assert label in text


def test_an_unknown_service_is_not_found(client_request):
    client_request.get("/appointments/helicopter/", expected_status=404)


def test_open_sessions_inside_the_window_are_offered_with_seats_left(
    client_request, english, app_context, now
):
    inside = create_session(day=date(2026, 3, 5), capacity=10, seats_taken=3)
    too_late = create_session(day=date(2026, 3, 2))  # before the 24-hour cut-off
    too_early = create_session(day=date(2026, 3, 20))  # beyond the 14-day window
    closed = create_session(day=date(2026, 3, 6), state=SessionState.CLOSED)
    other = create_session(day=date(2026, 3, 6), service="licence_renewal")
    page = client_request.get("/appointments/motorcycle_exam/")
    offered = {int(radio["value"]) for radio in page.select("input[name=session_id]")}
    assert offered == {inside.id}
    assert {too_late.id, too_early.id, closed.id, other.id}.isdisjoint(offered)
    assert "7 seats left" in text_of(page)


@pytest.mark.parametrize(
    ("id_number", "says"),
    [
        ("140302199005170", "old 15-digit ID number"),
        ("14030219900517001", "you entered 17"),
        ("140302199005170010", "does not match"),
        ("140302199002300013", "not a real date"),
    ],
)
def test_a_wrong_id_number_is_refused_saying_why_with_the_values_kept(
    client_request, english, app_context, now, id_number, says
):
    session = create_session()
    page = client_request.post(book_url(session), booking_answers(session, id_number=id_number))
    assert says in text_of(page.select_one(".error-summary"))
    assert page.select_one("#full_name")["value"] == "张伟"
    assert _bookings() == []


def test_a_lower_case_x_in_the_id_number_is_taken_as_upper_case(client_request, app_context, now):
    session = create_session()
    id_number = "11010519491231002X"
    confirm(client_request, session, id_number=id_number.lower(), expected_status=302)
    assert _bookings()[0].id_number == id_number


def test_the_answers_are_shown_for_checking_before_anything_is_booked(
    client_request, english, app_context, now
):
    session = create_session()
    page = client_request.post(book_url(session), booking_answers(session))
    assert page.h1.get_text() == "Check your answers"
    text = text_of(page)
    assert "13800138000" in text and "Subject 2 (field skills)" in text
    assert page.select_one("button[name=confirm]")
    assert page.select_one("input[name=id_number]")["type"] == "hidden"
    assert _bookings() == []
    assert _seats_taken(session.id) == 0


def test_changing_the_answers_returns_to_the_form_with_the_values_kept(
    client_request, app_context, now
):
    session = create_session()
    page = client_request.post(book_url(session), {**booking_answers(session), "edit": "1"})
    assert page.select_one("#full_name")["value"] == "张伟"
    assert _bookings() == []


def test_confirming_books_a_seat_and_shows_the_slip(
    client_request, client, english, app_context, now
):
    session = create_session(capacity=10)
    id_number = make_id_number()
    response = confirm(client_request, session, id_number=id_number, expected_status=302)
    booking = _bookings()[0]
    assert booking.reference.startswith("A20260302-") and len(booking.reference) == 16
    assert booking.phone == "13800138000" and booking.subject == 2 and booking.is_active
    assert _seats_taken(session.id) == 1
    page = client_request.get(response.headers["Location"])
    text = text_of(page)
    assert booking.reference in text
    assert "摩托车考场" in text and "Your resident ID card" in text
    assert id_number not in text and booking.masked_id_number in text
    events = db.session.scalars(WorkflowEvent.history_of("booking", booking.id)).all()
    assert [event.to_state for event in events] == ["active"]


def test_the_calendar_file_describes_the_session_in_utc(client_request, client, app_context, now):
    session = create_session(day=date(2026, 3, 5))
    confirm(client_request, session, expected_status=302)
    response = client.get("/appointments/confirmation.ics")
    assert response.mimetype == "text/calendar"
    lines = response.get_data(as_text=True).split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "DTSTART:20260305T010000Z" in lines  # 09:00 in Beijing
    assert "DTEND:20260305T030000Z" in lines
    assert any(line.startswith("UID:A20260302-") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)


def test_the_confirmation_page_is_not_found_without_a_booking(client_request):
    client_request.get("/appointments/confirmation", expected_status=404)


def test_a_full_session_answers_with_a_clear_message_and_the_other_sessions(
    client_request, english, app_context, now
):
    full = create_session(capacity=1, seats_taken=1)
    other = create_session(day=date(2026, 3, 6))
    page = confirm(client_request, full)
    assert page.select_one("#session-full")
    assert "fully booked" in text_of(page)
    radios = {int(r["value"]): r for r in page.select("input[name=session_id]")}
    assert other.id in radios and radios[full.id].has_attr("disabled")
    assert _bookings() == []


def test_a_second_active_booking_for_the_same_id_number_and_service_is_refused(
    client_request, english, app_context, now
):
    id_number = make_id_number()
    create_booking(id_number=id_number, session=create_session(day=date(2026, 3, 6)))
    session = create_session()
    page = confirm(client_request, session, id_number=id_number)
    assert "already has an active booking" in text_of(page)
    assert len(_bookings()) == 1
    assert _seats_taken(session.id) == 0


def test_the_database_itself_refuses_a_second_active_booking(app_context, now):
    from sqlalchemy.exc import IntegrityError

    id_number = make_id_number()
    create_booking(id_number=id_number)
    with pytest.raises(IntegrityError):
        create_booking(id_number=id_number)
    db.session.rollback()


def test_the_same_id_number_may_book_another_service(client_request, app_context, now):
    id_number = make_id_number()
    create_booking(id_number=id_number)
    renewal = create_session(service="licence_renewal", place="车管大厅")
    confirm(client_request, renewal, id_number=id_number, expected_status=302)
    assert len(_bookings()) == 2


def test_no_booking_after_the_cut_off(client_request, english, app_context, now):
    session = create_session(day=date(2026, 3, 3))  # 09:00 on 3 March; cut-off 09:00 on 2 March
    now(datetime(2026, 3, 2, 0, 59))  # 08:59 in Beijing
    confirm(client_request, session, expected_status=302)
    now(datetime(2026, 3, 2, 1, 0))  # 09:00 in Beijing: the cut-off
    page = confirm(client_request, session)
    assert "past the booking cut-off" in text_of(page)
    assert len(_bookings()) == 1


def test_a_closed_session_cannot_be_booked(client_request, english, app_context, now):
    session = create_session(state=SessionState.CLOSED)
    page = confirm(client_request, session)
    assert "can no longer be booked" in text_of(page)
    assert _bookings() == []


def test_an_applicant_under_18_is_refused_on_the_page(client_request, english, app_context, now):
    session = create_session(day=date(2026, 3, 5))
    page = confirm(client_request, session, id_number=make_id_number(birth=date(2008, 3, 6)))
    assert "at least 18 years old" in text_of(page)
    assert _bookings() == []


@pytest.mark.parametrize("result", [ExamResult.FAIL, ExamResult.NO_SHOW])
def test_the_same_subject_waits_10_days_after_a_fail_or_a_no_show(
    client_request, english, app_context, now, result
):
    id_number = make_id_number()
    create_booking(
        session=create_session(day=date(2026, 2, 26)),
        id_number=id_number,
        subject=2,
        state=BookingState.COMPLETED,
        result=result,
    )
    session = create_session(day=date(2026, 3, 10))
    page = confirm(client_request, session, id_number=id_number, subject="2")
    assert "can be booked again from 2026-03-08" in text_of(page)
    confirm(client_request, session, id_number=id_number, subject="3", expected_status=302)
    read_fresh()
    db.session.query(Booking).filter(Booking.subject == 3).delete()
    db.session.commit()
    now(datetime(2026, 3, 7, 16, 0))  # 8 March, 00:00 in Beijing
    confirm(client_request, session, id_number=id_number, subject="2", expected_status=302)


def test_a_pass_does_not_make_the_applicant_wait(client_request, app_context, now):
    id_number = make_id_number()
    create_booking(
        session=create_session(day=date(2026, 2, 26)),
        id_number=id_number,
        state=BookingState.COMPLETED,
        result=ExamResult.PASS,
    )
    confirm(client_request, create_session(), id_number=id_number, expected_status=302)


def test_a_renewal_too_early_is_refused_and_an_expired_licence_gets_a_notice(
    client_request, english, app_context, now
):
    session = create_session(service="licence_renewal", day=date(2026, 3, 5))
    page = client_request.post(
        book_url(session), booking_answers(session, licence_expiry="2026-06-04")
    )
    assert "can be renewed from 90 days" in text_of(page)
    page = client_request.post(
        book_url(session), booking_answers(session, licence_expiry="2026-01-04")
    )
    assert "already expired" in text_of(page)
    assert page.h1.get_text() == "Check your answers"


def test_a_past_booking_nobody_closed_out_does_not_block_a_new_one(
    client_request, app_context, now
):
    id_number = make_id_number()
    old = create_booking(session=create_session(day=date(2026, 2, 20)), id_number=id_number)
    confirm(client_request, create_session(), id_number=id_number, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, old.id).state == BookingState.COMPLETED


def test_bad_answers_are_answered_on_the_page_for_every_field(
    client_request, english, app_context, now
):
    session = create_session()
    page = client_request.post(
        book_url(session),
        {"session_id": "nonsense", "full_name": "张", "id_number": "", "phone": "12345"},
    )
    text = text_of(page.select_one(".error-summary"))
    for says in (
        "Choose a session",
        "at least 2 characters",
        "Enter your ID number",
        "11 digits",
        "Choose the exam subject",
        "Choose the licence class",
    ):
        assert says in text
    assert timedelta  # imported for the parametrised dates above


def test_the_first_step_lists_the_sessions_without_a_form_token_or_cookie(client, app_context, now):
    session = create_session()
    response = client.get("/appointments/motorcycle_exam/")
    assert "Set-Cookie" not in response.headers
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("form")["method"] == "get"
    assert not page.select("input[name=csrf_token]")
    assert page.select_one(f"#session_id-{session.id}")


def test_the_chosen_session_is_kept_on_the_details_step(client_request, app_context, now):
    session = create_session()
    page = client_request.get(f"/appointments/motorcycle_exam/?session_id={session.id}")
    assert page.select_one(f"#session_id-{session.id}").has_attr("checked")
    assert page.select_one("#full_name") and page.select_one("input[name=csrf_token]")


def test_a_booking_whose_reference_is_taken_is_saved_not_refused_as_already_booked(
    client_request, app_context, now, reference_draws
):
    session = create_session(day=date(2026, 3, 5), capacity=10)
    taken = create_booking(session=session, reference="A20260302-TAKEN2")
    reference_draws.append(taken.reference)
    confirm(client_request, session, expected_status=302)
    [_, saved] = sorted(_bookings(), key=lambda booking: booking.id)
    assert saved.reference.endswith("-FRESH2")
    assert _seats_taken(session.id) == 2  # one seat each, none left over from the clash
