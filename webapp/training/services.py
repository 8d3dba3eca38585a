"""Training requests: submit, look up, withdraw, and the brigade's workflow steps.

Each public verb is one use case and one transaction (`@transactional`): it
writes the row, the workflow event and (for staff) the audit entry, all or nothing.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.common.audit import record_audit, record_state_change, target_of
from webapp.common.clock import local_to_utc, utcnow
from webapp.common.identifiers import (
    InvalidIdentifier,
    normalise_credit_code,
    normalise_reference,
)
from webapp.common.references import add_with_new_reference
from webapp.common.workflow import (
    TransitionNotAllowed,
    WorkflowEvent,
    WorkflowNote,
    add_note,
    assign,
    change_state,
    record_event,
)
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.services import queue_message
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.training.errors import (
    RequestNotFound,
    SessionAlreadyStarted,
    SessionInThePast,
    SessionNotYetHeld,
    StepNotAllowed,
)
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState
from webapp.training.vocabulary import ON_SITE, VENUES
from webapp.transactions import transactional

REFERENCE_PREFIX = "T"


# --- what the company is told (through the outbox, in the same transaction) -------


def _tell_company(training: TrainingRequest, kind: MessageKind, context: dict) -> None:
    """Queue a message to the contact's mobile, and to the e-mail address if one was given."""
    for channel, recipient in (("sms", training.contact_phone), ("email", training.contact_email)):
        queue_message(
            kind=kind,
            channel=channel,
            recipient=recipient,
            language=training.language,
            subject_type=training.SUBJECT_TYPE,
            subject_id=training.id,
            context={"reference": training.reference, **context},
        )


def tell_company_session_scheduled(training: TrainingRequest) -> None:
    """Tell the company the session's date, time and place."""
    place = training.session_address or VENUES[training.session_venue]
    _tell_company(
        training,
        MessageKind.TRAINING_SCHEDULED,
        {"when": training.session_starts_at, "place": place},
    )


def tell_company_request_declined(training: TrainingRequest) -> None:
    """Tell the company the request was declined, and why."""
    _tell_company(training, MessageKind.TRAINING_DECLINED, {"reason": training.decline_reason})


# --- the public side ------------------------------------------------------------


@dataclass(frozen=True)
class RequestDetails:
    company_name: str
    credit_code: str
    industry: str
    contact_name: str
    contact_phone: str
    contact_email: str
    audience_size: int
    topics: list[str]
    preferred_dates: list[date]
    venue: str
    address: str
    notes: str


@transactional
def submit_request(
    details: RequestDetails, *, language: str = "zh", today: date | None = None
) -> TrainingRequest:
    """Save a company's request in state `submitted` with a new unique reference.

    The confirmation page shows the reference; no message is sent (the outbox
    has no "training received" text).
    """

    def build(reference: str) -> TrainingRequest:
        training = _new_request(details, reference=reference)
        training.language = language
        db.session.flush()
        record_event(training, to_state=TrainingState.SUBMITTED)
        return training

    return add_with_new_reference(build, prefix=REFERENCE_PREFIX, model=TrainingRequest, day=today)


def _new_request(details: RequestDetails, *, reference: str) -> TrainingRequest:
    columns = asdict(details) | {
        "contact_email": details.contact_email or "",
        "address": details.address if details.venue == ON_SITE else "",
        "notes": details.notes or "",
    }
    training = TrainingRequest(reference=reference, state=TrainingState.SUBMITTED, **columns)
    db.session.add(training)
    return training


def find_request(reference: str, credit_code: str) -> TrainingRequest:
    """The request with this reference and credit code; RequestNotFound for any wrong pair."""
    try:
        code = normalise_credit_code(credit_code)
    except InvalidIdentifier:
        raise RequestNotFound() from None
    training = db.session.scalar(TrainingRequest.by_reference(normalise_reference(reference)))
    if training is None or training.credit_code != code:
        raise RequestNotFound()
    return training


def request_by_id(request_id: int) -> TrainingRequest | None:
    return db.session.get(TrainingRequest, request_id)


def public_messages(training: TrainingRequest) -> list:
    """The brigade's messages to the company, oldest first (events with a public message)."""
    return [event for event in history(training) if event.public_message]


def history(training: TrainingRequest) -> list:
    return list(db.session.scalars(WorkflowEvent.history_of(training.SUBJECT_TYPE, training.id)))


@transactional
def withdraw_request(training: TrainingRequest, *, now: datetime | None = None) -> None:
    """The company withdraws its request; refused once its session has begun."""
    _check_step(training, TrainingState.WITHDRAWN)
    if training.session_has_started(now or utcnow()):
        raise SessionAlreadyStarted()
    _move(training, TrainingState.WITHDRAWN)


def _check_step(training: TrainingRequest, to_state: TrainingState) -> None:
    if not training.can_move_to(to_state):
        raise StepNotAllowed()


def _move(training, to_state, *, actor=None, public_message: str = "", ip: str = "", audit=True):
    """The one place a training request changes state: the table decides, the event is kept.

    A staff member's step is written to the audit log here; `audit=False` when the caller
    writes the act's one entry itself (a bulk action writes one for each row it changes).
    """
    from_state = training.state
    try:
        change_state(training, to_state, actor=actor, public_message=public_message)
    except TransitionNotAllowed:
        raise StepNotAllowed() from None
    if actor is not None and audit:
        record_state_change("training.state", training, from_state=from_state, actor=actor, ip=ip)


# --- the home page's figures ----------------------------------------------------


def delivered_totals() -> tuple[int, int]:
    """(sessions delivered, people trained) for the home page."""
    count, people = db.session.execute(
        select(
            func.count(TrainingRequest.id), func.coalesce(func.sum(TrainingRequest.attendance), 0)
        ).where(TrainingRequest.state == TrainingState.DELIVERED)
    ).one()
    return int(count), int(people)


def trainings_delivered_figure() -> tuple:
    """The home page's live count of training sessions delivered."""
    return _l("enterprise trainings delivered"), delivered_totals()[0]


def people_trained_figure() -> tuple:
    """The home page's live count of people trained in enterprise sessions."""
    return _l("people trained in enterprise sessions"), delivered_totals()[1]


# --- the brigade's steps (staff) ------------------------------------------------


def education_officers() -> list:
    """Active staff accounts with the education role: who may give a training."""
    candidates = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.roles_text.contains(Role.EDUCATION_OFFICER.value))
        .order_by(User.display_name, User.username)
    )
    return [user for user in candidates if Role.EDUCATION_OFFICER in user.roles]


@transactional
def start_review(training: TrainingRequest, *, actor, ip: str = "", audit: bool = True) -> None:
    """An education officer takes the request up for review (alone, or a bulk action's row)."""
    _move(training, TrainingState.REVIEWING, actor=actor, ip=ip, audit=audit)


@dataclass(frozen=True)
class SessionPlan:
    starts_at_local: datetime
    venue: str
    address: str
    officer: object | None
    officer_name: str
    public_message: str


@transactional
def schedule_session(
    training: TrainingRequest, plan: SessionPlan, *, actor, ip: str = "", now=None
) -> None:
    """Fix (or move) the session: date and time, venue, officer; the company is told."""
    _check_step(training, TrainingState.SCHEDULED)
    starts_at = local_to_utc(plan.starts_at_local)
    if starts_at <= (now or utcnow()):
        raise SessionInThePast()
    training.session_starts_at = starts_at
    training.session_venue = plan.venue
    training.session_address = plan.address if plan.venue == ON_SITE else ""
    assign(training, plan.officer)
    training.officer_name = "" if plan.officer else plan.officer_name
    _move(training, TrainingState.SCHEDULED, actor=actor, ip=ip, public_message=plan.public_message)
    tell_company_session_scheduled(training)


@transactional
def record_delivery(
    training: TrainingRequest, *, attendance: int, notes: str, actor, ip: str = "", now=None
) -> None:
    """Record that the session took place: how many attended, and notes."""
    _check_step(training, TrainingState.DELIVERED)
    if not training.session_has_started(now or utcnow()):
        raise SessionNotYetHeld()
    training.attendance = attendance
    training.delivery_notes = notes
    _move(training, TrainingState.DELIVERED, actor=actor, ip=ip)


@transactional
def decline_request(
    training: TrainingRequest, *, reason: str, actor, ip: str = "", audit: bool = True
) -> None:
    """Decline with a reason, which the company is told and reads in its look-up."""
    _check_step(training, TrainingState.DECLINED)
    training.decline_reason = reason
    _move(training, TrainingState.DECLINED, actor=actor, ip=ip, public_message=reason, audit=audit)
    tell_company_request_declined(training)


@transactional
def add_internal_note(training: TrainingRequest, body: str, *, author) -> None:
    """Keep a staff note on the request; the company never sees it."""
    add_note(training, body, author=author)


def internal_notes(training: TrainingRequest) -> list:
    return list(db.session.scalars(WorkflowNote.notes_on(training.SUBJECT_TYPE, training.id)))


@transactional
def open_request_for_staff(request_id: int, *, actor, ip: str = "") -> TrainingRequest | None:
    """The request with its contact details in full; the view is written to the audit log."""
    training = db.session.get(TrainingRequest, request_id)
    if training is None:
        return None
    record_audit(
        "training.view_personal_data",
        actor=actor,
        target=target_of(training),
        ip=ip,
    )
    return training
