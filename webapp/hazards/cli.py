"""`flask photos sweep`: remove photo files that no report owns (also run by `flask retention apply`)."""

import logging
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.hazards import photos as photo_files
from webapp.hazards.models import HazardPhoto
from webapp.hazards.services import upload_dir

log = logging.getLogger(__name__)

photos_cli = AppGroup("photos", help="Photo files of hazard reports.")


def sweep_orphan_photos() -> photo_files.Swept:
    """Remove the files under the hazard upload directory that no photo row names and
    that are older than an hour (pending files of a worker killed mid-upload, above all)."""
    owned = set()
    for file_name, thumbnail_name in db.session.execute(
        select(HazardPhoto.file_name, HazardPhoto.thumbnail_name)
    ):
        owned.update((file_name, thumbnail_name))
    swept = photo_files.sweep(upload_dir(), owned)
    for name in swept.removed:
        log.info("removed photo file without a report: %s", name)
    for name in swept.published:
        log.info("renamed the saved photo file left pending: %s", name)
    return swept


def sweep_for_retention(_cutoff: datetime) -> int:
    """The nightly `flask retention apply` runs the sweep too: files that no row owns
    may show faces or plates that no anonymiser can reach. Returns the files removed."""
    return len(sweep_orphan_photos().removed)


@photos_cli.command("sweep")
def sweep_command():
    """Remove photo files that no report owns, older than an hour; print each one."""
    swept = sweep_orphan_photos()
    for name in swept.removed:
        click.echo(f"removed {name}")
    for name in swept.published:
        click.echo(f"renamed {name} (its report is saved)")
    click.echo(
        f"{len(swept.removed)} file(s) removed, {len(swept.published)} renamed, in {upload_dir()}"
    )
