import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.hazards.photo_storage import photo_storage
from webapp.transactions import discard

log = logging.getLogger(__name__)


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
    """Whether a photo could be saved now (see the store's `is_writable`)."""
    return photo_storage().is_writable()
