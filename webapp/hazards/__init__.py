"""Road-hazard reports: residents report, officers investigate, refer and close out."""

from flask import Blueprint, Flask

bp = Blueprint("hazards", __name__)
staff_bp = Blueprint("hazards_staff", __name__)

from webapp.demo import register_demo_loader  # noqa: E402
from webapp.education.figures import register_live_figure  # noqa: E402
from webapp.hazards import cli, demo, inbox, retention, services, staff_views, views  # noqa: E402, F401
from webapp.notifications.retention import register_anonymiser  # noqa: E402
from webapp.staff.inbox import register_source  # noqa: E402


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp, url_prefix="/hazards")
    app.register_blueprint(staff_bp, url_prefix="/staff/hazards")
    register_source(inbox.SOURCE)
    register_anonymiser("hazards", retention.anonymise_reports)
    register_anonymiser("hazard photo files without a report", cli.sweep_for_retention)
    app.cli.add_command(cli.photos_cli)
    register_live_figure(app, services.received_figure)
    register_live_figure(app, services.closed_figure)
    register_demo_loader(30, "hazard reports", demo.load_demo_hazards)
