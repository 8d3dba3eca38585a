"""Messages to applicants go through the outbox, in the same transaction as the change."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.appointments.helpers import book_url, booking_answers, read_fresh
from tests.factories import create_booking, create_session
from webapp.appointments import staff_services
from webapp.appointments.models import Booking
from webapp.appointments.states import BookingState, SessionState
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.models import OutboxMessage
from webapp.staff.roles import Role


def _messages() -> list[OutboxMessage]:
    read_fresh()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _confirm(client_request, session, expected_status=302, **changes):
    return client_request.post(
        book_url(session),
        {**booking_answers(session, **changes), "confirm": "1"},
        expected_status=expected_status,
    )


def _look_up(client_request, booking):
    client_request.post(
        "/appointments/manage",
        {"reference": booking.reference, "id_number": booking.id_number},
        expected_status=302,
    )


def test_a_booking_made_in_english_is_confirmed_by_text_message_in_english(
    client_request, english, app_context, now
):
    session = create_session(day=date(2026, 3, 9))
    _confirm(client_request, session, phone="138 0013 8000")

    [message] = _messages()
    booking = db.session.scalars(select(Booking)).one()
    assert booking.language == "en"
    assert message.kind == MessageKind.BOOKING_CONFIRMED
    assert (message.channel, message.recipient, message.language) == ("sms", "13800138000", "en")
    assert (message.subject_type, message.subject_id) == ("booking", booking.id)
    assert message.subject == f"Booking confirmed: {booking.reference}"
    assert "Motorcycle driving exam" in message.body and "Mar 9, 2026" in message.body
    assert "is confirmed" in message.body


def test_a_booking_made_in_chinese_is_confirmed_in_chinese(client_request, app_context, now):
    session = create_session(day=date(2026, 3, 9))
    _confirm(client_request, session)

    [message] = _messages()
    booking = db.session.scalars(select(Booking)).one()
    assert booking.language == message.language == "zh"
    assert message.subject == f"预约成功：{booking.reference}"
    assert "摩托车驾驶人考试" in message.body and "Motorcycle" not in message.body


def test_a_booking_refused_because_the_session_is_full_queues_nothing(
    client_request, english, app_context, now
):
    full = create_session(capacity=1, seats_taken=1)
    page = _confirm(client_request, full, expected_status=200)
    assert "fully booked" in page.get_text()
    assert _messages() == []


def test_moving_a_booking_tells_the_new_time_in_the_language_it_was_made_in(
    client_request, app_context, now
):
    booking = create_booking(session=create_session(day=date(2026, 3, 9)), language="en")
    later = create_session(day=date(2026, 3, 12))
    _look_up(client_request, booking)
    client_request.post(
        "/appointments/manage/move", {"session_id": str(later.id)}, expected_status=302
    )

    [message] = _messages()
    assert message.kind == MessageKind.BOOKING_MOVED and message.language == "en"
    assert message.subject == f"Booking moved: {booking.reference}"
    assert "has moved to Mar 12, 2026" in message.body


def test_a_move_to_a_full_session_queues_nothing(client_request, app_context, now):
    booking = create_booking(session=create_session(day=date(2026, 3, 9)))
    full = create_session(day=date(2026, 3, 12), capacity=1, seats_taken=1)
    _look_up(client_request, booking)
    client_request.post("/appointments/manage/move", {"session_id": str(full.id)})
    assert _messages() == []


def test_cancelling_a_booking_queues_the_cancellation(client_request, english, app_context, now):
    booking = create_booking(phone="13912345678")
    _look_up(client_request, booking)
    client_request.post("/appointments/manage/cancel", {"confirmed": "1"}, expected_status=302)

    [message] = _messages()
    assert message.kind == MessageKind.BOOKING_CANCELLED
    assert (message.recipient, message.language) == ("13912345678", "zh")
    assert message.subject == f"预约已取消：{booking.reference}"


def test_a_session_cancelled_by_the_brigade_tells_each_applicant_in_their_language(
    client_request, login_as, app_context, now
):
    login_as(Role.BOOKING_CLERK)
    session = create_session(day=date(2026, 3, 9))
    chinese = create_booking(session=session, phone="13800000001")
    english = create_booking(session=session, phone="13800000002", language="en")
    create_booking(session=session, phone="13800000003", state=BookingState.CANCELLED)
    client_request.post(
        f"/staff/appointments/sessions/{session.id}/cancel",
        {"confirmed": "1", "reason": "考场停电 / power cut"},
        expected_status=302,
    )

    messages = _messages()
    assert [m.kind for m in messages] == [MessageKind.SESSION_CANCELLED] * 2
    assert {(m.subject_id, m.recipient, m.language) for m in messages} == {
        (chinese.id, "13800000001", "zh"),
        (english.id, "13800000002", "en"),
    }
    by_language = {m.language: m for m in messages}
    assert by_language["en"].subject.startswith(
        "Session cancelled: Motorcycle driving exam on Mar 9, 2026, 9:00"
    )
    assert english.reference in by_language["en"].body
    assert by_language["zh"].subject.startswith("场次已取消：")


def test_a_session_cancellation_that_fails_leaves_no_message(monkeypatch, app_context, now):
    session = create_session()
    booking = create_booking(session=session)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(staff_services, "record_audit", broken_audit)
    with pytest.raises(RuntimeError):
        staff_services.cancel_session(session.id, reason="storm", actor=None)
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.get(Booking, booking.id).state == BookingState.ACTIVE
    assert session.state == SessionState.OPEN
