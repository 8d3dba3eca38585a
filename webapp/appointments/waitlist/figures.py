"""Figures of the waiting lists for the dashboard and the annual report."""

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.appointments.rules import SERVICES
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.states import EntryState
from webapp.common.stats import median
from webapp.extensions import db
from webapp.staff.inbox import FigureTable, Period


def waitlist_tables(period: Period) -> list[FigureTable]:
    """Seats filled from the list in the period, and the median wait (join to booking), by service."""
    rows = db.session.execute(
        select(
            WaitlistEntry.service, WaitlistEntry.created_at, WaitlistEntry.state_changed_at
        ).where(
            WaitlistEntry.state == EntryState.BOOKED,
            WaitlistEntry.state_changed_at >= period.start,
            WaitlistEntry.state_changed_at < period.end,
        )
    ).all()
    waits = defaultdict(list)
    for service, joined, booked in rows:
        waits[service].append((booked - joined).total_seconds() / 3600)
    return [
        FigureTable(
            title=_l("Seats filled from the waiting list, by service"),
            rows=[(str(rule.label), len(waits[code])) for code, rule in SERVICES.items()],
        ),
        FigureTable(
            title=_l("Median wait on the waiting list before a booking (hours), by service"),
            rows=[
                (str(rule.label), round(median(waits[code]), 1) if waits[code] else 0)
                for code, rule in SERVICES.items()
            ],
        ),
    ]
