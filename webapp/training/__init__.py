from flask import Blueprint

bp = Blueprint("training", __name__)
staff_bp = Blueprint("training_staff", __name__)

from webapp.training import staff_views, views  # noqa: E402, F401
