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


# --- Appointments ------------------------------------------------------------

from datetime import date, time, timedelta  # noqa: E402

from webapp.appointments.models import AppointmentSession, Booking  # noqa: E402
from webapp.appointments.states import BookingState, SessionState  # noqa: E402
from webapp.common.clock import local_today  # noqa: E402
from webapp.common.identifiers import id_number_check_char, make_reference  # noqa: E402


def make_id_number(*, birth: date = date(1990, 5, 17), serial: int | None = None) -> str:
    """A valid 18-character resident ID number born on `birth`."""
    number = next(_numbers) if serial is None else serial
    first17 = f"140302{birth:%Y%m%d}{number % 1000:03d}"
    return first17 + id_number_check_char(first17)


def create_session(
    *,
    service="motorcycle_exam",
    day=None,
    starts_at=time(9, 0),
    ends_at=time(11, 0),
    place="摩托车考场",
    capacity=10,
    seats_taken=0,
    state=SessionState.OPEN,
) -> AppointmentSession:
    session = AppointmentSession(
        service=service,
        day=day or local_today() + timedelta(days=5),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        capacity=capacity,
        seats_taken=seats_taken,
        state=state,
    )
    db.session.add(session)
    db.session.commit()
    return session


def create_booking(
    *,
    session=None,
    full_name="张伟",
    id_number=None,
    phone="13800138000",
    subject=2,
    licence_class="E",
    licence_expiry=None,
    state=BookingState.ACTIVE,
    result=None,
    language="zh",
    checked_in_at=None,
    created_at=None,
    reference=None,
) -> Booking:
    """A booking that takes its seat, as the booking service would."""
    session = session or create_session()
    booking = Booking(
        reference=reference or make_reference("A", local_today()),
        service=session.service,
        session_id=session.id,
        full_name=full_name,
        id_number=id_number or make_id_number(),
        phone=phone,
        subject=subject if session.service == "motorcycle_exam" else None,
        licence_class=licence_class if session.service != "licence_renewal" else None,
        licence_expiry=licence_expiry,
        state=state,
        result=result,
        language=language,
        checked_in_at=checked_in_at,
    )
    if created_at is not None:
        booking.created_at = booking.state_changed_at = created_at
    if state == BookingState.ACTIVE:
        session.seats_taken += 1
    db.session.add(booking)
    db.session.commit()
    return booking


# --- Enterprise training requests ------------------------------------------------

_training_numbers = itertools.count(1)


def make_credit_code(first17: str = "91140300MA0K0000") -> str:
    """A valid unified social credit code: 17 characters (padded) and their check character."""
    from webapp.common.identifiers import credit_code_check_char

    body = (first17 + "0" * 17)[:17]
    return body + credit_code_check_char(body)


def create_training_request(*, state="submitted", session_starts_at=None, assignee=None, **fields):
    from datetime import timedelta

    from webapp.common.clock import local_today
    from webapp.training.models import TrainingRequest

    number = next(_training_numbers)
    values = {
        "reference": f"T20260101-{number:06d}",
        "company_name": "运城市烟草公司",
        "credit_code": make_credit_code(f"9114030011{number:07d}"),
        "industry": "tobacco_retail",
        "contact_name": "张安全",
        "contact_phone": "13800138000",
        "contact_email": "",
        "audience_size": 40,
        "venue": "on_site",
        "address": "迎泽大街1号三楼会议室",
        "notes": "",
    }
    values.update(fields)
    topics = values.pop("topics", ["drunk_driving", "fatigue_long_haul"])
    preferred = values.pop("preferred_dates", [local_today() + timedelta(days=10)])
    training = TrainingRequest(state=state, session_starts_at=session_starts_at, **values)
    training.topics = topics
    training.preferred_dates = preferred
    if session_starts_at is not None:
        training.session_venue = training.session_venue or training.venue
        training.session_address = training.session_address or training.address
    training.assignee_id = getattr(assignee, "id", None)
    db.session.add(training)
    db.session.commit()
    return training


# --- Hazard reports ------------------------------------------------------------

from webapp.common.clock import utcnow  # noqa: E402
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


# --- Open311 API keys ------------------------------------------------------------

from webapp.open311.models import ApiKey, hash_token  # noqa: E402


def create_api_key(*, name="城市数字化管理平台", token=None, revoked_at=None, **fields):
    """An API key and its token (the token is kept only by the caller, as a partner would)."""
    token = token or f"test-token-{next(_numbers)}-abcdefghijklmnop"
    key = ApiKey(name=name, key_hash=hash_token(token), revoked_at=revoked_at, **fields)
    db.session.add(key)
    db.session.commit()
    return key, token
