"""A state machine mixes bookings, cancellations, joins, offers, confirmations and expiries.

After every step: each seat is free, held or booked exactly once (the
session's counters are the active bookings and the offers made in it, within
its capacity); no free seat is left while someone who could take it waits;
and offers follow the order of the line (everyone offered or booked from the
line of a session joined before anyone still waiting for it).
"""

import contextlib
from datetime import date, time, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from tests.appointments.conftest import FROZEN_NOW
from tests.factories import make_id_number
from webapp.appointments import services, staff_services
from webapp.appointments.errors import AppointmentError
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.appointments.waitlist import services as waitlist
from webapp.appointments.waitlist.models import WaitlistEntry, wants
from webapp.appointments.waitlist.offers import expire_offers
from webapp.appointments.waitlist.states import ACTIVE_STATES, EntryState
from webapp.common.workflow import TransitionNotAllowed
from webapp.extensions import db

DAYS = (date(2026, 3, 5), date(2026, 3, 6))  # inside the window
PEOPLE = 6
SESSION = st.integers(0, len(DAYS) - 1)
PERSON = st.integers(0, PEOPLE - 1)
CLOCK: dict = {}  # the `now` fixture's setter, for the expiry rule


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class WaitingLists(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        _empty_tables()
        self.moment = CLOCK["set"](FROZEN_NOW)
        self.sessions = []
        for day in DAYS:
            plan = staff_services.SessionPlan(
                "motorcycle_exam", day, time(9), time(11), "摩托车考场", capacity=1
            )
            self.sessions += [s.id for s in staff_services.publish_sessions(plan)]
        self.people = [
            services.Applicant(
                full_name=f"考生{number}",
                id_number=make_id_number(),
                phone=f"1390000{number:04d}",
                subject=2,
                licence_class="E",
            )
            for number in range(PEOPLE)
        ]
        # Every session starts full, booked by the last people, so that the line forms at once.
        for session_id, person in zip(self.sessions, self.people[-len(DAYS) :], strict=True):
            services.book_seat("motorcycle_exam", session_id, person)

    def teardown(self):
        db.session.rollback()

    def _entry_of(self, person: int) -> WaitlistEntry | None:
        db.session.rollback()
        return db.session.scalar(
            WaitlistEntry.active_for("motorcycle_exam", self.people[person].id_number)
        )

    @rule(session=SESSION, person=PERSON)
    def book(self, session, person):
        with contextlib.suppress(AppointmentError):
            services.book_seat("motorcycle_exam", self.sessions[session], self.people[person])

    @rule(session=SESSION)
    def cancel(self, session):
        db.session.rollback()
        booking = db.session.scalar(
            select(Booking)
            .where(
                Booking.session_id == self.sessions[session],
                Booking.state == BookingState.ACTIVE,
            )
            .order_by(Booking.id)
            .limit(1)
        )
        if booking is not None:
            services.cancel_booking(booking.id)

    @rule(session=SESSION, person=PERSON)
    def join_session(self, session, person):
        with contextlib.suppress(AppointmentError):
            waitlist.join_waitlist(
                "motorcycle_exam", self.people[person], session_id=self.sessions[session]
            )

    @rule(first=SESSION, length=st.integers(0, 2), person=PERSON)
    def join_days(self, first, length, person):
        days = (DAYS[first], DAYS[min(first + length, len(DAYS) - 1)])
        with contextlib.suppress(AppointmentError):
            waitlist.join_waitlist("motorcycle_exam", self.people[person], days=days)

    @rule(person=PERSON, accept=st.booleans())
    def answer_offer(self, person, accept):
        entry = self._entry_of(person)
        if entry is None or not entry.is_offered:
            return
        answer = waitlist.confirm_offer if accept else waitlist.decline_offer
        answer(entry.reference, entry.id_number)

    @rule(person=PERSON)
    def leave(self, person):
        entry = self._entry_of(person)
        if entry is not None:
            waitlist.leave_waitlist(entry.id)

    @rule(hours=st.integers(1, 13))
    def time_passes_and_offers_expire(self, hours):
        self.moment = CLOCK["set"](self.moment + timedelta(hours=hours))
        expire_offers()

    @rule(session=SESSION, more=st.integers(1, 2))
    def raise_capacity(self, session, more):
        db.session.rollback()
        row = db.session.get(AppointmentSession, self.sessions[session])
        with contextlib.suppress(AppointmentError, TransitionNotAllowed):
            staff_services.change_capacity(row.id, row.capacity + more, actor=None)

    @invariant()
    def every_seat_is_free_held_or_booked_once(self):
        db.session.rollback()
        booked = dict(
            db.session.execute(
                select(Booking.session_id, func.count(Booking.id))
                .where(Booking.state == BookingState.ACTIVE)
                .group_by(Booking.session_id)
            ).all()
        )
        held = dict(
            db.session.execute(
                select(WaitlistEntry.offered_session_id, func.count(WaitlistEntry.id))
                .where(WaitlistEntry.state == EntryState.OFFERED)
                .group_by(WaitlistEntry.offered_session_id)
            ).all()
        )
        for row in db.session.scalars(select(AppointmentSession)):
            assert row.seats_taken == booked.get(row.id, 0)
            assert row.seats_held == held.get(row.id, 0)
            assert row.seats_taken + row.seats_held <= row.capacity

    @invariant()
    def nobody_holds_an_offer_and_a_booking_or_two_places(self):
        active = db.session.execute(
            select(WaitlistEntry.id_number, WaitlistEntry.state).where(
                WaitlistEntry.state.in_(ACTIVE_STATES)
            )
        ).all()
        assert len({id_number for id_number, _ in active}) == len(active)
        booked = set(db.session.scalars(select(Booking.id_number).where(Booking.state == "active")))
        assert not {n for n, state in active if state == EntryState.OFFERED} & booked

    @invariant()
    def offers_follow_the_line_and_no_free_seat_is_left_to_the_waiting(self):
        for row in db.session.scalars(select(AppointmentSession)):
            waiting = db.session.scalars(
                select(WaitlistEntry.id).where(
                    WaitlistEntry.state == EntryState.WAITING, wants(row)
                )
            ).all()
            if not waiting or self.moment >= row.cutoff(24) - timedelta(hours=1):
                continue
            assert row.seats_left == 0, "a free seat while someone waits for it"
            served = db.session.scalars(
                select(WaitlistEntry.id).where(
                    WaitlistEntry.offered_session_id == row.id,
                    WaitlistEntry.state.in_([EntryState.OFFERED, EntryState.BOOKED]),
                )
            ).all()
            assert all(first < min(waiting) for first in served), "an offer out of turn"


def test_seats_and_the_line_stay_consistent_whatever_is_done(app, app_context, now):
    CLOCK["set"] = now
    run_state_machine_as_test(
        WaitingLists,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
