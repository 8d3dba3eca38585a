"""`flask reminders queue`: tomorrow's reminders, once per booking, from registered providers."""

from datetime import date, timedelta

import pytest
from sqlalchemy import false, func, select

from tests.factories import BOOKING_CONTEXT
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.notifications import reminders
from webapp.notifications.messages import MessageKind
from webapp.notifications.models import OutboxMessage
from webapp.notifications.reminders import queue_reminders

BOOKINGS_ON = {date(2026, 12, 1): [(11, "13812345678", "zh"), (12, "13987654321", "en")]}


def booking_reminders(day):
    """What the appointments feature's provider returns: one reminder per booking."""
    for booking_id, phone, language in BOOKINGS_ON.get(day, []):
        yield (
            f"reminder:booking:{booking_id}",
            {
                "kind": MessageKind.REMINDER,
                "channel": "sms",
                "recipient": phone,
                "language": language,
                "subject_type": "booking",
                "subject_id": booking_id,
                "context": BOOKING_CONTEXT,
            },
        )


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setattr("webapp.notifications.reminders.REMINDER_PROVIDERS", {})
    reminders.REMINDER_PROVIDERS["appointments"] = booking_reminders


def _outbox_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_reminders_are_queued_once_per_booking(runner, provider, app_context):
    first = runner.invoke(args=["reminders", "queue", "--day", "2026-12-01"])
    second = runner.invoke(args=["reminders", "queue", "--day", "2026-12-01"])

    assert "appointments: 2 queued, 0 already queued" in first.output
    assert "appointments: 0 queued, 2 already queued" in second.output
    assert _outbox_count() == 2
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.subject_id)).all()
    assert [row.dedupe_key for row in rows] == ["reminder:booking:11", "reminder:booking:12"]
    assert rows[0].subject.startswith("提醒：明天")
    assert rows[1].subject == "Reminder: licence renewal tomorrow"


def test_the_command_asks_the_providers_for_tomorrow_by_default(runner, monkeypatch, app_context):
    asked = []
    monkeypatch.setattr(
        "webapp.notifications.reminders.REMINDER_PROVIDERS",
        {"recorder": lambda day: asked.append(day) or []},
    )

    result = runner.invoke(args=["reminders", "queue"])

    assert asked == [local_today() + timedelta(days=1)]
    assert "recorder: 0 queued" in result.output


def test_a_reminder_queued_by_a_concurrent_run_is_counted_as_already_queued(
    provider, monkeypatch, app_context
):
    # The other run committed between our look-up and our insert: the unique key decides.
    monkeypatch.setattr(
        OutboxMessage, "by_dedupe_key", classmethod(lambda cls, key: select(cls.id).where(false()))
    )
    queue_reminders(day=date(2026, 12, 1))

    [result] = queue_reminders(day=date(2026, 12, 1))

    assert (result.queued, result.already_queued) == (0, 2)
    assert _outbox_count() == 2


def test_without_providers_the_command_says_so(runner, monkeypatch, app_context):
    monkeypatch.setattr("webapp.notifications.reminders.REMINDER_PROVIDERS", {})

    result = runner.invoke(args=["reminders", "queue"])

    assert result.exit_code == 0
    assert "no reminder providers are registered" in result.output
