"""The public education site: campaigns, accident exposures, safety knowledge and notices."""

from flask import Blueprint

bp = Blueprint("education", __name__)

from webapp.education import feeds, views  # noqa: E402, F401
from webapp.education.services import load_content  # noqa: E402
from webapp.education.vocabulary import register_labels  # noqa: E402

bp.record_once(load_content)
bp.record_once(register_labels)
