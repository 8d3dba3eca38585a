"""Run the jobs that are due: claim each in `scheduled_runs`, run it, record how it went.

A claim is a guarded UPDATE (the row must still hold what was read) or the
INSERT of a job's first row, so that of two schedulers (two hosts, or a restart
racing an old process) only one runs a job. Each job runs in an app context of
its own and opens its own transactions: reminders commit per provider, retention
per anonymiser, as their commands do.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from webapp.common.clock import to_local, utcnow
from webapp.extensions import db
from webapp.features import PERIODIC_TASKS
from webapp.notifications.reminders import queue_reminders
from webapp.notifications.retention import apply_retention, run_nightly_clean_ups
from webapp.scheduler.due import Daily, Every, Schedule, is_due, time_of_day
from webapp.scheduler.models import ScheduledRun
from webapp.transactions import savepoint, transactional

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    schedule: Schedule
    # Called with the time it runs (naive UTC); returns what it did, in one line.
    run: Callable[[datetime], str]


def queue_tomorrows_reminders(now: datetime) -> str:
    """The reminders for the sessions of the day after `now` (Beijing time).

    Tomorrow from the time it runs, not from the time it was due: a run caught up
    the morning after a missed evening cannot remind of "tomorrow's" sessions that
    are today's; those of the next day are then queued early, once.
    """
    day = to_local(now).date() + timedelta(days=1)
    results = queue_reminders(day=day)
    counts = ", ".join(f"{r.provider}: {r.queued} queued" for r in results)
    return f"sessions on {day.isoformat()}: {counts or 'no reminder providers'}"


def apply_nightly_retention(_now: datetime) -> str:
    """What `flask retention apply` does: the anonymisers, then the clean-ups."""
    anonymised = [f"{r.name}: {r.count} anonymised" for r in apply_retention()]
    cleaned = [f"{c.name}: {c.said}" for c in run_nightly_clean_ups()]
    return "; ".join(anonymised + cleaned)


def _periodic(function: Callable[[], object]) -> Callable[[datetime], str]:
    def run(_now: datetime) -> str:
        result = function()
        return "done" if result is None else str(result)

    return run


def jobs_from_config(config) -> list[Job]:
    """The daily jobs at their configured times, then every registered periodic task."""
    jobs = [
        Job(
            "reminders",
            Daily(time_of_day(config["REMINDERS_AT"], setting="REMINDERS_AT")),
            queue_tomorrows_reminders,
        ),
        Job(
            "retention",
            Daily(time_of_day(config["RETENTION_AT"], setting="RETENTION_AT")),
            apply_nightly_retention,
        ),
    ]
    for name, (function, minutes) in sorted(PERIODIC_TASKS.items()):
        jobs.append(Job(name, Every(minutes), _periodic(function)))
    return jobs


@dataclass(frozen=True)
class Seen:
    """A job's row as read before claiming it (None for a job that never ran)."""

    claimed_at: datetime | None
    covered_until: datetime | None
    finished_at: datetime | None = None
    outcome: str = ""


@transactional
def read_runs() -> dict[str, Seen]:
    rows = db.session.scalars(select(ScheduledRun))
    return {
        row.name: Seen(row.claimed_at, row.covered_until, row.finished_at, row.outcome)
        for row in rows
    }


def due_jobs(jobs: list[Job], runs: dict[str, Seen], *, now: datetime) -> list[Job]:
    never = Seen(None, None)
    return [
        job
        for job in jobs
        if is_due(
            job.schedule,
            covered_until=runs.get(job.name, never).covered_until,
            claimed_at=runs.get(job.name, never).claimed_at,
            now=now,
        )
    ]


@transactional
def claim(name: str, *, seen: Seen | None, now: datetime) -> bool:
    """Mark the job as running since `now`; False when another scheduler was first."""
    if seen is None:
        try:
            with savepoint():
                db.session.add(ScheduledRun(name=name, claimed_at=now))
        except IntegrityError:  # another scheduler made the row a moment ago
            return False
        return True
    claimed = db.session.execute(
        update(ScheduledRun)
        .where(
            ScheduledRun.name == name,
            ScheduledRun.claimed_at.is_not_distinct_from(seen.claimed_at),
            ScheduledRun.covered_until.is_not_distinct_from(seen.covered_until),
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


@transactional
def record(name: str, *, claimed_at: datetime, ok: bool, outcome: str) -> None:
    """A good run covers everything due before it began; a failed one keeps its claim,
    so the job is tried again when the claim expires (due.CLAIM_TIMEOUT)."""
    values = {"finished_at": utcnow(), "outcome": outcome[:500]}
    if ok:
        values.update(claimed_at=None, covered_until=claimed_at)
    db.session.execute(
        update(ScheduledRun)
        .where(ScheduledRun.name == name, ScheduledRun.claimed_at == claimed_at)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def run_job(app: Flask, job: Job, *, now: datetime) -> bool:
    """Run one claimed job in an app context of its own; True when it finished well."""
    logger.info("scheduler: %s (%s) starting", job.name, job.schedule)
    try:
        with app.app_context():
            said = job.run(now)
    except Exception as error:  # one failing job must not stop the others
        logger.exception("scheduler: %s failed; it runs again later", job.name)
        # The type only: a database error's text may quote the rows' data.
        ok, outcome = False, f"failed: {type(error).__name__}"
    else:
        logger.info("scheduler: %s done: %s", job.name, said)
        ok, outcome = True, said
    with app.app_context():
        record(job.name, claimed_at=now, ok=ok, outcome=outcome)
    return ok


def run_due_jobs(app: Flask, jobs: list[Job], *, now: datetime) -> list[str]:
    """Claim and run every job due at `now`; the names of those this scheduler ran."""
    with app.app_context():
        runs = read_runs()
    ran = []
    for job in due_jobs(jobs, runs, now=now):
        with app.app_context():
            claimed = claim(job.name, seen=runs.get(job.name), now=now)
        if claimed:
            run_job(app, job, now=now)
            ran.append(job.name)
    return ran


def run_scheduler(app: Flask, *, jobs: list[Job], stop: threading.Event, poll_seconds: float):
    """Run what is due, wait `poll_seconds`, and again, until `stop` is set.

    A stop asked for while a job runs ends the loop once the job is done.
    """
    logger.info("scheduler started: %s", "; ".join(f"{job.name} {job.schedule}" for job in jobs))
    while True:
        try:
            run_due_jobs(app, jobs, now=utcnow())
        except OperationalError:  # the failed step was rolled back by its transaction
            logger.exception("scheduler: the database is unavailable; trying again")
        if stop.wait(poll_seconds):
            break
    logger.info("scheduler stopped")
