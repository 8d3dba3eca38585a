"""The map's own files (Leaflet and its marker clusters, from their PyPI packages) and
the tile source every map page reads."""

from flask import Blueprint, Flask

bp = Blueprint("maps", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.maps import views  # noqa: E402, F401


def register(app: Flask) -> None:
    register_feature(app, blueprints=[(bp, "/map")])
