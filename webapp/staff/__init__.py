from flask import Blueprint

bp = Blueprint("staff", __name__)

from webapp.staff import views  # noqa: E402, F401
from webapp.staff.navigation import staff_nav_items  # noqa: E402

bp.add_app_template_global(staff_nav_items)
