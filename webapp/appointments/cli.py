"""`flask sessions create|capacity`: publish sessions and change their seats from the command line."""

from datetime import date, time

import click

from webapp.appointments import bp
from webapp.appointments.errors import AppointmentError
from webapp.appointments.rules import SERVICES
from webapp.appointments.staff_services import SessionPlan, change_capacity, publish_sessions


def _parse(kind, text: str):
    try:
        return kind.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a valid {kind.__name__}") from None


@bp.cli.command("create")
@click.option("--service", required=True, type=click.Choice(sorted(SERVICES)))
@click.option("--date", "day", required=True, help="YYYY-MM-DD")
@click.option("--start", required=True, help="HH:MM, Beijing time")
@click.option("--end", required=True, help="HH:MM, Beijing time")
@click.option("--place", required=True)
@click.option("--capacity", required=True, type=click.IntRange(1, 500))
@click.option("--weekly-until", default=None, help="YYYY-MM-DD: repeat every week until then")
def create_sessions_command(service, day, start, end, place, capacity, weekly_until):
    """Publish a session, or a weekly series of sessions."""
    plan = SessionPlan(
        service=service,
        day=_parse(date, day),
        starts_at=_parse(time, start),
        ends_at=_parse(time, end),
        place=place.strip(),
        capacity=capacity,
    )
    if plan.ends_at <= plan.starts_at:
        raise click.BadParameter("the end must be after the start", param_hint="--end")
    until = _parse(date, weekly_until) if weekly_until else None
    if until and until < plan.day:
        raise click.BadParameter("must be on or after --date", param_hint="--weekly-until")
    try:
        sessions = publish_sessions(plan, weekly_until=until)
    except AppointmentError as error:
        raise click.ClickException(str(error.message)) from None
    for session in sessions:
        click.echo(
            f"Published session {session.id}: {service} {session.day} {start}-{end} at {place}"
        )


@bp.cli.command("capacity")
@click.option("--session", "session_id", required=True, type=int, help="the session's number")
@click.option("--capacity", required=True, type=click.IntRange(1, 500))
def change_capacity_command(session_id, capacity):
    """Change a session's seats; never below the seats already taken."""
    try:
        change_capacity(session_id, capacity, actor=None)
    except AppointmentError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Session {session_id} now has {capacity} seats.")
