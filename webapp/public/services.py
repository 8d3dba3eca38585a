import logging
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.transactions import discard

log = logging.getLogger(__name__)

# The directories that uploads are written to, under UPLOAD_DIR.
UPLOAD_SUBDIRECTORIES = ("hazards",)


def database_is_reachable() -> bool:
    """Run a trivial query; a failure is logged and answered with False."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: database unavailable: %s", error)
        discard()
        return False
    finally:
        db.session.remove()
    return True


def uploads_are_writable() -> bool:
    """Whether a photo could be saved now: a file can be made where it would be written.

    A directory that does not exist yet is made by the first upload, so its nearest
    existing parent is tried instead; nothing is left behind. The permission bits
    are not trusted (root ignores them): a real file is made and removed, so a full
    or read-only disk, a directory that is a file, or a lost mount all show.
    """
    root = Path(current_app.config["UPLOAD_DIR"])
    for directory in (root, *(root / name for name in UPLOAD_SUBDIRECTORIES)):
        existing = next(path for path in (directory, *directory.parents) if path.exists())
        try:
            if not existing.is_dir():
                raise NotADirectoryError(f"{existing} is not a directory")
            with tempfile.NamedTemporaryFile(dir=existing, prefix=".healthz-"):
                pass
        except OSError as error:
            log.warning("health check: upload directory %s not writable: %s", directory, error)
            return False
    return True
