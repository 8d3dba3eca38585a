"""Plain factory functions with defaults; each builds the parents it needs."""

import itertools
from datetime import datetime

import pyotp

from webapp.extensions import db
from webapp.notifications.services import queue_message
from webapp.staff.models import ResponseTemplate, User
from webapp.staff.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def create_user(
    *, username=None, roles=(Role.HAZARD_OFFICER,), password=DEFAULT_PASSWORD, active=True, **fields
) -> User:
    if Role.ADMIN in roles:
        # Admins must use two-factor login; without a secret every page sends them to enrol.
        fields.setdefault("totp_secret", pyotp.random_base32())
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


# --- Back office -------------------------------------------------------------------


def create_response_template(
    *, subject_type="hazard", state="investigating", title="已受理", **fields
) -> ResponseTemplate:
    template = ResponseTemplate(
        subject_type=subject_type,
        state=state,
        title=title,
        body_zh=fields.pop("body_zh", "您反映的隐患已受理，正在排查。"),
        body_en=fields.pop("body_en", "Your report has been accepted and is being investigated."),
        **fields,
    )
    db.session.add(template)
    db.session.commit()
    return template


# --- Hazard reports ------------------------------------------------------------

from webapp.common.clock import utcnow  # noqa: E402
from webapp.common.identifiers import make_reference  # noqa: E402
from webapp.common.workflow import record_event  # noqa: E402
from webapp.hazards.models import HazardReport  # noqa: E402
from webapp.hazards.states import HazardState  # noqa: E402


def create_hazard_report(
    *,
    state=HazardState.SUBMITTED,
    category="guardrail",
    location="北大街与桃北西街交叉口",
    description="护栏被撞坏，断口朝向人行道，行人经过有危险。",
    created_at=None,
    **fields,
) -> HazardReport:
    created_at = created_at or utcnow()
    report = HazardReport(
        reference=fields.pop("reference", None) or make_reference("H", created_at.date()),
        category=category,
        location=location,
        description=description,
        state=state,
        created_at=created_at,
        state_changed_at=created_at,
        **fields,
    )
    db.session.add(report)
    db.session.flush()
    record_event(report, to_state=HazardState.SUBMITTED)
    db.session.commit()
    return report
