"""A gunicorn worker killed in the middle of a submission leaves no partial record,
and the site keeps serving."""

import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from tests.faults.http import Browser
from tests.live import serve_app
from tests.training.sample import request_form
from webapp.extensions import db
from webapp.training.models import TrainingRequest

pytestmark = pytest.mark.slow
WAIT_SECONDS = 60  # how long a busy machine may take; the test waits for events, not time


def _wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _rows() -> int:
    db.session.rollback()
    count = db.session.scalar(select(func.count()).select_from(TrainingRequest))
    db.session.rollback()
    return count


def _served(browser: Browser) -> bool:
    try:
        return browser.open("/training/new", timeout=5)[0] == 200
    except OSError:
        return False


def test_a_worker_killed_before_its_commit_leaves_no_record(app, app_context, tmp_path):
    marker = tmp_path / "paused-worker"
    env = {"PAUSE_MARKER": str(marker)}
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with serve_app(
        database_url=database_url,
        upload_dir=str(tmp_path),
        env=env,
        app_module="tests.faults.paused_wsgi:app",
    ) as url:
        browser = Browser(url)
        token = browser.csrf_token("/training/new")
        outcome = {}

        def submit():
            try:
                outcome["answer"] = browser.open(
                    "/training/new", {**request_form(), "csrf_token": token}
                )
            except OSError as error:  # the connection dies with the worker
                outcome["error"] = error

        sender = threading.Thread(target=submit)
        sender.start()
        pid = int(_wait_for(lambda: marker.exists() and marker.read_text(), "the paused worker"))
        os.kill(pid, signal.SIGKILL)
        sender.join(WAIT_SECONDS)
        assert not sender.is_alive()
        assert "answer" not in outcome or outcome["answer"][0] >= 500
        assert _rows() == 0

        # The master starts a new worker; the next submission (no pause now) is saved whole.
        _wait_for(lambda: _served(Browser(url)), "the site to serve again")
        status, _ = Browser(url).post_form("/training/new", request_form())
        assert status == 302
        assert _rows() == 1
