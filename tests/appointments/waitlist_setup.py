"""Waiting-list set-ups shared by its tests: applicants, full sessions, places in line."""

from datetime import date

from sqlalchemy import select

from tests.factories import create_booking, create_session, make_id_number
from webapp.appointments.eligibility import Applicant
from webapp.appointments.waitlist import services as waitlist
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage


def applicant(*, id_number=None, language="zh", birth=date(1990, 5, 17), **fields) -> Applicant:
    return Applicant(
        full_name=fields.pop("full_name", "李娜"),
        id_number=id_number or make_id_number(birth=birth),
        phone=fields.pop("phone", "13900139000"),
        subject=fields.pop("subject", 2),
        licence_class=fields.pop("licence_class", "E"),
        language=language,
        **fields,
    )


def full_session(*, capacity=1, **fields):
    """A session whose every seat is booked; returns (session, its bookings)."""
    session = create_session(capacity=capacity, **fields)
    bookings = [create_booking(session=session) for _ in range(capacity)]
    return session, bookings


def join(session, person=None, **fields) -> WaitlistEntry:
    return waitlist.join_waitlist(
        session.service, person or applicant(), session_id=session.id, **fields
    )


def entry(entry_id: int) -> WaitlistEntry:
    db.session.rollback()
    return db.session.get(WaitlistEntry, entry_id)


def messages(kind: str, *, to=None) -> list[OutboxMessage]:
    db.session.rollback()
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.recipient == to)
    return list(db.session.scalars(query))
