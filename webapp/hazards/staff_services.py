"""What hazard officers do with reports: triage, change state, note, assign, print."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.common.audit import record_audit, record_state_change, target_of
from webapp.common.clock import utcnow
from webapp.common.identifiers import normalise_reference
from webapp.common.workdays import deadline_is_estimated, is_overdue
from webapp.common.workflow import WorkflowEvent, WorkflowNote, add_note, assign, change_state
from webapp.extensions import db
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.transactions import transaction, transactional


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
        record_audit("personal_data.view", actor=actor, target=target_of(report), ip=ip)


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
    record_state_change(
        "hazard.state_change", report, from_state=event.from_state, actor=actor, ip=ip
    )
    return event


def move_report(report: HazardReport, change: StateChange, *, actor) -> WorkflowEvent:
    """The move itself and its event (whose listener texts the reporter and the
    followers, `following.tell_about_state_change`): no audit entry, no commit.

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
        target=target_of(report),
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
        target=target_of(report),
        ip=ip,
    )


def report_age_days(report: HazardReport) -> int:
    return (utcnow() - report.created_at).days


def is_report_overdue(report: HazardReport) -> bool:
    """Open longer in its state than the target in working days (content/data/state-targets.yaml)."""
    return report.is_open and is_overdue(report.SUBJECT_TYPE, report.state, report.state_changed_at)


def is_target_estimated(report: HazardReport) -> bool:
    """The report's target counts days of a year with no holiday calendar."""
    return deadline_is_estimated(report.SUBJECT_TYPE, report.state, report.state_changed_at)
