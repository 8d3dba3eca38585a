from flask import Blueprint

staff_bp = Blueprint("notifications_staff", __name__)

from webapp.notifications import staff_views  # noqa: E402, F401
