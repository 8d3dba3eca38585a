"""Road-safety training for companies: requests, the brigade's review, sessions delivered."""

from flask import Blueprint, Flask

bp = Blueprint("training", __name__)
staff_bp = Blueprint("training_staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.training import demo, inbox, retention, services, staff_views, views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(
        app,
        blueprints=[(bp, "/training"), (staff_bp, "/staff/training")],
        inbox=inbox.SOURCE,
        anonymisers=[("training requests", retention.anonymise_closed_requests)],
        live_figures=[services.trainings_delivered_figure, services.people_trained_figure],
        demo_loaders=[(50, "training requests", demo.load_demo_training_requests)],
    )
