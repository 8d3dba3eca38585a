"""What hazard officers do with reports: triage, change state, note, assign, print."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from webapp.common.audit import record_audit
from webapp.common.clock import local_to_utc, utcnow
from webapp.common.identifiers import normalise_reference
from webapp.common.pagination import Page
from webapp.common.workdays import is_overdue
from webapp.common.workflow import WorkflowEvent, WorkflowNote, add_note, assign, change_state
from webapp.extensions import db
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.models import HazardReport
from webapp.hazards.services import tell_reporter
from webapp.hazards.states import STATE_LABELS, HazardState
from webapp.notifications.messages import MessageKind
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.transactions import transaction, transactional

QUEUE_PER_PAGE = 25


@dataclass
class QueueFilters:
    state: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False
    search: str = ""


def queue(filters: QueueFilters, *, user, number: int = 1) -> Page:
    """One page of the staff queue, oldest-waiting open reports first within the filters."""
    query = _filtered(select(HazardReport), filters, user=user)
    total = db.session.scalar(_filtered(select(func.count(HazardReport.id)), filters, user=user))
    rows = db.session.scalars(
        query.order_by(HazardReport.created_at.desc(), HazardReport.id.desc())
        .offset((number - 1) * QUEUE_PER_PAGE)
        .limit(QUEUE_PER_PAGE)
    )
    return Page(items=list(rows), number=number, per_page=QUEUE_PER_PAGE, total=total or 0)


def _filtered(query, filters: QueueFilters, *, user):
    conditions = []
    if filters.state:
        conditions.append(HazardReport.state == filters.state)
    if filters.category:
        conditions.append(HazardReport.category == filters.category)
    if filters.date_from:
        conditions.append(HazardReport.created_at >= _local_midnight(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        conditions.append(HazardReport.created_at < _local_midnight(next_day))
    if filters.mine:
        conditions.append(HazardReport.assignee_id == user.id)
    search = filters.search.strip()
    if search:
        digits = "".join(char for char in search if char.isdigit())
        matches = [HazardReport.reference == normalise_reference(search)]
        if len(digits) >= 4:
            matches.append(HazardReport.reporter_phone.contains(digits[-11:]))
        conditions.append(or_(*matches))
    return query.where(*conditions)


def _local_midnight(day: date) -> datetime:
    return local_to_utc(datetime(day.year, day.month, day.day))


def report_for_staff(reference: str) -> HazardReport | None:
    return db.session.scalar(HazardReport.by_reference(normalise_reference(reference)))


def history(report: HazardReport) -> list[WorkflowEvent]:
    return list(db.session.scalars(WorkflowEvent.history_of(report.SUBJECT_TYPE, report.id)))


def notes(report: HazardReport) -> list[WorkflowNote]:
    return list(db.session.scalars(WorkflowNote.notes_on(report.SUBJECT_TYPE, report.id)))


def hazard_officers() -> list[User]:
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [user for user in users if user.has_any_role({Role.HAZARD_OFFICER})]


def record_contact_view(report: HazardReport, *, actor, ip: str = "") -> None:
    """Write that this officer saw the reporter's contact details (PIPL), in a
    unit of work of its own (the page's read before it is ended first)."""
    if not (report.reporter_name or report.reporter_phone):
        return
    with transaction():
        record_audit("personal_data.view", actor=actor, target=report.reference, ip=ip)


@dataclass
class StateChange:
    to_state: str
    public_message: str = ""
    responsible_party: str = ""
    duplicate_of: str = ""
    finding: str = ""
    rectification_request: str = ""


@transactional
def change_report_state(report: HazardReport, change: StateChange, *, actor, ip: str = ""):
    """Move a report along its graph with the event and the audit entry, in one transaction.

    Rectifying names the responsible party; rejecting needs a reason; a
    duplicate names its original. Raises StateChangeRefused or TransitionNotAllowed.
    """
    event = move_report(report, change, actor=actor)
    record_audit(
        "hazard.state_change",
        actor=actor,
        target=report.reference,
        ip=ip,
        detail=f"{event.from_state} -> {event.to_state}",
    )
    return event


def move_report(report: HazardReport, change: StateChange, *, actor) -> WorkflowEvent:
    """The move itself, its event and the reporter's message: no audit entry, no commit.

    Shared by `change_report_state` and the inbox's bulk action, which each
    write the act's one audit entry in their own transaction.
    """
    if not report.staff_can_move_to(change.to_state):
        raise StateChangeRefused(
            _l("A report cannot move from this state to that one."), field="to_state"
        )
    _apply_details(report, change)
    event = change_state(
        report, change.to_state, actor=actor, public_message=change.public_message.strip()
    )
    if change.to_state == HazardState.CLOSED:
        report.closed_at = utcnow()
    tell_reporter(
        report,
        MessageKind.STATE_CHANGED,
        state=STATE_LABELS[HazardState(change.to_state)],
        message=event.public_message,
    )
    return event


def _apply_details(report: HazardReport, change: StateChange) -> None:
    target = change.to_state
    if target == HazardState.RECTIFYING:
        if not change.responsible_party.strip():
            raise StateChangeRefused(
                _l("Name the agency or company responsible for the rectification."),
                field="responsible_party",
            )
        report.responsible_party = change.responsible_party.strip()
        report.finding = change.finding.strip() or report.finding
        report.rectification_request = (
            change.rectification_request.strip() or report.rectification_request
        )
    elif target == HazardState.REJECTED and not change.public_message.strip():
        raise StateChangeRefused(_l("Give the reason for the rejection; the public sees it."))
    elif target == HazardState.DUPLICATE:
        report.duplicate_of_id = _original_of(report, change.duplicate_of).id


def _original_of(report: HazardReport, reference: str) -> HazardReport:
    original = db.session.scalar(HazardReport.by_reference(normalise_reference(reference)))
    if original is None or original.id == report.id:
        raise StateChangeRefused(
            _l("Enter the reference of the original report."), field="duplicate_of"
        )
    # Link to the first report of a chain, never to another duplicate.
    while original.duplicate_of is not None and original.duplicate_of.id != report.id:
        original = original.duplicate_of
    return original


@transactional
def add_report_note(report: HazardReport, body: str, *, actor) -> None:
    add_note(report, body, author=actor)


@transactional
def assign_report(report: HazardReport, assignee: User | None, *, actor, ip: str = "") -> None:
    assign(report, assignee)
    record_audit(
        "hazard.assign",
        actor=actor,
        target=report.reference,
        ip=ip,
        detail=getattr(assignee, "username", "nobody"),
    )


@transactional
def set_privacy(report: HazardReport, private: bool, *, actor, ip: str = "") -> None:
    """Keep a report off every public page (and its photos), or show it again."""
    report.is_private = private
    record_audit(
        "hazard.private" if private else "hazard.public",
        actor=actor,
        target=report.reference,
        ip=ip,
    )


def report_age_days(report: HazardReport) -> int:
    return (utcnow() - report.created_at).days


def is_report_overdue(report: HazardReport) -> bool:
    """Open longer in its state than the target in working days (content/data/state-targets.yaml)."""
    return report.is_open and is_overdue(report.SUBJECT_TYPE, report.state, report.state_changed_at)
