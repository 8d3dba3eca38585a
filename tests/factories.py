"""Plain factory functions with defaults; each builds the parents it needs."""

import itertools
from datetime import datetime

from webapp.extensions import db
from webapp.notifications.services import queue_message
from webapp.staff.models import User
from webapp.staff.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def create_user(
    *, username=None, roles=(Role.HAZARD_OFFICER,), password=DEFAULT_PASSWORD, active=True, **fields
) -> User:
    user = User(username=username or f"officer{next(_numbers)}", active=active, **fields)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# --- Notifications ------------------------------------------------------------

BOOKING_CONTEXT = {
    "reference": "B20261201-0001",
    "service": "licence renewal",
    "when": datetime(2026, 12, 1, 1, 30),  # 09:30 in Beijing
}


def create_outbox_message(
    *,
    kind="booking_confirmed",
    channel="sms",
    recipient="13812345678",
    language="zh",
    subject_type="booking",
    subject_id=1,
    context=None,
    **fields,
):
    """Queue a message as a feature would, commit it, then set any other column given."""
    message = queue_message(
        kind=kind,
        channel=channel,
        recipient=recipient,
        language=language,
        subject_type=subject_type,
        subject_id=subject_id,
        context=context or BOOKING_CONTEXT,
    )
    for name, value in fields.items():
        setattr(message, name, value)
    db.session.commit()
    return message
