"""Road-hazard reports: residents report, officers investigate, refer and close out."""

from flask import Blueprint, Flask

bp = Blueprint("hazards", __name__)
staff_bp = Blueprint("hazards_staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.hazards import (  # noqa: E402, F401
    cli,
    demo,
    following,
    inbox,
    models,
    retention,
    services,
    staff_views,
    views,
)


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(
        app,
        blueprints=[(bp, "/hazards"), (staff_bp, "/staff/hazards")],
        commands=[cli.photos_cli],
        inbox=inbox.SOURCE,
        anonymisers=[
            ("hazards", retention.anonymise_reports),
            ("hazard followers", retention.anonymise_followers),
        ],
        nightly=[("hazard photo files without a report", cli.sweep_nightly)],
        live_figures=[services.received_figure, services.closed_figure],
        demo_loaders=[(30, "hazard reports", demo.load_demo_hazards)],
        state_listeners=[(models.HazardReport.SUBJECT_TYPE, following.tell_about_state_change)],
    )
    # Beside the blueprint's prefix, not under it (SPEC.md's URL map): /hazards.geojson.
    app.add_url_rule(
        "/hazards.geojson", endpoint="hazards.reports_geojson", view_func=views.reports_geojson
    )
