"""Row claiming: two workers never send the same message; abandoned claims are recovered."""

import signal
import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.factories import create_outbox_message
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications.channels import SMS_GATEWAYS
from webapp.notifications.cli import stop_on_signals
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.notifications.worker import claim_next, run_worker, send_due


def _statuses() -> list[str]:
    db.session.rollback()  # end this session's snapshot: the workers wrote after it began
    return list(db.session.scalars(select(OutboxMessage.status)))


def test_a_claimed_message_cannot_be_claimed_by_another_worker(app_context):
    message = create_outbox_message()
    now = utcnow()

    first = claim_next(worker="worker-a", now=now)
    second = claim_next(worker="worker-b", now=now)

    assert first.message_id == message.id
    assert second is None
    row = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert (row.status, row.claimed_by, row.attempts) == (MessageStatus.SENDING, "worker-a", 1)


def test_a_claim_is_saved_before_its_message_is_sent(app, monkeypatch, app_context):
    message_id = create_outbox_message().id
    seen_while_sending = []

    class LookingGateway:
        """Looks at the outbox from another connection, as another process would, while sending."""

        def __init__(self, config):
            pass

        def send(self, envelope):
            with db.engine.connect() as other:
                status = select(OutboxMessage.status).where(OutboxMessage.id == message_id)
                seen_while_sending.append(other.scalar(status))
                # a write while sending: it would wait for a write lock held by the worker
                other.execute(insert(AuditEntry).values(action="test.write_while_sending"))
                other.commit()

    monkeypatch.setitem(SMS_GATEWAYS, "looking", LookingGateway)
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "looking")

    report = send_due(worker="worker-a")

    assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
    assert seen_while_sending == [MessageStatus.SENDING]
    assert _statuses() == [MessageStatus.SENT]
    assert db.session.scalar(select(AuditEntry.action)) == "test.write_while_sending"


def test_two_concurrent_workers_send_each_message_exactly_once(app, recording_gateway, app_context):
    ids = [
        create_outbox_message(subject_id=number, recipient=f"138{number:08d}").id
        for number in range(30)
    ]
    recording_gateway.barrier = threading.Barrier(2)
    reports, errors = {}, []

    def work(name):
        try:
            with app.app_context():
                reports[name] = send_due(worker=name)
        except Exception as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(recording_gateway.sent) == sorted(f"outbox-{id_}" for id_ in ids)
    assert reports["one"].sent >= 1 and reports["two"].sent >= 1
    assert reports["one"].sent + reports["two"].sent == 30
    assert _statuses() == [MessageStatus.SENT] * 30


def test_a_claim_abandoned_by_a_killed_worker_is_sent_by_the_next_one(
    recording_gateway, app_context
):
    message = create_outbox_message()
    killed_at = utcnow()
    assert claim_next(worker="killed", now=killed_at) is not None  # then the worker died

    too_soon = send_due(now=killed_at + timedelta(minutes=5))
    assert (too_soon.released, too_soon.sent) == (0, 0)

    later = send_due(now=killed_at + timedelta(minutes=11))

    assert (later.released, later.sent) == (1, 1)
    assert recording_gateway.sent == [f"outbox-{message.id}"]
    row = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert (row.status, row.attempts) == (MessageStatus.SENT, 2)


def test_an_abandoned_claim_on_the_last_attempt_is_marked_failed(app_context):
    message = create_outbox_message(attempts=4)
    killed_at = utcnow()
    claim_next(worker="killed", now=killed_at)

    report = send_due(now=killed_at + timedelta(minutes=11))

    assert (report.released, report.sent) == (1, 0)
    row = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 5)


def test_the_worker_loop_ends_when_asked_to_stop(recording_gateway, app_context):
    create_outbox_message()
    stop = threading.Event()
    stop.set()  # asked before the first pass ends: one pass, then out

    run_worker(stop=stop, poll_seconds=3600)

    assert len(recording_gateway.sent) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_ask_the_worker_to_stop(signum):
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    stop = threading.Event()
    try:
        stop_on_signals(stop)
        signal.raise_signal(signum)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    assert stop.is_set()
