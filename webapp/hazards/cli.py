"""`flask photos sweep`: remove photo files that no report owns (also run nightly, after
retention, by `flask retention apply` and the scheduler); `flask photos migrate --to
s3|local`: copy them to the other store."""

import logging
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.hazards import photos as photo_files
from webapp.hazards.models import HazardPhoto
from webapp.hazards.photo_storage import KINDS, PhotoStorage, photo_storage, storage_of_kind
from webapp.transactions import transaction

log = logging.getLogger(__name__)

photos_cli = AppGroup("photos", help="Photo files of hazard reports.")


def owned_photo_names() -> set[str]:
    """Every file name (photo and thumbnail) that a photo row owns."""
    owned = set()
    with transaction():  # a read only: ends before the files are touched
        for file_name, thumbnail_name in db.session.execute(
            select(HazardPhoto.file_name, HazardPhoto.thumbnail_name)
        ):
            owned.update((file_name, thumbnail_name))
    return owned


def sweep_orphan_photos() -> photo_files.Swept:
    """Remove the files of the photo store that no photo row names and that are older
    than an hour (pending files of a worker killed mid-upload, above all)."""
    swept = photo_files.sweep(photo_storage(), owned_photo_names())
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
        f"{len(swept.removed)} file(s) removed, {len(swept.published)} renamed, "
        f"in {photo_storage().where}"
    )


@dataclass
class Copied:
    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def copy_photos(source: PhotoStorage, target: PhotoStorage, names: set[str]) -> Copied:
    """Copy the named files from one store to the other; a file already there with the
    same size is left as it is, so an interrupted copy is finished by running it again."""
    sizes = {file.name: file.size for file in source.files()}
    result = Copied()
    for name in sorted(names):
        if name not in sizes:
            result.missing.append(name)
        elif target.size(name) == sizes[name]:
            result.present.append(name)
        else:
            target.put(name, source.read(name))
            result.copied.append(name)
    return result


@photos_cli.command("migrate")
@click.option("--to", "kind", type=click.Choice(KINDS), required=True, help="the store to fill")
def migrate_command(kind: str):
    """Copy every report's photo files into the other store (UPLOAD_DIR or S3_BUCKET).

    Run it before switching PHOTO_STORAGE; running it again copies only what is missing.
    """
    app = current_app._get_current_object()
    source = storage_of_kind(app, "s3" if kind == "local" else "local")
    target = storage_of_kind(app, kind)
    result = copy_photos(source, target, owned_photo_names())
    for name in result.copied:
        click.echo(f"copied {name}")
    for name in result.missing:
        click.echo(f"missing {name} (in no store: its report shows no picture)", err=True)
    click.echo(
        f"{len(result.copied)} file(s) copied, {len(result.present)} already there, "
        f"{len(result.missing)} missing, from {source.where} to {target.where}"
    )
