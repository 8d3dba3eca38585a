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
from webapp.appointments.waitlist import (  # noqa: E402
    cli as waitlist_cli,
)
from webapp.appointments.waitlist import (  # noqa: E402
    offers as waitlist_offers,
)
from webapp.appointments.waitlist import (  # noqa: E402
    retention as waitlist_retention,
)
from webapp.appointments.waitlist import staff_views as _waitlist_staff  # noqa: E402, F401
from webapp.appointments.waitlist import views as _waitlist_views  # noqa: E402, F401
from webapp.features import register_feature  # noqa: E402


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(
        app,
        blueprints=[(bp, None), (staff_bp, "/staff/appointments")],
        inbox=inbox.SOURCE,
        commands=[waitlist_cli.waitlist_cli],
        anonymisers=[
            ("bookings", retention.anonymise_bookings),
            ("waiting lists", waitlist_retention.anonymise_waitlist),
        ],
        reminders=("appointments", notices.booking_reminders),
        live_figures=[services.bookings_figure],
        demo_loaders=[(40, "appointment sessions", demo.load_demo_sessions)],
        periodic=[("waitlist.expire_offers", waitlist_offers.expire_offers, 5)],
    )
