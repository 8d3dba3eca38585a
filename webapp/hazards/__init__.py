from flask import Blueprint

bp = Blueprint("hazards", __name__)
staff_bp = Blueprint("staff_hazards", __name__)

from webapp.hazards import staff_views, views  # noqa: E402, F401
