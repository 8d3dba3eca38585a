"""The scheduler's runs: persisted, claimed once, retried after a failure; its real jobs."""

import os
import threading
import time as wall_clock
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.hazards.conftest import hazard_dir  # noqa: F401
from tests.hazards.images import jpeg_bytes
from webapp.extensions import db
from webapp.notifications import reminders
from webapp.scheduler.due import CLAIM_TIMEOUT, Daily, Every
from webapp.scheduler.models import ScheduledRun
from webapp.scheduler.runner import (
    Job,
    apply_nightly_retention,
    claim,
    jobs_from_config,
    queue_tomorrows_reminders,
    read_runs,
    run_due_jobs,
    run_scheduler,
)

DAY_ONE_18H = datetime(2026, 12, 3, 10, 0, 5)  # 18:00:05 Beijing time


class Recorder:
    """A job's function that keeps the times it was run at, or fails when told."""

    def __init__(self, *, fail: bool = False):
        self.moments, self.fail = [], fail

    def __call__(self, now):
        self.moments.append(now)
        if self.fail:
            raise RuntimeError("the gateway is down for 13812345678")
        return "did it"


def _row(app, name: str) -> ScheduledRun:
    with app.app_context():
        return db.session.get(ScheduledRun, name)


def test_a_restart_neither_runs_a_daily_job_twice_nor_skips_the_next_day(app):
    recorder = Recorder()
    jobs = [Job("reminders", Daily(time(18, 0)), recorder)]

    assert run_due_jobs(app, jobs, now=DAY_ONE_18H) == ["reminders"]
    # a new process: all it knows is in the table
    assert run_due_jobs(app, jobs, now=DAY_ONE_18H + timedelta(minutes=30)) == []
    assert run_due_jobs(app, jobs, now=DAY_ONE_18H + timedelta(hours=23, minutes=59)) == []
    assert run_due_jobs(app, jobs, now=DAY_ONE_18H + timedelta(days=1)) == ["reminders"]

    assert recorder.moments == [DAY_ONE_18H, DAY_ONE_18H + timedelta(days=1)]
    row = _row(app, "reminders")
    assert (row.claimed_at, row.covered_until) == (None, DAY_ONE_18H + timedelta(days=1))
    assert row.outcome == "did it"


def test_a_scheduler_stopped_over_the_time_runs_the_job_once_when_it_starts_again(app):
    recorder = Recorder()
    jobs = [Job("reminders", Daily(time(18, 0)), recorder)]
    run_due_jobs(app, jobs, now=DAY_ONE_18H)

    back = datetime(2026, 12, 6, 1, 0)  # 09:00 Beijing time, three days later
    assert run_due_jobs(app, jobs, now=back) == ["reminders"]
    assert run_due_jobs(app, jobs, now=back + timedelta(minutes=1)) == []
    assert recorder.moments == [DAY_ONE_18H, back]


def test_of_two_schedulers_that_saw_the_same_row_only_one_claims_the_job(app):
    now = DAY_ONE_18H
    with app.app_context():
        assert claim("retention", seen=None, now=now)
        assert not claim("retention", seen=None, now=now)  # the row exists now
        [seen] = read_runs().values()
        later = now + CLAIM_TIMEOUT
        assert claim("retention", seen=seen, now=later)
        assert not claim("retention", seen=seen, now=later)  # the other host, a moment late


def test_two_schedulers_running_at_once_run_a_due_job_once(app):
    recorder = Recorder()
    jobs = [Job("reminders", Daily(time(18, 0)), recorder)]
    start = threading.Barrier(2)
    ran = []

    def scheduler():
        start.wait(timeout=30)
        ran.extend(run_due_jobs(app, jobs, now=DAY_ONE_18H))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ran == ["reminders"]
    assert len(recorder.moments) == 1


def test_a_failed_job_is_recorded_without_its_error_text_and_tried_again_later(app):
    failing = Recorder(fail=True)
    jobs = [Job("retention", Daily(time(2, 30)), failing)]
    first = datetime(2026, 12, 3, 18, 30)  # 02:30 Beijing time

    assert run_due_jobs(app, jobs, now=first) == ["retention"]
    row = _row(app, "retention")
    assert (row.claimed_at, row.covered_until) == (first, None)
    assert row.outcome == "failed: RuntimeError"  # no phone number from the message

    assert run_due_jobs(app, jobs, now=first + CLAIM_TIMEOUT - timedelta(seconds=1)) == []
    failing.fail = False
    assert run_due_jobs(app, jobs, now=first + CLAIM_TIMEOUT) == ["retention"]
    assert _row(app, "retention").covered_until == first + CLAIM_TIMEOUT


def test_one_failing_job_does_not_stop_the_others(app):
    failing, working = Recorder(fail=True), Recorder()
    jobs = [Job("a", Every(5), failing), Job("b", Every(5), working)]
    assert run_due_jobs(app, jobs, now=DAY_ONE_18H) == ["a", "b"]
    assert len(working.moments) == 1


def test_periodic_tasks_registered_by_the_features_run_every_n_minutes(app, periodic_tasks):
    calls = []
    periodic_tasks["count"] = (lambda: calls.append(1), 5)
    jobs = jobs_from_config(app.config)
    assert [(job.name, str(job.schedule)) for job in jobs] == [
        ("reminders", "daily at 18:00 Beijing time"),
        ("retention", "daily at 02:30 Beijing time"),
        ("count", "every 5 min"),
    ]
    count = [job for job in jobs if job.name == "count"]

    for minutes in (0, 4, 5, 9, 10):
        run_due_jobs(app, count, now=DAY_ONE_18H + timedelta(minutes=minutes))

    assert len(calls) == 3
    assert _row(app, "count").outcome == "done"


def test_the_reminders_job_queues_for_tomorrow_of_the_beijing_day_it_runs(monkeypatch, app_context):
    days = []
    monkeypatch.setattr("webapp.notifications.reminders.REMINDER_PROVIDERS", {})
    reminders.REMINDER_PROVIDERS["appointments"] = lambda day: days.append(day) or []

    said = queue_tomorrows_reminders(datetime(2026, 12, 3, 10, 0))  # 18:00 on the 3rd
    queue_tomorrows_reminders(datetime(2026, 12, 3, 16, 30))  # 00:30 on the 4th
    # caught up at 09:00 on the 5th after a missed evening: not the 5th's (they are today's)
    queue_tomorrows_reminders(datetime(2026, 12, 5, 1, 0))

    assert days == [date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6)]
    assert said == "sessions on 2026-12-04: appointments: 0 queued"


def test_the_retention_job_anonymises_then_sweeps_orphan_photo_files(app_context, hazard_dir):  # noqa: F811
    orphan = hazard_dir / "left-by-a-killed-worker.jpg.pending"
    orphan.write_bytes(jpeg_bytes())
    two_hours_ago = wall_clock.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    said = apply_nightly_retention(datetime(2026, 12, 3, 18, 30))

    assert said.startswith("outbox: 0 anonymised; ")
    assert said.endswith("; hazard photo files without a report: 1 file(s) removed, 0 renamed")
    assert not orphan.exists()


def test_the_command_runs_what_is_due_once_and_the_status_shows_it(runner, app):
    ran = runner.invoke(args=["scheduler", "run", "--once"])
    again = runner.invoke(args=["scheduler", "run", "--once"])
    status = runner.invoke(args=["scheduler", "status"])

    assert ran.output == "ran: reminders, retention\n"
    assert again.output == "ran: nothing was due\n"
    lines = status.output.splitlines()
    assert lines[0].startswith("reminders (daily at 18:00 Beijing time): 20")
    assert lines[0].endswith(": sessions on " + lines[0].split("sessions on ")[1])
    assert "retention (daily at 02:30 Beijing time): " in lines[1]
    assert "outbox: 0 anonymised" in lines[1]


def test_a_time_of_day_that_cannot_be_read_stops_the_command_with_a_message(
    runner, app, monkeypatch
):
    monkeypatch.setitem(app.config, "REMINDERS_AT", "6pm")
    result = runner.invoke(args=["scheduler", "run", "--once"])
    assert result.exit_code == 1
    assert "REMINDERS_AT='6pm' is not a time of day such as 18:00" in result.output


def test_the_loop_runs_what_is_due_then_stops_when_asked(app, caplog):
    stop = threading.Event()
    stop.set()  # asked before the first pass ends: one pass, then out
    with caplog.at_level("INFO", logger="webapp.scheduler.runner"):
        run_scheduler(app, jobs=jobs_from_config(app.config), stop=stop, poll_seconds=3600)
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith("scheduler started: reminders daily at 18:00 Beijing time;")
    assert any(message.startswith("scheduler: retention done: ") for message in messages)
    assert messages[-1] == "scheduler stopped"
    with app.app_context():
        assert db.session.scalars(select(ScheduledRun.name).order_by("name")).all() == [
            "reminders",
            "retention",
        ]


@pytest.fixture(autouse=True)
def periodic_tasks(monkeypatch) -> dict:
    """The features' periodic tasks, left out: a test adds its own."""
    tasks = {}
    monkeypatch.setattr("webapp.scheduler.runner.PERIODIC_TASKS", tasks)
    return tasks
