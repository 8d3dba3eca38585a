"""Seats have one owner: `webapp/appointments/seats.py` alone changes `seats_taken`.

A state machine books, cancels, moves, cancels sessions and edits capacities in
random order through the real services, and after every step each session's
seats taken must be the number of its active bookings, never above its capacity.
"""

import ast
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from tests.factories import make_id_number
from webapp.appointments import services, staff_services
from webapp.appointments.errors import (
    AlreadyBooked,
    CapacityTooLow,
    ChangeNotAllowed,
    SessionFull,
    SessionUnavailable,
)
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.common.workflow import TransitionNotAllowed
from webapp.extensions import db

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
OWNER = WEBAPP / "appointments" / "seats.py"
DECLARED_IN = WEBAPP / "appointments" / "models.py"  # the column itself: `seats_taken: Mapped[int]`


COUNTERS = frozenset({"seats_taken", "seats_held"})


def seat_writes(source: str, *, declarations_allowed: bool = False) -> list[int]:
    """Line numbers where `source` assigns or updates `seats_taken` or `seats_held`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            declaration = declarations_allowed and isinstance(node, ast.AnnAssign)
            lines += [node.lineno] if _assigns_seats(node, declaration=declaration) else []
        elif isinstance(node, ast.keyword) and node.arg in COUNTERS:
            lines.append(node.value.lineno)  # .values(seats_taken=...), Model(seats_taken=...)
        elif isinstance(node, ast.Dict):
            lines += [key.lineno for key in node.keys if _names_seats(key)]  # .values({...})
        elif isinstance(node, ast.Call) and _calls(node, "setattr") and len(node.args) > 1:
            lines += [node.lineno] if _names_seats(node.args[1]) else []
    return lines


def _assigns_seats(node, *, declaration: bool) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for part in (part for target in targets for part in ast.walk(target)):
        if isinstance(part, ast.Attribute) and part.attr in COUNTERS:
            return True
        if isinstance(part, ast.Name) and part.id in COUNTERS and not declaration:
            return True
    return False


def _names_seats(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in COUNTERS
    return isinstance(node, ast.Attribute) and node.attr in COUNTERS


def _calls(node: ast.Call, name: str) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == name


def test_only_the_seats_module_writes_seats_taken():
    found = []
    for path in sorted(WEBAPP.rglob("*.py")):
        if path == OWNER:
            continue
        writes = seat_writes(path.read_text(), declarations_allowed=path == DECLARED_IN)
        found += [f"{path.relative_to(WEBAPP.parent)}:{line}" for line in writes]
    assert not found, (
        f"seats_taken or seats_held is written outside webapp/appointments/seats.py: {found}"
    )


@pytest.mark.parametrize(
    "source",
    [
        "session.seats_taken = 0",
        "session.seats_taken += 1",
        "update(AppointmentSession).values(seats_taken=AppointmentSession.seats_taken + 1)",
        "update(AppointmentSession).values({AppointmentSession.seats_taken: 0})",
        "update(AppointmentSession).values({'seats_taken': 0})",
        "AppointmentSession(capacity=5, seats_taken=0)",
        "setattr(session, 'seats_taken', 3)",
        "a, b.seats_taken = 1, 2",
        "session.seats_held -= 1",
        "update(AppointmentSession).values(seats_held=0)",
    ],
)
def test_the_convention_test_sees_every_way_of_writing_seats_taken(source):
    assert seat_writes(source) == [1]


def test_the_convention_test_leaves_reads_and_the_column_declaration_alone():
    source = (
        "class AppointmentSession:\n"
        "    seats_taken: Mapped[int] = mapped_column(default=0)\n"
        "left = session.capacity - session.seats_taken\n"
        "query.where(AppointmentSession.seats_taken < AppointmentSession.capacity)\n"
    )
    assert seat_writes(source, declarations_allowed=True) == []


# --- The state machine --------------------------------------------------------------

DAYS = (date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9))  # inside the window
APPLICANTS = 4  # few, so that the same person often tries to book twice


def _empty_tables() -> None:
    """Start each example afresh: the autouse fixture empties the tables only after the test."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class Seats(RuleBasedStateMachine):
    """Random acts on three sessions; a model says which must be refused and why."""

    bookings = Bundle("bookings")

    def __init__(self):
        super().__init__()
        _empty_tables()
        self.sessions = []
        for day in DAYS:
            plan = staff_services.SessionPlan(
                "motorcycle_exam", day, time(9), time(11), "摩托车考场", capacity=2
            )
            self.sessions += [s.id for s in staff_services.publish_sessions(plan)]
        self.capacity = dict.fromkeys(self.sessions, 2)
        self.cancelled: set[int] = set()
        self.where: dict[int, int] = {}  # active booking id -> its session id
        self.holder: dict[int, str] = {}  # booking id -> ID number
        self.people = [make_id_number() for _ in range(APPLICANTS)]

    def teardown(self):
        db.session.rollback()

    def _taken(self, session_id: int) -> int:
        return sum(1 for where in self.where.values() if where == session_id)

    def _expect_seat(self, session_id: int, id_number: str, *, moving: int | None = None):
        """The refusal the model expects for this seat, or None."""
        if session_id in self.cancelled:
            return SessionUnavailable
        if moving is not None and self.where[moving] == session_id:
            return SessionUnavailable
        if self._taken(session_id) >= self.capacity[session_id]:
            return SessionFull
        holders = {self.holder[b] for b in self.where if b != moving}
        return AlreadyBooked if id_number in holders else None

    @rule(
        target=bookings,
        session=st.integers(0, len(DAYS) - 1),
        person=st.integers(0, APPLICANTS - 1),
    )
    def book(self, session, person):
        session_id, id_number = self.sessions[session], self.people[person]
        expected = self._expect_seat(session_id, id_number)
        applicant = services.Applicant(
            full_name="张伟",
            id_number=id_number,
            phone="13800138000",
            subject=2,
            licence_class="E",
        )
        try:
            booking = services.book_seat("motorcycle_exam", session_id, applicant)
        except (SessionFull, SessionUnavailable, AlreadyBooked) as refused:
            assert type(refused) is expected
            return None
        assert expected is None
        self.where[booking.id] = session_id
        self.holder[booking.id] = id_number
        return booking.id

    @rule(booking=bookings)
    def cancel(self, booking):
        if booking is None:
            return
        try:
            services.cancel_booking(booking)
        except ChangeNotAllowed:
            assert booking not in self.where
            return
        assert self.where.pop(booking) is not None

    @rule(booking=bookings, session=st.integers(0, len(DAYS) - 1))
    def move(self, booking, session):
        if booking is None:
            return
        session_id = self.sessions[session]
        expected = (
            ChangeNotAllowed
            if booking not in self.where
            else self._expect_seat(session_id, self.holder[booking], moving=booking)
        )
        try:
            services.move_booking(booking, session_id)
        except (ChangeNotAllowed, SessionFull, SessionUnavailable) as refused:
            assert type(refused) is expected
            return
        assert expected is None
        self.where[booking] = session_id

    @rule(session=st.integers(0, len(DAYS) - 1))
    def cancel_session(self, session):
        session_id = self.sessions[session]
        try:
            cancelled = staff_services.cancel_session(session_id, reason="storm", actor=None)
        except TransitionNotAllowed:
            assert session_id in self.cancelled
            return
        assert {b.id for b in cancelled} == {b for b, s in self.where.items() if s == session_id}
        self.cancelled.add(session_id)
        self.where = {b: s for b, s in self.where.items() if s != session_id}

    @rule(session=st.integers(0, len(DAYS) - 1), capacity=st.integers(1, 4))
    def change_capacity(self, session, capacity):
        session_id = self.sessions[session]
        try:
            staff_services.change_capacity(session_id, capacity, actor=None)
        except CapacityTooLow:
            assert capacity < self._taken(session_id)
            return
        assert capacity >= self._taken(session_id)
        self.capacity[session_id] = capacity

    @invariant()
    def seats_taken_is_the_count_of_active_bookings(self):
        db.session.rollback()  # read what the services committed
        active = dict(
            db.session.execute(
                select(Booking.session_id, func.count(Booking.id))
                .where(Booking.state == BookingState.ACTIVE)
                .group_by(Booking.session_id)
            ).all()
        )
        rows = db.session.scalars(select(AppointmentSession)).all()
        seen = {row.id: (row.seats_taken, row.capacity) for row in rows}
        assert seen == {
            session_id: (active.get(session_id, 0), self.capacity[session_id])
            for session_id in self.sessions
        }
        assert all(taken <= capacity for taken, capacity in seen.values())
        assert active == {s: self._taken(s) for s in self.sessions if self._taken(s)}


def test_seats_taken_always_counts_the_active_bookings_whatever_is_done(app, app_context, now):
    run_state_machine_as_test(
        Seats,
        settings=settings(
            max_examples=40,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
