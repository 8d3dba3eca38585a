"""`make run` on a fresh clone: the Procfile under honcho starts the site, the outbox worker
and the scheduler; the demo's queued messages are sent; Ctrl-C stops the whole group.

What `make run` does, in a fresh instance folder (SQLite, as on a new machine):
upgrade the database, load the demo data, then `honcho start` the Procfile.
"""

import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live import ROOT, STARTUP_WAIT_SECONDS, free_port

BIN = Path(sys.executable).parent


def _environment(instance: Path) -> dict:
    """A new machine's: nothing from the test run but PATH and the like."""
    left_out = {"DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "UPLOAD_DIR", "SMS_GATEWAY"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in left_out and not name.startswith(("PAGE_CACHE_", "FLASK_"))
    }
    return {
        **env,
        "INSTANCE_DIR": str(instance),
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (our own command)
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _pending_message_ids(database: Path) -> set[int]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id FROM outbox WHERE status = 'pending'").fetchall()
    return {row[0] for row in rows}


def _statuses(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT status FROM outbox")}


def _wait_for(log: Path, pattern: str, process: subprocess.Popen) -> re.Match:
    deadline = time.monotonic() + STARTUP_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"), re.MULTILINE)
        if found:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} never appeared in the log:\n{log.read_text()}")


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_make_run_serves_sends_the_demo_messages_schedules_and_stops_on_ctrl_c(tmp_path):
    instance = tmp_path / "instance"
    env = _environment(instance)
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "load")
    demo_messages = _pending_message_ids(instance / "portal.sqlite3")
    assert len(demo_messages) > 10  # the demo's bookings and reports queue texts

    port = free_port()
    log = tmp_path / "run.log"
    with log.open("wb") as output:
        group = subprocess.Popen(  # noqa: S603
            [str(BIN / "honcho"), "--no-colour", "start", "--procfile", "Procfile"]
            + ["--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    try:
        # each part starts and says so
        _wait_for(log, rf"web\.1 +\| .*Listening at: http://127\.0\.0\.1:{port}", group)
        _wait_for(log, r"worker\.1 +\| .*outbox worker \S+ started", group)
        _wait_for(log, r"scheduler\.1 +\| .*scheduler started: reminders daily at 18:00", group)
        # the web server answers
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:  # noqa: S310
            assert answer.status == 200
        _wait_for(log, r'web\.1 +\| .*"GET /healthz HTTP/1\.1" 200', group)
        # the worker sends the demo's messages, to the log gateway, each once
        sent = _wait_for(log, r"outbox worker: sent: (\d+),", group)
        assert int(sent.group(1)) == len(demo_messages)
        logged = re.findall(r"\| .* SMS outbox-(\d+) to ", log.read_text())
        assert sorted(int(number) for number in logged) == sorted(demo_messages)
        assert _statuses(instance / "portal.sqlite3") == {"sent"}
        # the scheduler runs what was never run: tomorrow's reminders, the retention
        _wait_for(log, r"scheduler\.1 +\| .*scheduler: reminders done: sessions on ", group)
        _wait_for(log, r"scheduler\.1 +\| .*scheduler: retention done: outbox: ", group)
    finally:
        os.killpg(group.pid, signal.SIGINT)  # Ctrl-C in the terminal
        try:
            group.wait(timeout=STARTUP_WAIT_SECONDS)
        finally:
            if group.poll() is None:
                os.killpg(group.pid, signal.SIGKILL)

    text = log.read_text()
    assert group.returncode == 130, text  # stopped by SIGINT, every part cleanly
    for part in ("web.1", "worker.1", "scheduler.1"):
        assert f"{part} stopped (rc=0)" in text, text
    assert "outbox worker stopped" in text and "scheduler stopped" in text
    pids = re.findall(r"started \(pid=(\d+)\)|Booting worker with pid: (\d+)", text)
    assert len(pids) == 5  # web, worker, scheduler, two gunicorn workers
    assert [pid for pid in (int(a or b) for a, b in pids) if _is_running(pid)] == []
