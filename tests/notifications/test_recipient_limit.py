"""One phone number or e-mail address gets at most MESSAGES_PER_RECIPIENT_PER_DAY messages in
24 hours; the others are kept as `suppressed`, shown to administrators, and never sent."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import BOOKING_CONTEXT, create_outbox_message
from tests.pages import text_of
from webapp.common.clock import utcnow
from webapp.config import Config
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage, recipient_key
from webapp.notifications.retention import apply_retention
from webapp.notifications.services import queue_message
from webapp.notifications.states import MessageStatus, SuppressionReason
from webapp.notifications.worker import send_due
from webapp.staff.roles import Role
from webapp.transactions import transaction

CAP = Config.MESSAGES_PER_RECIPIENT_PER_DAY
NUMBER = "13812345678"


def _statuses(recipient: str | None = None) -> list[str]:
    db.session.rollback()
    query = select(OutboxMessage.status).order_by(OutboxMessage.id)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(query))


def test_the_default_cap_is_ten_a_day(app):
    assert CAP == 10
    assert app.config["MESSAGES_PER_RECIPIENT_PER_DAY"] == CAP


def test_the_eleventh_message_to_one_number_is_suppressed_with_its_reason(app_context):
    messages = [create_outbox_message(recipient=NUMBER, subject_id=n) for n in range(CAP + 1)]

    assert _statuses() == [MessageStatus.PENDING] * CAP + [MessageStatus.SUPPRESSED]
    last = db.session.get(OutboxMessage, messages[-1].id)
    assert last.suppressed_reason == SuppressionReason.RECIPIENT_DAILY_LIMIT
    assert last.body  # kept, for the back office to see what was held back
    assert all(message.suppressed_reason == "" for message in messages[:-1])


def test_a_suppressed_message_is_never_handed_to_the_gateway(recording_gateway, app_context):
    messages = [create_outbox_message(recipient=NUMBER, subject_id=n) for n in range(CAP + 1)]

    first = send_due()
    second = send_due(now=utcnow() + timedelta(hours=1))

    assert (first.sent, first.failed, second.sent) == (CAP, 0, 0)
    assert f"outbox-{messages[-1].id}" not in recording_gateway.sent
    assert len(recording_gateway.sent) == CAP
    assert _statuses() == [MessageStatus.SENT] * CAP + [MessageStatus.SUPPRESSED]


def test_another_number_is_unaffected(app_context):
    for n in range(CAP + 3):
        create_outbox_message(recipient=NUMBER, subject_id=n)

    create_outbox_message(recipient="13987654321")
    create_outbox_message(channel="email", recipient="zhang@example.com")

    assert _statuses("13987654321") == [MessageStatus.PENDING]
    assert _statuses("zhang@example.com") == [MessageStatus.PENDING]


@pytest.mark.parametrize(
    ("channel", "variant"),
    [
        ("sms", "+86 138-1234-5678"),
        ("sms", "0086 138 1234 5678"),
        ("sms", "１３８１２３４５６７８"),
        ("email", "Zhang@Example.COM"),
        ("email", "zhang+flood7@example.com"),
    ],
)
def test_a_number_or_address_written_another_way_counts_as_the_same(app_context, channel, variant):
    usual = NUMBER if channel == "sms" else "zhang@example.com"
    for n in range(CAP):
        create_outbox_message(channel=channel, recipient=usual, subject_id=n)

    create_outbox_message(channel=channel, recipient=variant)

    assert _statuses(variant) == [MessageStatus.SUPPRESSED]
    assert recipient_key(channel, variant) == recipient_key(channel, usual)


def test_messages_older_than_24_hours_do_not_count(app_context):
    yesterday = utcnow() - timedelta(hours=24, minutes=1)
    for n in range(CAP):
        create_outbox_message(recipient=NUMBER, subject_id=n, created_at=yesterday)

    create_outbox_message(recipient=NUMBER, subject_id=99)

    assert _statuses()[-1] == MessageStatus.PENDING


def test_failed_and_suppressed_messages_do_not_use_up_the_allowance(app_context):
    for n in range(CAP - 1):
        create_outbox_message(recipient=NUMBER, subject_id=n, status=MessageStatus.SENT)
    create_outbox_message(recipient=NUMBER, subject_id=50, status=MessageStatus.FAILED)
    create_outbox_message(recipient=NUMBER, subject_id=51, status=MessageStatus.SUPPRESSED)

    create_outbox_message(recipient=NUMBER, subject_id=52)

    assert _statuses()[-1] == MessageStatus.PENDING


def test_messages_queued_together_in_one_change_count_each_other(app_context):
    with transaction():
        for n in range(CAP + 2):
            queue_message(
                kind="booking_confirmed",
                channel="sms",
                recipient=NUMBER,
                language="zh",
                subject_type="booking",
                subject_id=n,
                context=BOOKING_CONTEXT,
            )

    assert _statuses() == [MessageStatus.PENDING] * CAP + [MessageStatus.SUPPRESSED] * 2


def test_the_cap_holds_when_two_changes_queue_at_the_same_moment(app, app_context):
    """The ninth and tenth allowed messages are queued by two transactions at once: one of
    them waits for the other (PostgreSQL: an advisory lock; SQLite: one writer at a time)."""
    for n in range(CAP - 1):
        create_outbox_message(recipient=NUMBER, subject_id=n)
    both_counted, errors = threading.Barrier(2, timeout=30), []

    def queue_one(subject_id: int, hold: threading.Event | None):
        try:
            with app.app_context(), transaction():
                if hold is None:
                    both_counted.wait()
                queue_message(
                    kind="booking_confirmed",
                    channel="sms",
                    recipient=NUMBER,
                    language="zh",
                    subject_type="booking",
                    subject_id=subject_id,
                    context=BOOKING_CONTEXT,
                )
                if hold is not None:
                    both_counted.wait()
                    hold.wait(0.5)  # the other transaction is now asking to count
        except Exception as error:  # reported to the test below
            errors.append(error)

    threads = [
        threading.Thread(target=queue_one, args=(100, threading.Event())),
        threading.Thread(target=queue_one, args=(101, None)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(_statuses()[-2:]) == [MessageStatus.PENDING, MessageStatus.SUPPRESSED]


def test_the_outbox_page_shows_the_suppressed_messages_with_their_reason(
    client_request, login_as, app_context
):
    login_as(Role.ADMIN)
    for n in range(CAP + 2):
        create_outbox_message(recipient=NUMBER, subject_id=n)

    page = client_request.get("/staff/outbox/?lang=en")

    counts = dict(
        zip(
            [dt.get_text(strip=True) for dt in page.select(".outbox-counts dt")],
            [dd.get_text(strip=True) for dd in page.select(".outbox-counts dd")],
            strict=True,
        )
    )
    assert counts["Not sent: over the limit"] == "2"
    assert counts["Waiting to be sent"] == str(CAP)
    held = page.find(id="suppressed").find_next("table")
    rows = held.select("tbody tr")
    assert len(rows) == 2
    for row in rows:
        assert "138****5678" in text_of(row)
        assert "most messages allowed in 24 hours" in text_of(row)
        assert NUMBER not in text_of(row)
    assert not held.select("form[action$='/retry']")
    assert f"at most {CAP} messages in 24 hours" in text_of(page)


def test_the_outbox_page_tells_in_chinese_why_a_message_was_held_back(
    client_request, login_as, app_context
):
    login_as(Role.ADMIN)
    for n in range(CAP + 1):
        create_outbox_message(recipient=NUMBER, subject_id=n)

    page = client_request.get("/staff/outbox/?lang=zh")

    text = text_of(page.find(id="suppressed").find_next("table"))
    assert "超出上限未发送" in text
    assert "24 小时内收到的消息已达上限" in text


def test_retention_blanks_suppressed_messages_too(app_context):
    messages = [create_outbox_message(recipient=NUMBER, subject_id=n) for n in range(CAP + 1)]
    held = db.session.get(OutboxMessage, messages[-1].id)
    held.created_at = utcnow() - timedelta(days=400)
    db.session.commit()

    apply_retention()

    db.session.rollback()
    row = db.session.get(OutboxMessage, held.id)
    assert (row.recipient, row.recipient_key, row.subject, row.body) == ("", "", "", "")
    assert row.anonymised_at is not None
    assert row.status == MessageStatus.SUPPRESSED
    assert row.suppressed_reason == SuppressionReason.RECIPIENT_DAILY_LIMIT
