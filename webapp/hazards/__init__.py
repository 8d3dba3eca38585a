"""Road-hazard reports: residents report, officers investigate, refer and close out."""

from flask import Blueprint, Flask

bp = Blueprint("hazards", __name__)
staff_bp = Blueprint("hazards_staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.hazards import cli, demo, inbox, retention, services, staff_views, views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(
        app,
        blueprints=[(bp, "/hazards"), (staff_bp, "/staff/hazards")],
        commands=[cli.photos_cli],
        inbox=inbox.SOURCE,
        anonymisers=[
            ("hazards", retention.anonymise_reports),
            ("hazard photo files without a report", cli.sweep_for_retention),
        ],
        live_figures=[services.received_figure, services.closed_figure],
        demo_loaders=[(30, "hazard reports", demo.load_demo_hazards)],
    )
    # Beside the blueprint's prefix, not under it (SPEC.md's URL map): /hazards.geojson.
    app.add_url_rule(
        "/hazards.geojson", endpoint="hazards.reports_geojson", view_func=views.reports_geojson
    )
