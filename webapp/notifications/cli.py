"""Commands: `flask outbox send|work`, `flask reminders queue`, `flask retention apply`."""

import signal
import threading
from datetime import date, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp.common.clock import local_today
from webapp.notifications.reminders import queue_reminders
from webapp.notifications.retention import (
    apply_retention,
    retention_cutoff,
    run_nightly_clean_ups,
)
from webapp.notifications.worker import run_worker, send_due

outbox_cli = AppGroup("outbox", help="Messages to citizens and companies.")
reminders_cli = AppGroup("reminders", help="Reminders the day before a session.")
retention_cli = AppGroup("retention", help="Data retention.")


@outbox_cli.command("send")
def send_command():
    """Send every message that is due, then exit."""
    click.echo(str(send_due()))


def stop_on_signals(stop: threading.Event, *, after: str = "the current message") -> None:
    """SIGTERM (a service manager) and SIGINT (Ctrl-C) end a loop (the outbox worker, the
    scheduler) once it has finished what it is doing."""

    def ask_to_stop(signum, _frame):
        click.echo(f"{signal.Signals(signum).name}: stopping after {after}")
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)


@outbox_cli.command("work")
@click.option("--poll", type=float, default=None, help="Seconds between passes.")
def work_command(poll):
    """Keep sending due messages until stopped (for a service manager)."""
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(stop=stop, poll_seconds=poll or current_app.config["OUTBOX_POLL_SECONDS"])
    click.echo("outbox worker stopped")


@reminders_cli.command("queue")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day of the sessions (default: tomorrow, Beijing time).",
)
def queue_reminders_command(day):
    """Queue the reminders for tomorrow's sessions, once per booking."""
    day: date = day.date() if day else local_today() + timedelta(days=1)
    results = queue_reminders(day=day)
    if not results:
        click.echo("no reminder providers are registered")
    for result in results:
        click.echo(
            f"{result.provider}: {result.queued} queued, "
            f"{result.already_queued} already queued (sessions on {day.isoformat()})"
        )


@retention_cli.command("apply")
def apply_retention_command():
    """Anonymise personal data of submissions closed more than RETENTION_DAYS ago, then
    run the nightly clean-ups (photo files that no report owns)."""
    click.echo(
        f"cutoff: {retention_cutoff():%Y-%m-%d %H:%M} UTC "
        f"(RETENTION_DAYS={current_app.config['RETENTION_DAYS']})"
    )
    for result in apply_retention():
        click.echo(f"{result.name}: {result.count} anonymised")
    for cleaned in run_nightly_clean_ups():
        click.echo(f"{cleaned.name}: {cleaned.said}")


def register_notification_commands(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(retention_cli)
