"""The public education site: campaigns, accident exposures, safety knowledge and notices."""

from flask import Blueprint, Flask

bp = Blueprint("education", __name__)

from webapp.education import feeds, views  # noqa: E402, F401
from webapp.education.services import load_content  # noqa: E402
from webapp.education.vocabulary import register_labels  # noqa: E402

bp.record_once(load_content)
bp.record_once(register_labels)


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp)
