"""Command-line commands: `flask users ...`, `flask demo load`, `flask calendar check`,
and the other packages' groups."""

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from webapp.common import clock, workdays
from webapp.extensions import db
from webapp.notifications.cli import register_notification_commands
from webapp.scheduler.cli import scheduler_cli
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.staff.services import AccountError, create_user, set_password
from webapp.static_files import static_cli

users_cli = AppGroup("users", help="Staff accounts.")
demo_cli = AppGroup("demo", help="Demo data.")
calendar_cli = AppGroup("calendar", help="The working-day calendar.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="Repeat for several roles.",
)
@click.option("--name", "display_name", default="", help="The name shown to colleagues.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(username, roles, display_name, password_stdin):
    """Create a staff account (the first admin is made this way)."""
    try:
        user = create_user(
            username,
            password=_read_password(password_stdin),
            roles=roles,
            display_name=display_name,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.username} with roles: {user.roles_text}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(username, password_stdin):
    """Set a new password; every session of the account ends."""
    user = db.session.scalar(User.by_username(username))
    if user is None:
        raise click.ClickException(f"No account named {username}")
    try:
        set_password(user, _read_password(password_stdin))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password changed for {user.username}; all sessions ended.")


@demo_cli.command("load")
def load_demo_command():
    """Fill the database with demo data (adds nothing that is already there)."""
    from webapp import demo_data  # noqa: F401  (registers every loader)
    from webapp.demo import run_demo_loaders

    for name, said in run_demo_loaders():
        click.echo(f"{name}: {said}")


@calendar_cli.command("check")
def check_calendar_command():
    """Print the years the holiday calendar covers; exit 1 when one that is due is missing.

    This year is due always, next year from 1 November (the State Council's notice).
    """
    covered = workdays.years_covered()
    click.echo(f"{workdays.calendar_path()} covers: {', '.join(map(str, covered)) or 'no year'}")
    missing = workdays.missing_years(clock.local_today())
    for year in missing:
        click.echo(
            f"Missing: {year}. Working-day targets in {year} are estimated on a plain "
            "Monday-to-Friday week until its holidays are added from the State Council notice."
        )
    if missing:
        sys.exit(1)


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(calendar_cli)
    register_notification_commands(app)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(static_cli)
