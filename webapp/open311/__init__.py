"""Open311 GeoReport v2: partners read and create hazard reports with an API key."""

from flask import Blueprint, Flask

bp = Blueprint("open311", __name__)
staff_bp = Blueprint("open311_staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.open311 import staff_views, views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(app, blueprints=[(bp, "/open311/v2"), (staff_bp, "/staff/open311")])
