"""Road-safety training for companies: requests, the brigade's review, sessions delivered."""

from flask import Blueprint, Flask

bp = Blueprint("training", __name__)
staff_bp = Blueprint("training_staff", __name__)

from webapp.demo import register_demo_loader  # noqa: E402
from webapp.education.figures import register_live_figure  # noqa: E402
from webapp.notifications.retention import register_anonymiser  # noqa: E402
from webapp.staff.inbox import register_source  # noqa: E402
from webapp.training import demo, inbox, retention, services, staff_views, views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp, url_prefix="/training")
    app.register_blueprint(staff_bp, url_prefix="/staff/training")
    register_source(inbox.SOURCE)
    register_anonymiser("training requests", retention.anonymise_closed_requests)
    register_live_figure(app, services.trainings_delivered_figure)
    register_live_figure(app, services.people_trained_figure)
    register_demo_loader(50, "training requests", demo.load_demo_training_requests)
