from flask import Blueprint

bp = Blueprint("open311", __name__)
staff_bp = Blueprint("open311_staff", __name__)

from webapp.open311 import staff_views, views  # noqa: E402, F401
