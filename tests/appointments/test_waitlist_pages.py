"""The waiting list's pages: join, the confirmation, the offer link, manage, and the staff's view."""

from datetime import timedelta

from tests.appointments.helpers import booking_answers, read_fresh
from tests.appointments.waitlist_setup import applicant, entry, full_session, join, messages
from tests.factories import create_session, make_id_number
from tests.pages import text_of
from webapp.appointments import services
from webapp.appointments.models import AppointmentSession
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.states import EntryState
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.staff.roles import Role


def _join_answers(session, **changes) -> dict:
    answers = booking_answers(session, **changes)
    answers.pop("session_id")
    return answers


def test_a_full_session_offers_its_waiting_list(client_request, english, app_context, now):
    session, _ = full_session()
    create_session(day=session.day + timedelta(days=1))  # a free one beside it
    page = client_request.get(f"/appointments/{session.service}/")
    links = [a["href"] for a in page.select("a.waitlist-link")]
    assert links == [f"/appointments/{session.service}/waitlist?session_id={session.id}"]
    assert page.select_one("#waitlist-any") is None  # a seat is free: book it


def test_nothing_free_offers_the_list_for_any_day(client_request, english, app_context, now):
    session, _ = full_session()
    page = client_request.get(f"/appointments/{session.service}/")
    assert "Join the waiting list" in text_of(page.select_one("#waitlist-any"))


def test_joining_shows_the_reference_position_and_how_the_offer_comes(
    client_request, english, app_context, now
):
    session, _ = full_session()
    join(session)
    url = f"/appointments/{session.service}/waitlist?session_id={session.id}"
    answers = _join_answers(session, email="wang@example.com")
    response = client_request.post(url, answers, expected_status=302)
    page = client_request.get(response.headers["Location"])
    text = text_of(page)
    read_fresh()
    place = db.session.scalar(
        db.select(WaitlistEntry).where(WaitlistEntry.id_number == answers["id_number"])
    )
    assert place.reference in text and place.email == "wang@example.com"
    assert page.select_one("#waitlist-position").get_text() == "2"
    assert "138****8000" in text and "e-mail" in text and answers["id_number"] not in text


def test_a_refusal_keeps_what_was_typed(client_request, english, app_context, now):
    session, _ = full_session()
    url = f"/appointments/{session.service}/waitlist?session_id={session.id}"
    answers = _join_answers(session, email="not-an-address", full_name="王芳")
    page = client_request.post(url, answers)
    assert "name@example.com" in text_of(page.select_one(".error-summary"))
    assert page.select_one("input[name=full_name]")["value"] == "王芳"
    assert db.session.query(WaitlistEntry).count() == 0


def test_a_seat_still_free_is_said_on_the_page(client_request, english, app_context, now):
    session = create_session(capacity=3)
    url = f"/appointments/{session.service}/waitlist?session_id={session.id}"
    page = client_request.post(url, _join_answers(session))
    assert "A seat is still free" in text_of(page.select_one("#waitlist-problem"))


def test_joining_for_any_day_between_two(client_request, english, app_context, now):
    session, _ = full_session()
    answers = _join_answers(
        session,
        first_day=(local_today() + timedelta(days=2)).isoformat(),
        last_day=(local_today() + timedelta(days=1)).isoformat(),
    )
    page = client_request.post(f"/appointments/{session.service}/waitlist", answers)
    assert "must not be before its start" in text_of(page.select_one(".error-summary"))
    answers["last_day"] = (local_today() + timedelta(days=9)).isoformat()
    client_request.post(f"/appointments/{session.service}/waitlist", answers, expected_status=302)


def test_manage_shows_the_place_and_lets_the_applicant_leave(
    client_request, english, app_context, now
):
    session, _ = full_session()
    join(session)
    person = applicant()
    place = join(session, person)
    response = client_request.post(
        "/appointments/manage",
        {"reference": place.reference.lower(), "id_number": person.id_number},
        expected_status=302,
    )
    page = client_request.get(response.headers["Location"])
    assert page.select_one("#waitlist-position").get_text() == "2"
    client_request.post("/appointments/manage/waitlist/leave", expected_status=302)
    assert entry(place.id).state == EntryState.LEFT


def test_the_offer_link_confirms_the_seat_into_a_booking_with_a_slip(
    client_request, english, app_context, now
):
    session, [booking] = full_session()
    person = applicant()
    place = join(session, person)
    services.cancel_booking(booking.id)
    url = f"/appointments/waitlist/offer?ref={place.reference}"
    page = client_request.get(url)
    assert page.select_one("input[name=reference]")["value"] == place.reference
    wrong = client_request.post(
        url, {"reference": place.reference, "id_number": make_id_number(), "confirm": "1"}
    )
    assert "could not find" in text_of(wrong.select_one(".error-summary"))
    answers = {"reference": place.reference, "id_number": person.id_number, "confirm": "1"}
    response = client_request.post(url, answers, expected_status=302)
    assert response.headers["Location"].endswith("/appointments/confirmation")
    slip = client_request.get("/appointments/confirmation")
    assert entry(place.id).booking.reference in text_of(slip.select_one(".slip"))
    ics = client_request.client.get("/appointments/confirmation.ics")
    assert ics.mimetype == "text/calendar"


def test_the_offer_can_be_declined(client_request, english, app_context, now):
    session, [booking] = full_session()
    person = applicant()
    place = join(session, person)
    services.cancel_booking(booking.id)
    answers = {"reference": place.reference, "id_number": person.id_number, "decline": "1"}
    client_request.post("/appointments/waitlist/offer", answers, expected_status=302)
    assert entry(place.id).state == EntryState.DECLINED


def test_staff_see_the_counts_and_the_line_masked_and_can_close_it(
    client_request, login_as, english, app_context, now
):
    session, [booking] = full_session()
    first = join(session, applicant(full_name="李娜"))
    join(session, applicant(full_name="赵强"))
    services.cancel_booking(booking.id)
    login_as(Role.BOOKING_CLERK)
    page = client_request.get(f"/staff/appointments/sessions/{session.id}")
    assert page.select_one("#seats-held").get_text() == "1"
    assert page.select_one("#waiting-count").get_text() == "1"
    rows = [text_of(row) for row in page.select("#waitlist tbody tr")]
    assert "李娜" in rows[0] and "Seat offered" in rows[0] and "赵强" in rows[1]
    assert first.id_number not in text_of(page) and "139****9000" in rows[0]
    url = f"/staff/appointments/sessions/{session.id}/waitlist/close"
    confirmation = client_request.post(url, expected_status=200)
    assert "1 person" in text_of(confirmation)
    assert confirmation.select_one("input[name=confirmed]")["value"] == "1"
    read_fresh()
    assert not db.session.get(AppointmentSession, session.id).waitlist_closed
    assert messages("waitlist_closed") == []
    client_request.post(url, {"confirmed": "1"}, expected_status=302)
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).waitlist_closed
    assert len(messages("waitlist_closed")) == 1
    assert db.session.query(WaitlistEntry).filter_by(state=EntryState.CLOSED).count() == 1


def test_only_booking_clerks_close_a_list(client_request, login_as, app_context, now):
    session, _ = full_session()
    login_as(Role.HAZARD_OFFICER)
    client_request.post(
        f"/staff/appointments/sessions/{session.id}/waitlist/close", expected_status=403
    )
