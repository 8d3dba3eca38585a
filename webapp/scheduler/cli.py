"""`flask scheduler run`: the daily reminders, nightly retention and periodic tasks."""

import threading

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.common.clock import to_local, utcnow
from webapp.notifications.cli import stop_on_signals
from webapp.scheduler.runner import jobs_from_config, read_runs, run_due_jobs, run_scheduler

scheduler_cli = AppGroup("scheduler", help="Daily, nightly and periodic jobs.")


def _jobs():
    try:
        return jobs_from_config(current_app.config)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@scheduler_cli.command("run")
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@click.option("--poll", type=float, default=None, help="Seconds between looks at the clock.")
def run_command(once, poll):
    """Run each job when it is due until stopped (SIGTERM or Ctrl-C)."""
    jobs = _jobs()
    app = current_app._get_current_object()
    if once:
        ran = run_due_jobs(app, jobs, now=utcnow())
        click.echo(f"ran: {', '.join(ran) or 'nothing was due'}")
        return
    stop = threading.Event()
    stop_on_signals(stop, after="the current job")
    poll = poll or current_app.config["SCHEDULER_POLL_SECONDS"]
    run_scheduler(app, jobs=jobs, stop=stop, poll_seconds=poll)
    click.echo("scheduler stopped")


@scheduler_cli.command("status")
def status_command():
    """List the jobs, when each last finished (Beijing time) and what it did."""
    runs = read_runs()
    for job in _jobs():
        run = runs.get(job.name)
        if run is None or run.finished_at is None:
            click.echo(f"{job.name} ({job.schedule}): not run yet")
            continue
        click.echo(
            f"{job.name} ({job.schedule}): {to_local(run.finished_at):%Y-%m-%d %H:%M}: "
            f"{run.outcome}"
        )
