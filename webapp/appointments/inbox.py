"""Bookings in the back office's one inbox: those needing action, and their figures.

A booking needs action while it is active and its session is today or past: the
clerk checks the applicant in, records the result, marks a no-show or cancels
it. "No-show" is shown as a state of its own (a completed booking whose result is
a no-show), so that it can be filtered and counted.
"""

from collections import Counter
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from webapp.appointments import session_rules
from webapp.appointments import staff_services as ops
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.rules import SERVICES, service_label
from webapp.appointments.states import (
    BOOKING_STATE_LABELS,
    RESULT_LABELS,
    BookingState,
    ExamResult,
)
from webapp.appointments.waitlist.figures import waitlist_tables
from webapp.common import clock
from webapp.common.clock import to_local
from webapp.common.workflow import TransitionNotAllowed, assign
from webapp.extensions import db
from webapp.staff.inbox import (
    FigureTable,
    InboxActionRefused,
    InboxRow,
    InboxSource,
    Period,
    SourceFigures,
    filter_select,
    load_row,
)
from webapp.staff.roles import Role

TYPE = Booking.SUBJECT_TYPE
LABEL = _l("Appointment")
NO_SHOW = "no_show"
STATES = (
    (BookingState.ACTIVE.value, BOOKING_STATE_LABELS[BookingState.ACTIVE]),
    (BookingState.COMPLETED.value, BOOKING_STATE_LABELS[BookingState.COMPLETED]),
    (NO_SHOW, RESULT_LABELS[ExamResult.NO_SHOW]),
    (BookingState.CANCELLED.value, BOOKING_STATE_LABELS[BookingState.CANCELLED]),
)
CATEGORIES = tuple((code, rule.label) for code, rule in SERVICES.items())
INBOX_STATE = case(
    (Booking.result == ExamResult.NO_SHOW.value, NO_SHOW), else_=Booking.state
)  # the state as the inbox shows and filters it


def inbox_state(booking: Booking) -> str:
    return NO_SHOW if booking.is_no_show else booking.state


def select_bookings(filters, user):
    stmt = select(Booking).join(Booking.session)
    if not filters.state:  # the open queue: only the bookings that need action
        stmt = stmt.where(AppointmentSession.day <= clock.local_today())
    # Only "completed" and "no-show" need the computed state; the others use the index.
    computed = filters.state in (BookingState.COMPLETED, NO_SHOW)
    return filter_select(
        stmt,
        filters=filters,
        user=user,
        state_column=INBOX_STATE if computed else Booking.state,
        open_states=(BookingState.ACTIVE.value,),
        created_column=Booking.created_at,
        assignee_column=Booking.assignee_id,
        category_column=Booking.service,
        search_columns=(Booking.reference, Booking.phone, Booking.full_name, Booking.id_number),
    )


def _since(booking: Booking) -> datetime:
    """When the row entered its present state; an active booking waits from its session's start."""
    if booking.is_active:
        return max(booking.state_changed_at, booking.session.start_utc)
    return booking.state_changed_at


def booking_row(booking: Booking) -> InboxRow:
    session = booking.session
    state = inbox_state(booking)
    return InboxRow(
        row_id=booking.id,
        reference=booking.reference,
        type=TYPE,
        type_label=str(LABEL),
        category=service_label(booking.service),
        summary=(
            f"{session.day.isoformat()} {session.time_range} · "
            f"{booking.full_name} {booking.masked_phone}"
        ).strip(),
        state=state,
        state_label=str(dict(STATES)[state]),
        created_at=booking.created_at,
        state_changed_at=_since(booking),
        assignee=booking.assignee.name if booking.assignee else "",
        detail_url=url_for("appointments_staff.booking_detail", booking_id=booking.id),
        is_open=booking.needs_action(clock.local_today()),
    )


def assign_booking(row_id: int, assignee) -> Booking:
    booking = load_row(Booking, row_id)
    if not booking.is_active:
        raise InboxActionRefused(_l("Only an active booking can be assigned."))
    assign(booking, assignee)
    return booking


def change_booking_state(row_id: int, state: str, message: str, actor) -> Booking:
    """Check in (completed), mark a no-show or cancel, as the workflow allows.

    No commit and no audit entry: the inbox writes the row's one entry.
    """
    booking = load_row(Booking, row_id)
    from_state = inbox_state(booking)
    if not booking.is_active or state not in (
        BookingState.COMPLETED,
        NO_SHOW,
        BookingState.CANCELLED,
    ):
        raise TransitionNotAllowed(from_state, state)
    if state == BookingState.CANCELLED:
        ops.cancel_by_staff(booking, actor=actor, public_message=message)
        return booking
    if not session_rules.has_started(booking.session):
        raise InboxActionRefused(session_rules.SessionNotStarted.default_message)
    if state == NO_SHOW:
        if booking.checked_in_at is not None:
            raise InboxActionRefused(_l("This applicant has been checked in."))
        ops.mark_no_show(booking, actor=actor, public_message=message)
    elif booking.is_exam:
        raise InboxActionRefused(
            _l("An exam booking is completed by recording its result on the session's roster.")
        )
    else:
        ops.mark_checked_in(booking, actor=actor, public_message=message)
    return booking


def _attended(result: str | None, checked_in: bool) -> bool:
    return checked_in or result in (ExamResult.PASS, ExamResult.FAIL)


def booking_figures(period: Period) -> SourceFigures:
    """Bookings made in the period: by state, by service, attendance, no-shows, per month."""
    rows = db.session.execute(
        select(
            Booking.service,
            INBOX_STATE,
            Booking.result,
            Booking.checked_in_at.is_not(None),
            Booking.created_at,
            Booking.state_changed_at,
        ).where(Booking.created_at >= period.start, Booking.created_at < period.end)
    ).all()
    states = Counter(row[1] for row in rows)
    services = Counter(row[0] for row in rows)
    attended = Counter(row[0] for row in rows if _attended(row[2], row[3]))
    no_shows = Counter(row[0] for row in rows if row[1] == NO_SHOW)
    months = Counter((to_local(row[4]).year, to_local(row[4]).month) for row in rows)
    closed = (BookingState.COMPLETED, BookingState.CANCELLED, NO_SHOW)
    return SourceFigures(
        by_state=[(str(label), states[code]) for code, label in STATES],
        by_category=[(str(label), services[code]) for code, label in CATEGORIES],
        hours_to_close=[
            (row[5] - row[4]).total_seconds() / 3600 for row in rows if row[1] in closed
        ],
        monthly=[months[month] for month in period.months],
        tables=[
            FigureTable(
                title=_l("Bookings attended, by service"),
                rows=[(str(label), attended[code]) for code, label in CATEGORIES],
            ),
            FigureTable(
                title=_l("No-shows, by service"),
                rows=[(str(label), no_shows[code]) for code, label in CATEGORIES],
            ),
            *waitlist_tables(period),
        ],
    )


SOURCE = InboxSource(
    type=TYPE,
    label=LABEL,
    roles=frozenset({Role.BOOKING_CLERK}),
    select_rows=select_bookings,
    to_row=booking_row,
    states=STATES,
    categories=CATEGORIES,
    assign=assign_booking,
    change_state=change_booking_state,
    figures=booking_figures,
)
