"""`flask waitlist expire`: end unanswered offers by hand (the scheduler runs it every 5 minutes)."""

import click
from flask.cli import AppGroup

from webapp.appointments.waitlist.offers import expire_offers

waitlist_cli = AppGroup("waitlist", help="Waiting lists of full sessions.")


@waitlist_cli.command("expire")
def expire_command():
    """End offers whose time is up (their seats go to the next in line) and lapsed places."""
    ended = expire_offers()
    click.echo(f"{ended} offers or places ended")
