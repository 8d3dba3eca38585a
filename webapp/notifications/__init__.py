"""The outbox: messages queued with a change, sent by a worker, kept for staff to see."""

from flask import Blueprint, Flask

staff_bp = Blueprint("notifications_staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.notifications import retention, staff_views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    # Registered first: the outbox's anonymiser runs before the features'.
    register_feature(
        app,
        blueprints=[(staff_bp, "/staff/outbox")],
        anonymisers=[("outbox", retention.anonymise_outbox)],
    )
