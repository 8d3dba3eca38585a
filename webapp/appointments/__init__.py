from flask import Blueprint

# `flask sessions create ...` lives on this blueprint's command group.
bp = Blueprint("appointments", __name__, cli_group="sessions")
staff_bp = Blueprint("appointments_staff", __name__)

from webapp.appointments import cli, staff_views, views  # noqa: E402, F401
