"""`flask retention apply`: personal data of old messages is blanked, the counts stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import create_outbox_message
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications import retention
from webapp.notifications.models import OutboxMessage
from webapp.notifications.retention import ANONYMISERS, apply_retention
from webapp.notifications.states import MessageStatus


def _counts() -> dict:
    db.session.rollback()
    return dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )


@pytest.fixture
def old_and_new_messages(app_context):
    long_ago = utcnow() - timedelta(days=400)
    return {
        "old_sent": create_outbox_message(
            recipient="13812345678", status=MessageStatus.SENT, created_at=long_ago
        ),
        "old_failed": create_outbox_message(
            channel="email",
            recipient="zhang@example.com",
            status=MessageStatus.FAILED,
            last_error="rejected zhang@example.com",
            created_at=long_ago,
        ),
        "old_pending": create_outbox_message(recipient="13900000001", created_at=long_ago),
        "recent_sent": create_outbox_message(recipient="13900000002", status=MessageStatus.SENT),
    }


def test_every_old_message_loses_its_personal_data_and_an_unsent_one_is_given_up(
    runner, old_and_new_messages, app_context
):
    ids = {name: message.id for name, message in old_and_new_messages.items()}

    result = runner.invoke(args=["retention", "apply"])

    assert result.exit_code == 0
    assert "outbox: 3 anonymised" in result.output
    assert _counts() == {MessageStatus.SENT: 2, MessageStatus.FAILED: 2}
    for name in ("old_sent", "old_failed", "old_pending"):
        row = db.session.get(OutboxMessage, ids[name])
        assert (row.recipient, row.subject, row.body, row.last_error) == ("", "", "", "")
        assert row.anonymised_at is not None
        assert row.kind == "booking_confirmed" and row.subject_id == 1
    # Never sent, and now never will be: there is no one left to send it to.
    assert db.session.get(OutboxMessage, ids["old_pending"]).status == MessageStatus.FAILED
    everything = " ".join(
        f"{row.recipient} {row.subject} {row.body} {row.last_error}"
        for row in db.session.scalars(select(OutboxMessage))
    )
    assert "13812345678" not in everything and "zhang@" not in everything
    assert "13900000001" not in everything
    assert db.session.get(OutboxMessage, ids["recent_sent"]).recipient == "13900000002"


def test_a_message_being_sent_is_left_for_the_next_run(runner, app_context):
    sending = create_outbox_message(
        status=MessageStatus.SENDING, created_at=utcnow() - timedelta(days=400)
    )

    result = runner.invoke(args=["retention", "apply"])

    assert "outbox: 0 anonymised" in result.output
    assert db.session.get(OutboxMessage, sending.id).recipient == "13812345678"


def test_retention_is_idempotent(runner, old_and_new_messages, app_context):
    runner.invoke(args=["retention", "apply"])
    before = _counts()

    again = runner.invoke(args=["retention", "apply"])

    assert "outbox: 0 anonymised" in again.output
    assert _counts() == before


def test_the_retention_days_setting_sets_the_cutoff(app, monkeypatch, old_and_new_messages):
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 500)

    [outbox] = [result for result in apply_retention() if result.name == "outbox"]

    assert outbox.count == 0


def test_every_registered_anonymiser_runs_with_the_cutoff(runner, monkeypatch, app_context):
    # Only the outbox's own anonymiser, whatever the features register.
    monkeypatch.setattr(
        "webapp.notifications.retention.ANONYMISERS", {"outbox": ANONYMISERS["outbox"]}
    )
    cutoffs = []

    def anonymise_reports(cutoff):
        cutoffs.append(cutoff)
        return 3

    retention.ANONYMISERS["hazard reports"] = anonymise_reports

    result = runner.invoke(args=["retention", "apply"])

    lines = result.output.splitlines()
    # The outbox first, then every feature's anonymiser (more register as features land),
    # then the audit log, then the nightly clean-ups (the photo files).
    assert lines[1] == "outbox: 0 anonymised"
    anonymised = [line for line in lines if line.endswith(" anonymised")]
    assert anonymised[-2:] == ["hazard reports: 3 anonymised", "audit log: 0 anonymised"]
    assert lines[-1] == "hazard photo files without a report: 0 file(s) removed, 0 renamed"
    [cutoff] = cutoffs
    assert abs(utcnow() - timedelta(days=365) - cutoff) < timedelta(minutes=1)
