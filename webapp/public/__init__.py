"""The home page and /healthz."""

from flask import Blueprint, Flask

bp = Blueprint("public", __name__)

from webapp.public import views  # noqa: E402, F401


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp)
