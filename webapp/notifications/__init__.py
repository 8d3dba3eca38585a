"""The outbox: messages queued with a change, sent by a worker, kept for staff to see."""

from flask import Blueprint, Flask

staff_bp = Blueprint("notifications_staff", __name__)

from webapp.notifications import retention, staff_views  # noqa: E402, F401
from webapp.notifications.retention import register_anonymiser  # noqa: E402


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(staff_bp, url_prefix="/staff/outbox")
    # The outbox's own first: the features' anonymisers run after it.
    register_anonymiser("outbox", retention.anonymise_outbox)
