"""Open311 GeoReport v2: partners read and create hazard reports with an API key."""

from flask import Blueprint, Flask

bp = Blueprint("open311", __name__)
staff_bp = Blueprint("open311_staff", __name__)

from webapp.open311 import staff_views, views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp, url_prefix="/open311/v2")
    app.register_blueprint(staff_bp, url_prefix="/staff/open311")
