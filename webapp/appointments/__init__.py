"""Appointments at the service hall: exam and renewal sessions, bookings, the roster."""

from flask import Blueprint, Flask

# `flask sessions create ...` lives on this blueprint's command group.
bp = Blueprint("appointments", __name__, cli_group="sessions")
staff_bp = Blueprint("appointments_staff", __name__)

from webapp.appointments import (  # noqa: E402, F401
    cli,
    demo,
    inbox,
    notices,
    retention,
    services,
    staff_views,
    views,
)
from webapp.demo import register_demo_loader  # noqa: E402
from webapp.education.figures import register_live_figure  # noqa: E402
from webapp.notifications.reminders import register_reminder_provider  # noqa: E402
from webapp.notifications.retention import register_anonymiser  # noqa: E402
from webapp.staff.inbox import register_source  # noqa: E402


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp, url_prefix="/staff/appointments")
    register_source(inbox.SOURCE)
    register_anonymiser("bookings", retention.anonymise_bookings)
    register_reminder_provider("appointments", notices.booking_reminders)
    register_live_figure(app, services.bookings_figure)
    register_demo_loader(40, "appointment sessions", demo.load_demo_sessions)
