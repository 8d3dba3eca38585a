"""Session-day rules: outcomes only from a session's start, corrections until the end of
the next working day with a reason, sessions published only for a time to come."""

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session, create_user
from tests.pages import text_of
from webapp.appointments import session_rules
from webapp.appointments import staff_services as ops
from webapp.appointments.errors import CapacityTooLow
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, ExamResult
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_to_utc
from webapp.extensions import db
from webapp.staff.roles import Role

MONDAY = date(2026, 3, 2)  # the frozen "now" is 10:00 that day, Beijing time


def _beijing(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)))


def _no_show_recorded(now, *, day=MONDAY, service="motorcycle_exam") -> Booking:
    """A booking of a session that began at 09:00 on `day`, marked a no-show at 10:00."""
    now(_beijing(day, 10))
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    booking = create_booking(session=create_session(day=day, service=service))
    ops.record_result(booking.id, ExamResult.NO_SHOW, actor=clerk)
    read_fresh()
    return db.session.get(Booking, booking.id)


def _audit(action: str) -> list[AuditEntry]:
    read_fresh()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- Service level -------------------------------------------------------------


def test_check_in_and_results_are_refused_before_the_session_starts(app_context, now):
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    later_today = create_booking(session=create_session(day=MONDAY, starts_at=time(14, 0)))
    with pytest.raises(session_rules.SessionNotStarted):
        ops.check_in(later_today.id, actor=clerk)
    for result in ExamResult:
        with pytest.raises(session_rules.SessionNotStarted):
            ops.record_result(later_today.id, result, actor=clerk)
    read_fresh()
    booking = db.session.get(Booking, later_today.id)
    assert (booking.state, booking.result, booking.checked_in_at) == ("active", None, None)

    now(_beijing(MONDAY, 14))  # the session's start
    ops.check_in(later_today.id, actor=clerk)
    ops.record_result(later_today.id, ExamResult.PASS, actor=clerk)
    read_fresh()
    assert db.session.get(Booking, later_today.id).result == ExamResult.PASS


def test_a_no_show_is_corrected_with_a_reason_and_its_wait_is_lifted(app_context, now):
    booking = _no_show_recorded(now)
    assert db.session.scalar(
        Booking.last_failed_attempt(id_number=booking.id_number, subject=booking.subject)
    )
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    now(_beijing(date(2026, 3, 3), 17))  # Tuesday: the next working day
    ops.record_result(booking.id, ExamResult.PASS, actor=clerk, reason="迟到十分钟，已参加考试")
    read_fresh()
    corrected = db.session.get(Booking, booking.id)
    assert (corrected.result, corrected.state) == (ExamResult.PASS, BookingState.COMPLETED)
    assert not corrected.is_failed_attempt
    assert (
        db.session.scalar(
            Booking.last_failed_attempt(id_number=booking.id_number, subject=booking.subject)
        )
        is None
    )
    (entry,) = _audit("booking.result_corrected")
    assert entry.detail == "no_show → pass: 迟到十分钟，已参加考试"
    assert entry.actor_id == clerk.id


def test_a_correction_needs_a_reason(app_context, now):
    booking = _no_show_recorded(now)
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    with pytest.raises(session_rules.ReasonRequired):
        ops.record_result(booking.id, ExamResult.PASS, actor=clerk, reason="  ")
    read_fresh()
    assert db.session.get(Booking, booking.id).result == ExamResult.NO_SHOW


def test_corrections_close_at_the_end_of_the_next_working_day(app_context, now):
    booking = _no_show_recorded(now)  # Monday
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    now(_beijing(date(2026, 3, 4), 0))  # Wednesday has begun
    with pytest.raises(session_rules.CorrectionClosed):
        ops.record_result(booking.id, ExamResult.PASS, actor=clerk, reason="录入错误")
    read_fresh()
    assert db.session.get(Booking, booking.id).result == ExamResult.NO_SHOW


def test_the_correction_window_skips_holidays_and_weekends(app_context, now):
    # Recorded Thursday 30 April 2026; 1-5 May is the Labour Day holiday.
    booking = _no_show_recorded(now, day=date(2026, 4, 30))
    assert session_rules.correction_deadline(booking.outcome_recorded_at) == _beijing(
        date(2026, 5, 7), 0
    )
    now(_beijing(date(2026, 5, 6), 23, 59))
    assert session_rules.can_correct(booking)
    now(_beijing(date(2026, 5, 7), 0))
    assert not session_rules.can_correct(booking)


def test_a_renewal_no_show_is_corrected_to_attended(app_context, now):
    booking = _no_show_recorded(now, service="licence_renewal")
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    ops.record_result(booking.id, "attended", actor=clerk, reason="已办理，误点缺考")
    read_fresh()
    corrected = db.session.get(Booking, booking.id)
    assert corrected.result is None and corrected.checked_in_at is not None
    assert corrected.outcome == "attended"


def test_a_session_is_published_only_for_a_time_to_come(app_context, now):
    plan = ops.SessionPlan(
        service="motorcycle_exam",
        day=MONDAY,
        starts_at=time(9, 0),  # an hour ago
        ends_at=time(11, 0),
        place="摩托车考场",
        capacity=10,
    )
    with pytest.raises(session_rules.SessionInPast):
        ops.publish_sessions(plan)
    (created,) = ops.publish_sessions(ops.SessionPlan(**{**plan.__dict__, "starts_at": time(11)}))
    assert created.day == MONDAY


def test_the_capacity_never_goes_below_the_seats_taken(app_context, now):
    session = create_session(capacity=10, seats_taken=4)
    with pytest.raises(CapacityTooLow):
        ops.change_capacity(session.id, 3, actor=None)
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).capacity == 10


# --- Pages and command line ------------------------------------------------------


def test_the_roster_offers_no_outcome_before_the_start(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    booking = create_booking(session=create_session(day=MONDAY, starts_at=time(14, 0)))
    page = client_request.get(f"/staff/appointments/sessions/{booking.session_id}")
    roster = page.select_one("#roster")
    assert "From the start of the session" in text_of(roster)
    assert roster.select("form") == []
    client_request.post(f"/staff/appointments/bookings/{booking.id}/check-in", expected_status=302)
    page = client_request.get(f"/staff/appointments/sessions/{booking.session_id}")
    assert "only from the session's start" in text_of(page)
    read_fresh()
    assert db.session.get(Booking, booking.id).checked_in_at is None


def test_a_clerk_corrects_a_no_show_on_its_page(client_request, login_as, english, now):
    booking = _no_show_recorded(now)
    login_as(Role.BOOKING_CLERK)
    roster = client_request.get(f"/staff/appointments/sessions/{booking.session_id}")
    link = roster.select_one(f'a[href="/staff/appointments/bookings/{booking.id}/correct"]')
    assert link is not None and "Correct" in text_of(link)

    url = f"/staff/appointments/bookings/{booking.id}/correct"
    page = client_request.get(url)
    assert text_of(page.select_one("#recorded-outcome")) == "No-show"
    page = client_request.post(url, {"outcome": "fail", "reason": ""})
    assert "Enter the reason for the correction" in text_of(page.select_one(".error-summary"))
    assert page.select_one('option[value="fail"]').has_attr("selected")

    client_request.post(url, {"outcome": "fail", "reason": "到场未通过"}, expected_status=302)
    read_fresh()
    assert db.session.get(Booking, booking.id).result == ExamResult.FAIL
    assert "到场未通过" in _audit("booking.result_corrected")[0].detail


def test_the_correct_link_goes_after_the_next_working_day(client_request, login_as, english, now):
    booking = _no_show_recorded(now)
    login_as(Role.BOOKING_CLERK)
    now(_beijing(date(2026, 3, 4), 9))
    roster = client_request.get(f"/staff/appointments/sessions/{booking.session_id}")
    assert roster.select(f'a[href="/staff/appointments/bookings/{booking.id}/correct"]') == []
    client_request.post(
        f"/staff/appointments/bookings/{booking.id}/correct",
        {"outcome": "pass", "reason": "late"},
        expected_status=302,
    )
    read_fresh()
    assert db.session.get(Booking, booking.id).result == ExamResult.NO_SHOW


def test_the_session_form_refuses_a_past_time(client_request, login_as, english, now):
    login_as(Role.BOOKING_CLERK)
    page = client_request.post(
        "/staff/appointments/sessions/new",
        {
            "service": "motorcycle_exam",
            "day": "2026-03-01",
            "starts_at": "09:00",
            "ends_at": "11:00",
            "place": "摩托车考场",
            "capacity": "10",
        },
    )
    assert "only be published for a time still to come" in text_of(
        page.select_one(".error-summary")
    )
    assert page.select_one("#place")["value"] == "摩托车考场"
    read_fresh()
    assert db.session.scalars(select(AppointmentSession)).all() == []


def test_the_command_refuses_a_past_session_and_a_capacity_below_the_seats(
    runner, app_context, now, english
):
    args = ["sessions", "create", "--service", "motorcycle_exam", "--date", "2026-02-27"]
    args += ["--start", "09:00", "--end", "11:00", "--place", "考场", "--capacity", "5"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    read_fresh()
    assert db.session.scalars(select(AppointmentSession)).all() == []

    session = create_session(capacity=10, seats_taken=4)
    result = runner.invoke(
        args=["sessions", "capacity", "--session", str(session.id), "--capacity", "3"]
    )
    assert result.exit_code != 0 and "4" in result.output
    result = runner.invoke(
        args=["sessions", "capacity", "--session", str(session.id), "--capacity", "4"]
    )
    assert result.exit_code == 0, result.output
    read_fresh()
    assert db.session.get(AppointmentSession, session.id).capacity == 4
