"""Waiting lists: join, offers in turn of freed seats, hold, confirm, decline, expiry."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from tests.appointments.waitlist_setup import applicant, entry, full_session, join, messages
from tests.factories import create_booking, create_session, make_id_number
from webapp.appointments import services, staff_services
from webapp.appointments.errors import (
    AlreadyWaiting,
    LookupFailed,
    OfferNotOpen,
    OfferPassedOn,
    RetakeTooSoon,
    SeatsStillFree,
    SessionFull,
    SessionUnavailable,
    WaitingDaysInvalid,
    WaitlistClosed,
)
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import SERVICES, RuleBroken
from webapp.appointments.waitlist import services as waitlist
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.offers import expire_offers
from webapp.appointments.waitlist.states import EntryState
from webapp.common.clock import local_today
from webapp.extensions import db

pytestmark = pytest.mark.usefixtures("app_context", "now")


def seats(session_id: int) -> tuple[int, int, int]:
    """(taken, held, capacity) as committed."""
    db.session.rollback()
    row = db.session.get(AppointmentSession, session_id)
    return row.seats_taken, row.seats_held, row.capacity


# --- Join ------------------------------------------------------------------------------


def test_joining_a_full_session_gives_a_w_reference_a_position_and_a_message():
    session, _ = full_session()
    first = join(session, applicant(phone="13900000001", language="en"))
    second = join(session, applicant(phone="13900000002"))
    assert first.reference.startswith("W")
    assert (waitlist.position(entry(first.id)), waitlist.position(entry(second.id))) == (1, 2)
    [sent] = messages("waitlist_joined", to="13900000001")
    assert first.reference in sent.body and "waiting list" in sent.body  # in English
    assert sent.language == "en"


def test_joining_is_refused_while_a_seat_is_free():
    session = create_session(capacity=2)
    create_booking(session=session)
    with pytest.raises(SeatsStillFree):
        join(session)


def test_joining_follows_the_rules_of_a_booking():
    session, _ = full_session()
    too_young = applicant(birth=date(2010, 1, 1))
    with pytest.raises(RuleBroken):
        join(session, too_young)
    booked = full_session()[1][0]  # an active booking of the service already
    with pytest.raises(Exception) as refused:
        join(session, applicant(id_number=booked.id_number))
    assert type(refused.value).__name__ == "AlreadyBooked"


def test_one_place_per_id_number_and_service():
    session, _ = full_session()
    other, _ = full_session()
    person = applicant()
    join(session, person)
    with pytest.raises(AlreadyWaiting):
        join(other, person)
    assert db.session.query(WaitlistEntry).count() == 1


def test_the_database_refuses_a_second_active_place_for_one_id_number():
    session, _ = full_session()
    first = join(session)
    twin = WaitlistEntry(
        **{
            column: getattr(first, column)
            for column in ("service", "first_day", "last_day", "full_name", "id_number", "phone")
        },
        reference="W20260302-TWIN00",
        state=EntryState.WAITING,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_joining_is_closed_by_the_booking_cutoff(now):
    session, _ = full_session(
        day=local_today() + timedelta(days=1)
    )  # cut-off 24 hours before 09:00
    now(datetime(2026, 3, 2, 2, 0) + timedelta(hours=1))
    with pytest.raises(SessionUnavailable):
        join(session)


def test_a_closed_list_takes_nobody(login_as):
    session, _ = full_session()
    waiting = join(session)
    assert waitlist.close_waitlist(session.id, actor=None) == 1
    assert entry(waiting.id).state == EntryState.CLOSED
    assert messages("waitlist_closed")
    with pytest.raises(WaitlistClosed):
        join(session)


def test_joining_for_any_session_between_two_days():
    full_session(day=local_today() + timedelta(days=4))
    person = applicant()
    place = waitlist.join_waitlist(
        "motorcycle_exam",
        person,
        days=(local_today() + timedelta(days=3), local_today() + timedelta(days=6)),
    )
    assert place.session_id is None and waitlist.position(entry(place.id)) == 1


def test_days_outside_the_window_or_with_a_free_seat_are_refused():
    create_session(day=local_today() + timedelta(days=4))  # a free seat
    days = (local_today() + timedelta(days=3), local_today() + timedelta(days=6))
    with pytest.raises(SeatsStillFree):
        waitlist.join_waitlist("motorcycle_exam", applicant(), days=days)
    far = (local_today() + timedelta(days=20), local_today() + timedelta(days=30))
    with pytest.raises(WaitingDaysInvalid):
        waitlist.join_waitlist("motorcycle_exam", applicant(), days=far)


# --- Offer and hold --------------------------------------------------------------------


def test_a_cancelled_seat_is_held_for_the_first_in_line_and_offered_by_text_and_email():
    session, [booking] = full_session()
    first = join(session, applicant(phone="13900000001", language="en"), email="li@example.com")
    second = join(session, applicant(phone="13900000002"))
    services.cancel_booking(booking.id)
    assert seats(session.id) == (0, 1, 1)
    offered = entry(first.id)
    assert offered.state == EntryState.OFFERED and offered.offered_session_id == session.id
    assert entry(second.id).state == EntryState.WAITING
    [sms] = messages("waitlist_offer", to="13900000001")
    [mail] = messages("waitlist_offer", to="li@example.com")
    assert f"/appointments/waitlist/offer?ref={first.reference}" in sms.body
    assert "held for you" in sms.body and mail.channel == "email"


def test_nobody_else_can_book_a_held_seat():
    session, [booking] = full_session()
    join(session)
    services.cancel_booking(booking.id)
    with pytest.raises(SessionFull):
        services.book_seat("motorcycle_exam", session.id, applicant())


def test_the_offer_lasts_the_hold_hours_but_never_past_the_cutoff(app, monkeypatch):
    session, [booking] = full_session()
    place = join(session)
    services.cancel_booking(booking.id)
    assert entry(place.id).offer_expires_at == datetime(2026, 3, 2, 14, 0)  # 12 hours
    monkeypatch.setitem(app.config, "WAITLIST_HOLD_HOURS", 200)
    other, [taken] = full_session()
    late = join(other)
    services.cancel_booking(taken.id)
    assert entry(late.id).offer_expires_at == other.cutoff(24)


def test_a_seat_freed_too_close_to_the_cutoff_stays_open_to_booking(app, monkeypatch):
    monkeypatch.setitem(app.config, "WAITLIST_MIN_HOLD_HOURS", 24 * 5)
    session, [booking] = full_session()
    place = join(session)
    services.cancel_booking(booking.id)
    assert seats(session.id) == (0, 0, 1)
    assert entry(place.id).state == EntryState.WAITING
    services.book_seat("motorcycle_exam", session.id, applicant())


def test_more_seats_and_a_new_session_are_offered_too(login_as):
    session, _ = full_session()
    first, second = join(session), join(session)
    staff_services.change_capacity(session.id, 2, actor=None)
    assert entry(first.id).state == EntryState.OFFERED
    place = waitlist.join_waitlist(
        "motorcycle_exam",
        applicant(),
        days=(local_today() + timedelta(days=8), local_today() + timedelta(days=9)),
    )
    plan = staff_services.SessionPlan(
        "motorcycle_exam",
        local_today() + timedelta(days=9),
        session.starts_at,
        session.ends_at,
        "考场",
        capacity=1,
    )
    staff_services.publish_sessions(plan)
    assert entry(place.id).state == EntryState.OFFERED
    assert entry(second.id).state == EntryState.WAITING


def test_someone_refused_by_a_rule_for_that_day_keeps_their_place_for_another():
    session, [booking] = full_session()
    person = applicant()
    waits = join(session, person)
    next_one = join(session)
    create_booking(  # a failed attempt recorded since they joined: a 10-day wait
        session=create_session(day=local_today() - timedelta(days=3)),
        id_number=person.id_number,
        result="fail",
        state="completed",
    )
    services.cancel_booking(booking.id)
    assert entry(waits.id).state == EntryState.WAITING
    assert entry(next_one.id).state == EntryState.OFFERED


# --- Confirm, decline, expire ---------------------------------------------------------


def _offered():
    session, [booking] = full_session()
    person = applicant()
    place = join(session, person)
    services.cancel_booking(booking.id)
    return session, place, person


def test_a_confirmed_offer_is_an_ordinary_booking():
    session, place, person = _offered()
    booking = waitlist.confirm_offer(place.reference, person.id_number)
    assert booking.reference.startswith("A") and booking.session_id == session.id
    assert seats(session.id) == (1, 0, 1)
    confirmed = entry(place.id)
    assert confirmed.state == EntryState.BOOKED and confirmed.booking_id == booking.id
    assert messages("booking_confirmed", to=person.phone)


def test_the_offer_is_confirmed_only_with_reference_and_id_number():
    _, place, _ = _offered()
    with pytest.raises(LookupFailed):
        waitlist.confirm_offer(place.reference, make_id_number())
    assert entry(place.id).state == EntryState.OFFERED


def test_an_offer_its_holder_may_no_longer_take_passes_to_the_next_in_line():
    session, place, person = _offered()
    after = join(session, applicant(phone="13900000009"))
    create_booking(  # a failed attempt recorded since the offer: a 10-day wait
        session=create_session(day=local_today() - timedelta(days=3)),
        id_number=person.id_number,
        result="fail",
        state="completed",
    )
    with pytest.raises(OfferPassedOn) as refused:
        waitlist.confirm_offer(place.reference, person.id_number)
    assert isinstance(refused.value.__cause__, RetakeTooSoon)
    assert str(refused.value.__cause__.message) in str(refused.value.message)
    assert entry(place.id).state == EntryState.CLOSED
    assert entry(after.id).state == EntryState.OFFERED
    assert seats(session.id) == (0, 1, 1)


def test_the_page_says_why_an_offer_passed_on(client_request, english):
    session, place, person = _offered()
    create_booking(
        session=create_session(day=local_today() - timedelta(days=3)),
        id_number=person.id_number,
        result="fail",
        state="completed",
    )
    page = client_request.post(
        f"/appointments/waitlist/offer?ref={place.reference}",
        {"reference": place.reference, "id_number": person.id_number, "confirm": ""},
        expected_status=200,
    )
    assert "has gone to the next person in line" in page.select_one(".error-summary").text
    assert entry(place.id).state == EntryState.CLOSED


def test_a_declined_offer_passes_to_the_next_in_line():
    session, place, person = _offered()
    after = join(session, applicant(phone="13900000009"))
    waitlist.decline_offer(place.reference, person.id_number)
    assert entry(place.id).state == EntryState.DECLINED
    assert entry(after.id).state == EntryState.OFFERED
    assert seats(session.id) == (0, 1, 1)
    with pytest.raises(OfferNotOpen):
        waitlist.confirm_offer(place.reference, person.id_number)


def test_an_unanswered_offer_expires_and_passes_to_the_next(now):
    session, place, person = _offered()
    after = join(session)
    now(datetime(2026, 3, 2, 13, 59))
    assert expire_offers() == 0
    now(datetime(2026, 3, 2, 14, 0))
    assert expire_offers() == 1
    assert entry(place.id).state == EntryState.EXPIRED
    assert entry(after.id).state == EntryState.OFFERED
    with pytest.raises(OfferNotOpen):
        waitlist.confirm_offer(place.reference, person.id_number)


def test_an_expired_offer_with_nobody_left_returns_the_seat_to_open_booking(now):
    session, place, _ = _offered()
    now(datetime(2026, 3, 2, 14, 0))
    expire_offers()
    assert seats(session.id) == (0, 0, 1)
    services.book_seat("motorcycle_exam", session.id, applicant())


def test_booking_another_session_ends_the_place_and_any_offer():
    session, place, person = _offered()
    after = join(session)
    services.book_seat("motorcycle_exam", create_session().id, person)
    assert entry(place.id).state == EntryState.CLOSED
    assert entry(after.id).state == EntryState.OFFERED  # the seat went on down the line


def test_leaving_the_list_hands_a_held_seat_on():
    session, place, _ = _offered()
    after = join(session)
    waitlist.leave_waitlist(place.id)
    assert entry(place.id).state == EntryState.LEFT
    assert entry(after.id).state == EntryState.OFFERED


def test_a_cancelled_session_closes_its_list_and_returns_other_offers_to_the_line():
    session, [booking] = full_session()
    days = (session.day, session.day + timedelta(days=1))
    ranged = waitlist.join_waitlist("motorcycle_exam", applicant(), days=days)
    for_it = join(session)
    services.cancel_booking(booking.id)  # held for the first in line: the one for any day
    assert entry(ranged.id).state == EntryState.OFFERED
    staff_services.cancel_session(session.id, reason="The examiner is ill.", actor=None)
    assert entry(ranged.id).state == EntryState.WAITING
    assert entry(ranged.id).offered_session_id is None
    assert entry(for_it.id).state == EntryState.CLOSED
    assert seats(session.id)[:2] == (0, 0)


def test_lapsed_places_leave_the_line(now):
    session, _ = full_session()
    place = join(session)
    now(datetime(2026, 3, 6, 2, 0))  # past the cut-off of the session
    expire_offers()
    assert entry(place.id).state == EntryState.CLOSED


def test_the_expiry_command_runs_by_hand(runner, now):
    session, place, _ = _offered()
    now(datetime(2026, 3, 2, 15, 0))
    result = runner.invoke(args=["waitlist", "expire"])
    assert result.exit_code == 0 and "1 offers or places ended" in result.output
    assert entry(place.id).state == EntryState.EXPIRED


def test_the_expiry_is_a_periodic_task_every_five_minutes():
    from webapp.features import PERIODIC_TASKS

    assert PERIODIC_TASKS["waitlist.expire_offers"] == (expire_offers, 5)


def test_the_bookings_made_from_the_list_are_ordinary():
    _, place, person = _offered()
    booking = waitlist.confirm_offer(place.reference, person.id_number)
    assert db.session.get(Booking, booking.id).is_active


# --- Retention and figures ------------------------------------------------------------


def test_retention_blanks_ended_places_of_old_days_and_keeps_the_counts(now):
    from webapp.notifications.retention import apply_retention

    session, place, person = _offered()
    waitlist.confirm_offer(place.reference, person.id_number)
    still_waiting = join(session)
    later = now(datetime(2027, 6, 1))
    results = {item.name: item.count for item in apply_retention(now=later)}
    assert results["waiting lists"] > 0
    ended, waiting = entry(place.id), entry(still_waiting.id)
    assert (ended.full_name, ended.id_number, ended.phone, ended.email) == ("", "", "", "")
    assert ended.state == EntryState.BOOKED and ended.service == "motorcycle_exam"
    assert waiting.id_number  # an active place is left alone
    offers = messages("waitlist_offer")
    assert offers and all(message.recipient == "" for message in offers)
    assert {item.name: item.count for item in apply_retention(now=later)}["waiting lists"] == 0


def test_the_figures_count_seats_filled_from_the_list_and_the_median_wait():
    from webapp.appointments.waitlist.figures import waitlist_tables
    from webapp.staff.reporting import calendar_year

    for hours in (2, 4, 30):
        _, place, person = _offered()
        waitlist.confirm_offer(place.reference, person.id_number)
        booked = entry(place.id)
        booked.created_at = booked.state_changed_at - timedelta(hours=hours)
        db.session.commit()
    filled, median_wait = waitlist_tables(calendar_year(entry(place.id).state_changed_at.year))
    label = str(SERVICES["motorcycle_exam"].label)
    assert dict(filled.rows)[label] == 3
    assert dict(median_wait.rows)[label] == 4
    # The bookings' figures carry them, for the dashboard and the annual report alike.
    from webapp.appointments.inbox import booking_figures

    titles = [str(table.title) for table in booking_figures(calendar_year(2026)).tables]
    assert str(filled.title) in titles and str(median_wait.title) in titles


def test_a_seat_freed_by_a_move_is_offered_to_the_line():
    session, [booking] = full_session()
    place = join(session)
    services.move_booking(booking.id, create_session(day=session.day + timedelta(days=1)).id)
    assert entry(place.id).state == EntryState.OFFERED
    assert seats(session.id) == (0, 1, 1)
