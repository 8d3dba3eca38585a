import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
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
