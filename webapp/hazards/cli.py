"""`flask photos sweep`: remove photo files that no report owns (also run nightly, after
retention, by `flask retention apply` and the scheduler)."""

import logging

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.hazards import photos as photo_files
from webapp.hazards.models import HazardPhoto
from webapp.hazards.services import upload_dir
from webapp.transactions import transaction

log = logging.getLogger(__name__)

photos_cli = AppGroup("photos", help="Photo files of hazard reports.")


def sweep_orphan_photos() -> photo_files.Swept:
    """Remove the files under the hazard upload directory that no photo row names and
    that are older than an hour (pending files of a worker killed mid-upload, above all)."""
    owned = set()
    with transaction():  # a read only: ends before the files are touched
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


def sweep_nightly() -> str:
    """The nightly clean-up after retention: files that no row owns may show faces or
    plates that no anonymiser can reach. Says how many files were removed and renamed."""
    swept = sweep_orphan_photos()
    return f"{len(swept.removed)} file(s) removed, {len(swept.published)} renamed"


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
