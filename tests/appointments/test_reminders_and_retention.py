"""Reminders the day before a session, and anonymised bookings of long-past sessions."""

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session
from webapp.appointments.models import Booking
from webapp.appointments.states import BookingState, ExamResult, SessionState
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.models import OutboxMessage

TOMORROW = date(2026, 3, 3)


def test_tomorrows_active_bookings_are_reminded_once_each(runner, app_context, now):
    session = create_session(day=TOMORROW)
    chinese = create_booking(session=session, phone="13800000001")
    english = create_booking(session=session, phone="13800000002", language="en")
    create_booking(session=session, state=BookingState.CANCELLED)
    create_booking(session=create_session(day=TOMORROW, state=SessionState.CANCELLED))
    create_booking(session=create_session(day=TOMORROW + timedelta(days=1)))

    first = runner.invoke(args=["reminders", "queue", "--day", TOMORROW.isoformat()])
    second = runner.invoke(args=["reminders", "queue", "--day", TOMORROW.isoformat()])

    assert "appointments: 2 queued, 0 already queued" in first.output
    assert "appointments: 0 queued, 2 already queued" in second.output
    read_fresh()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.subject_id)).all()
    assert [(row.kind, row.dedupe_key, row.recipient, row.language) for row in rows] == [
        (MessageKind.REMINDER, f"reminder:booking:{chinese.id}", "13800000001", "zh"),
        (MessageKind.REMINDER, f"reminder:booking:{english.id}", "13800000002", "en"),
    ]
    assert rows[1].subject == "Reminder: Motorcycle driving exam tomorrow"
    assert english.reference in rows[1].body and "Mar 3, 2026" in rows[1].body


def _personal(booking_id: int) -> tuple:
    booking = db.session.get(Booking, booking_id)
    return booking.full_name, booking.id_number, booking.phone, booking.licence_expiry


def _statistics() -> list:
    read_fresh()
    return db.session.execute(
        select(
            Booking.service,
            Booking.session_id,
            Booking.state,
            Booking.result,
            Booking.subject,
            Booking.licence_class,
            func.count(),
        )
        .group_by(
            Booking.service,
            Booking.session_id,
            Booking.state,
            Booking.result,
            Booking.subject,
            Booking.licence_class,
        )
        .order_by(Booking.session_id, Booking.state, Booking.result)
    ).all()


def test_retention_blanks_closed_bookings_of_old_sessions_and_keeps_the_figures(
    runner, app_context
):
    old = create_session(day=local_today() - timedelta(days=500))
    old_renewal = create_session(service="licence_renewal", day=local_today() - timedelta(days=400))
    recent = create_session(day=local_today() - timedelta(days=30))
    passed = create_booking(session=old, state=BookingState.COMPLETED, result=ExamResult.PASS)
    no_show = create_booking(session=old, state=BookingState.COMPLETED, result=ExamResult.NO_SHOW)
    cancelled = create_booking(session=old, state=BookingState.CANCELLED)
    renewed = create_booking(
        session=old_renewal, state=BookingState.COMPLETED, licence_expiry=date(2025, 1, 1)
    )
    lapsed = create_booking(session=old)  # still active: left for staff to close out
    fresh = create_booking(session=recent, state=BookingState.COMPLETED, result=ExamResult.FAIL)
    before = _statistics()

    first = runner.invoke(args=["retention", "apply"])
    second = runner.invoke(args=["retention", "apply"])

    assert "bookings: 4 anonymised" in first.output
    assert "bookings: 0 anonymised" in second.output
    assert _statistics() == before
    for booking in (passed, no_show, cancelled, renewed):
        assert _personal(booking.id) == ("", "", "", None)
    assert _personal(lapsed.id) == ("张伟", lapsed.id_number, "13800138000", None)
    assert _personal(fresh.id)[1] == fresh.id_number
