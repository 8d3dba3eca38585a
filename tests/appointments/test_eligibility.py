"""Every rule of who may hold a seat, through every way of getting one (SPEC.md §7).

Each case sets up an applicant whom one rule refuses on the `early` session but
not on the `late` one, then asks for the early seat by booking it (the check step
and the confirmation) and by moving a late booking to it, through the web forms.
Each path must show the rule's own message and change nothing.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.appointments.helpers import book_url, booking_answers, read_fresh
from tests.factories import create_booking, create_session, make_id_number
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, ExamResult, SessionState
from webapp.extensions import db

EARLY, LATE = date(2026, 3, 5), date(2026, 3, 10)  # the clock says Monday 2 March 2026
COMPLETED = BookingState.COMPLETED
# A booking being moved is the applicant's one active booking of the service (a unique
# index): it cannot break this rule, and must not count against itself (tested below).
NOT_ON_A_MOVE = "one active booking per ID number and service"


@dataclass
class Case:
    """One rule: whom it refuses, on which session, and what it says."""

    says: str
    service: str = "motorcycle_exam"
    answers: dict = field(default_factory=dict)  # the applicant, as the form gives it
    early: dict = field(default_factory=dict)  # how to make the refused session
    before: dict | None = None  # another booking of the same applicant, if the rule needs one
    offered: bool = True  # whether the early session is among the choices on the page


def _sessions(case: Case) -> tuple[AppointmentSession, AppointmentSession]:
    early = create_session(service=case.service, **{"day": EARLY, **case.early})
    late = create_session(service=case.service, day=LATE)
    return early, late


CASES = {
    "age on the session's day": Case(
        says="You must be at least 18 years old on the day of the session.",
        answers={"id_number": make_id_number(birth=date(2008, 3, 8))},  # 18 on 8 March
    ),
    "licence class of the service": Case(
        says="This service is only for licence classes D/E/F.",
        answers={"licence_class": "B2"},
    ),
    "licence renewal window": Case(
        service="licence_renewal",
        says="A licence can be renewed from 90 days before it expires; book a session from 2026-03-06.",
        answers={"licence_expiry": "2026-06-04"},  # 91 days after the early session
    ),
    "wait after a failed exam": Case(
        says="After a failed attempt or a no-show, this subject can be booked again from 2026-03-08.",
        answers={"subject": "2"},
        before={"day": date(2026, 2, 26), "result": ExamResult.FAIL, "state": COMPLETED},
    ),
    "wait after a no-show": Case(
        says="After a failed attempt or a no-show, this subject can be booked again from 2026-03-08.",
        answers={"subject": "2"},
        before={"day": date(2026, 2, 26), "result": ExamResult.NO_SHOW, "state": COMPLETED},
    ),
    "one active booking per ID number and service": Case(
        says="This ID number already has an active booking for this service.",
        before={"day": date(2026, 3, 6), "state": BookingState.ACTIVE},
    ),
    "booking window": Case(
        says="This session can no longer be booked",
        early={"day": date(2026, 3, 20)},  # 18 days ahead: the window opens 14 days ahead
        offered=False,
    ),
    "cut-off": Case(
        says="This session can no longer be booked",
        early={"day": date(2026, 3, 3)},  # 09:00 tomorrow: the 24-hour cut-off has passed
        offered=False,
    ),
    "session closed": Case(
        says="This session can no longer be booked",
        early={"state": SessionState.CLOSED},
        offered=False,
    ),
    "session cancelled": Case(
        says="This session can no longer be booked",
        early={"state": SessionState.CANCELLED},
        offered=False,
    ),
    "seats left": Case(
        says="Sorry, this session has just been fully booked.",
        early={"capacity": 1, "seats_taken": 1},
    ),
}


def _answers(case: Case, session: AppointmentSession, id_number: str) -> dict:
    return booking_answers(session, **{"id_number": id_number, **case.answers})


def _past_booking(case: Case, id_number: str) -> None:
    if case.before is not None:
        fields = dict(case.before)
        day = fields.pop("day")
        create_booking(
            session=create_session(service=case.service, day=day),
            id_number=id_number,
            subject=2,
            **fields,
        )


def _snapshot() -> dict:
    read_fresh()
    return {
        "seats": dict(
            db.session.execute(select(AppointmentSession.id, AppointmentSession.seats_taken)).all()
        ),
        "bookings": sorted(
            db.session.execute(select(Booking.id, Booking.session_id, Booking.state)).all()
        ),
    }


def _refusal(page) -> str:
    summary = page.select_one(".error-summary")
    return text_of(summary) if summary else ""


def _book(client_request, case, *, confirm: bool) -> tuple:
    early, _late = _sessions(case)
    id_number = case.answers.get("id_number") or make_id_number()
    _past_booking(case, id_number)
    answers = _answers(case, early, id_number)
    if confirm:
        answers["confirm"] = "1"
    before = _snapshot()
    page = client_request.post(book_url(early), answers)
    return page, before, early


def _move(client_request, case) -> tuple:
    """Move the applicant's booking of the late session, which they may hold, to the early one.

    The booking is made by the factory as a booking made before would be: for
    the wait, its subject's failed attempt was recorded after it was booked; for
    the licence class, the class was taken off the service since.
    """
    early, late = _sessions(case)
    id_number = case.answers.get("id_number") or make_id_number()
    _past_booking(case, id_number)
    answers = _answers(case, late, id_number)
    booking = create_booking(
        session=late,
        id_number=id_number,
        subject=int(answers.get("subject", 2)),
        licence_class=answers.get("licence_class", "E"),
        licence_expiry=date.fromisoformat(answers["licence_expiry"])
        if "licence_expiry" in answers
        else None,
    )
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": id_number},
        expected_status=302,
    )
    before = _snapshot()
    page = client_request.post("/appointments/manage/move", {"session_id": early.id})
    return page, before, early


ENTRY_POINTS = {
    "check step": lambda client_request, case: _book(client_request, case, confirm=False),
    "booking": lambda client_request, case: _book(client_request, case, confirm=True),
    "move": _move,
}


@pytest.mark.parametrize(
    ("rule", "entry"),
    [
        (rule, entry)
        for rule in CASES
        for entry in ENTRY_POINTS
        if (rule, entry) != (NOT_ON_A_MOVE, "move")
    ],
)
def test_every_rule_refuses_the_seat_on_every_path_with_its_message_and_changes_nothing(
    client_request, english, app_context, now, rule, entry
):
    case = CASES[rule]
    page, before, early = ENTRY_POINTS[entry](client_request, case)
    assert case.says in _refusal(page)
    assert _snapshot() == before
    chosen = page.select("input[name=session_id]:checked")
    # An offered session stays chosen, so that the applicant sees which one was refused.
    assert [int(radio["value"]) for radio in chosen] == ([early.id] if case.offered else [])


def test_the_same_applicant_may_book_and_move_to_the_late_session(
    client_request, english, app_context, now
):
    """Each case refuses only the early session: the late one is open to the same applicant."""
    for rule, case in CASES.items():
        if rule == NOT_ON_A_MOVE:
            continue  # not a rule of the session's day: the late session is refused as well
        read_fresh()
        _early, late = _sessions(case)
        id_number = case.answers.get("id_number") or make_id_number()
        _past_booking(case, id_number)
        answers = {**_answers(case, late, id_number), "confirm": "1"}
        if rule.startswith("wait after"):
            answers["subject"] = "3"  # the wait is for the failed subject only
        if rule == "licence class of the service":
            answers["licence_class"] = "E"
        client_request.post(book_url(late), answers, expected_status=302)


def test_a_moved_booking_does_not_count_against_itself(client_request, english, app_context, now):
    id_number = make_id_number()
    old = create_session(day=LATE)
    new = create_session(day=EARLY)
    booking = create_booking(session=old, id_number=id_number)
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": id_number},
        expected_status=302,
    )
    client_request.post("/appointments/manage/move", {"session_id": new.id}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).session_id == new.id
    active = db.session.scalar(
        select(func.count(Booking.id)).where(
            Booking.id_number == id_number, Booking.state == BookingState.ACTIVE
        )
    )
    assert active == 1


def test_an_applicant_who_books_the_late_session_cannot_move_to_one_before_turning_18(
    client_request, english, app_context, now
):
    """The case that started it: 17 on the early session's day, 18 on the late one's."""
    early, late = create_session(day=EARLY), create_session(day=LATE)
    id_number = make_id_number(birth=date(2008, 3, 8))
    client_request.post(
        book_url(late),
        {**booking_answers(late, id_number=id_number), "confirm": "1"},
        expected_status=302,
    )
    read_fresh()
    booking = db.session.scalar(select(Booking))
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": id_number},
        expected_status=302,
    )
    page = client_request.post("/appointments/manage/move", {"session_id": early.id})
    assert "at least 18 years old" in _refusal(page)
    read_fresh()
    assert db.session.get(Booking, booking.id).session_id == late.id
    seats = {s.id: s.seats_taken for s in db.session.scalars(select(AppointmentSession))}
    assert seats == {early.id: 0, late.id: 1}
