"""`flask outbox send` sends what is due, says what it did, and exits."""

from datetime import timedelta

from tests.factories import create_outbox_message
from webapp.common.clock import utcnow


def test_outbox_send_prints_what_it_did(runner, recording_gateway, app_context):
    create_outbox_message()
    create_outbox_message()
    create_outbox_message(due_at=utcnow() + timedelta(hours=1))

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0
    assert result.output.strip() == (
        "sent: 2, to retry: 0, failed: 0, abandoned claims released: 0"
    )
    assert len(recording_gateway.sent) == 2


def test_outbox_send_with_nothing_due_sends_nothing(runner, app_context):
    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0
    assert result.output.startswith("sent: 0,")
