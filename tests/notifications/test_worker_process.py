"""`flask outbox work` as a service manager runs it: it sends, and SIGTERM stops it cleanly."""

import os
import signal
import subprocess
import sys

import pytest

from tests.factories import create_outbox_message
from tests.live import ROOT
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus


@pytest.mark.slow
def test_the_worker_sends_and_stops_cleanly_on_sigterm(app, app_context):
    message = create_outbox_message(channel="sms")
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMS_GATEWAY": "log",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi.py", "outbox", "work", "--poll", "3600"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log = []
        while (line := worker.stderr.readline()) and "outbox worker: sent" not in line:
            log.append(line)
        assert "sent: 1," in line, "".join(log)
        worker.send_signal(signal.SIGTERM)
        output, _rest = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert worker.returncode == 0
    assert "SIGTERM: stopping" in output and "outbox worker stopped" in output
    db.session.rollback()
    assert db.session.get(OutboxMessage, message.id).status == MessageStatus.SENT
