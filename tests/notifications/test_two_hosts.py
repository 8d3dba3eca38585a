"""Two outbox workers in two processes (as on two hosts), one database: each of 200 queued
messages is sent exactly once.

The claim is a guarded UPDATE (`status = 'pending'` in its WHERE, its row count
checked, webapp/notifications/worker.py): of two workers that read the same due
row, the second one's UPDATE matches nothing. On PostgreSQL the second UPDATE
waits for the first one's row lock, then finds the row no longer pending; on
SQLite the writers take turns (BEGIN IMMEDIATE).
"""

import multiprocessing

import pytest
from sqlalchemy import func, select

from tests.factories import create_outbox_message
from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db
from webapp.notifications.channels import SMS_GATEWAYS
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.notifications.worker import send_due

MESSAGES = 200


class KeepingGateway:
    """Keeps the references it is given, in the process that sends them."""

    sent: list[str] = []

    def __init__(self, config):
        pass

    def send(self, envelope):
        self.sent.append(envelope.reference)


def work(database_url: str, name: str, start, results) -> None:
    """One host's worker: its own app, engine and connections; one pass over the outbox."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": database_url, "SMS_GATEWAY": "keep"})
    SMS_GATEWAYS["keep"] = KeepingGateway
    with app.app_context():
        db.session.execute(select(1))  # connected before the start, like a running worker
        db.session.rollback()
        start.wait(timeout=120)
        report = send_due(worker=name)
        db.engine.dispose()
    results.put((name, KeepingGateway.sent, report.sent, report.failed))


@pytest.mark.slow
def test_two_workers_in_two_processes_send_200_messages_each_exactly_once(app, app_context):
    ids = {
        create_outbox_message(subject_id=number, recipient=f"139{number:08d}").id
        for number in range(MESSAGES)
    }
    db.session.rollback()
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter each, as on a host
    start, results = spawn.Barrier(2), spawn.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        spawn.Process(target=work, args=(url, name, start, results)) for name in ("one", "two")
    ]
    for worker in workers:
        worker.start()
    outcomes = {
        name: (sent, count, failed)
        for name, sent, count, failed in (results.get(timeout=300) for _ in workers)
    }
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0, 0]
    sent_by_one, sent_by_two = outcomes["one"][0], outcomes["two"][0]
    everything = sent_by_one + sent_by_two
    assert sorted(everything) == sorted(f"outbox-{id_}" for id_ in ids)  # each exactly once
    assert len(sent_by_one) >= 1 and len(sent_by_two) >= 1  # both were at work at once
    assert outcomes["one"][1:] == (len(sent_by_one), 0)
    assert outcomes["two"][1:] == (len(sent_by_two), 0)
    statuses = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    assert statuses == [(MessageStatus.SENT, MESSAGES)]
    claimed_by = db.session.scalars(select(OutboxMessage.claimed_by).distinct()).all()
    assert sorted(claimed_by) == ["one", "two"]
