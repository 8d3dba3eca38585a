"""Sending: e-mail through SMTP, text messages through the log or an HTTP gateway, retries."""

import logging
from datetime import timedelta

from sqlalchemy import select

from tests.factories import create_outbox_message
from tests.notifications.conftest import free_port
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications.channels import SMS_GATEWAYS
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.notifications.worker import send_due


def _reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_e_mail_arrives_at_the_smtp_server_in_the_readers_language(smtp_server, app_context):
    chinese = create_outbox_message(channel="email", recipient="zhang@example.com", language="zh")
    english = create_outbox_message(channel="email", recipient="li@example.com", language="en")

    report = send_due()

    assert report.sent == 2
    by_recipient = {mail["To"]: mail for mail in smtp_server.messages}
    assert by_recipient["zhang@example.com"]["Subject"] == "预约成功：B20261201-0001"
    assert "请携带居民身份证" in by_recipient["zhang@example.com"].get_content()
    assert by_recipient["li@example.com"]["Subject"] == "Booking confirmed: B20261201-0001"
    assert "Bring your resident ID card" in by_recipient["li@example.com"].get_content()
    assert by_recipient["li@example.com"]["From"] == "noreply@brigade.example"
    for message in (chinese, english):
        row = _reload(message.id)
        assert row.status == MessageStatus.SENT and row.sent_at is not None
        assert row.attempts == 1


def test_an_unreachable_smtp_server_is_a_failed_attempt(app, monkeypatch, app_context):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    message = create_outbox_message(channel="email", recipient="zhang@example.com")

    report = send_due()

    row = _reload(message.id)
    assert report.retrying == 1
    assert row.status == MessageStatus.PENDING
    assert row.last_error.startswith("SMTP:")


def test_the_http_sms_gateway_receives_the_json(sms_http_server, app_context):
    message = create_outbox_message(channel="sms", recipient="13812345678", language="en")

    report = send_due()

    assert report.sent == 1
    [request] = sms_http_server.received
    assert request["content_type"].startswith("application/json")
    assert request["json"] == {
        "to": "13812345678",
        "text": message.body,
        "reference": f"outbox-{message.id}",
    }
    assert _reload(message.id).status == MessageStatus.SENT


def test_an_answer_other_than_2xx_from_the_sms_gateway_is_a_failure(sms_http_server, app_context):
    sms_http_server.answer_status = 503
    message = create_outbox_message(channel="sms")

    report = send_due()

    row = _reload(message.id)
    assert report.sent == 0 and report.retrying == 1
    assert row.status == MessageStatus.PENDING
    assert row.last_error == "SMS gateway answered 503"


def test_the_default_sms_gateway_writes_the_message_to_the_log(app, caplog, app_context):
    assert app.config["SMS_GATEWAY"] == "log"
    message = create_outbox_message(channel="sms", language="en")

    with caplog.at_level(logging.INFO, logger="webapp.notifications.channels"):
        report = send_due()

    assert report.sent == 1
    assert f"outbox-{message.id}" in caplog.text
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    assert message.body in caplog.text


def test_a_failing_send_is_retried_with_back_off_then_marked_failed(
    app, monkeypatch, broken_gateway, app_context
):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "OUTBOX_RETRY_SECONDS", 60)
    message = create_outbox_message(channel="sms")
    start = utcnow()

    first = send_due(now=start)
    row = _reload(message.id)
    assert first.retrying == 1
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 1)
    assert row.due_at == start + timedelta(seconds=60)
    assert row.last_error == "gateway unreachable for 13812345678"

    assert send_due(now=start + timedelta(seconds=59)).retrying == 0  # not due yet

    second_at = start + timedelta(seconds=60)
    send_due(now=second_at)
    row = _reload(message.id)
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 2)
    assert row.due_at == second_at + timedelta(seconds=120)

    last = send_due(now=second_at + timedelta(seconds=120))
    row = _reload(message.id)
    assert last.failed == 1
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)
    assert send_due(now=second_at + timedelta(days=1)).failed == 0  # given up for good


def test_the_default_limit_is_five_attempts(app, broken_gateway, app_context):
    assert app.config["OUTBOX_MAX_ATTEMPTS"] == 5
    message = create_outbox_message(channel="sms")
    moment = utcnow()
    for _attempt in range(5):
        send_due(now=moment)
        moment = _reload(message.id).due_at

    row = _reload(message.id)
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 5)


def test_a_message_due_later_is_not_sent_yet(recording_gateway, app_context):
    later = utcnow() + timedelta(hours=1)
    message = create_outbox_message(channel="sms", due_at=later)

    assert send_due().sent == 0
    assert send_due(now=later).sent == 1
    assert recording_gateway.sent == [f"outbox-{message.id}"]


def test_a_channel_that_crashes_does_not_stop_the_others(
    app, monkeypatch, smtp_server, app_context
):
    class Crashing:
        def __init__(self, config):
            pass

        def send(self, envelope):
            raise RuntimeError("bug in a gateway")

    monkeypatch.setitem(SMS_GATEWAYS, "crashing", Crashing)
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "crashing")
    sms = create_outbox_message(channel="sms")
    create_outbox_message(channel="email", recipient="li@example.com")

    report = send_due()

    assert (report.sent, report.retrying) == (1, 1)
    assert _reload(sms.id).last_error == "RuntimeError: bug in a gateway"
    assert len(smtp_server.messages) == 1


def test_sent_messages_are_not_sent_again(recording_gateway, app_context):
    create_outbox_message(channel="sms")

    assert send_due().sent == 1
    assert send_due().sent == 0
    assert len(recording_gateway.sent) == 1
    assert db.session.scalar(select(OutboxMessage.status)) == MessageStatus.SENT


def test_an_http_gateway_without_an_address_fails_with_a_clear_reason(
    app, monkeypatch, app_context
):
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "http")
    monkeypatch.setitem(app.config, "SMS_HTTP_URL", "")
    message = create_outbox_message(channel="sms")

    send_due()

    assert _reload(message.id).last_error == "SMS_HTTP_URL must be an http:// or https:// address"


def test_an_unknown_sms_gateway_fails_with_a_clear_reason(app, monkeypatch, app_context):
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "carrier-pigeon")
    message = create_outbox_message(channel="sms")

    send_due()

    assert _reload(message.id).last_error == "SMS_GATEWAY='carrier-pigeon' is not known"
