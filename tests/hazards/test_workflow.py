"""The life cycle: only the graph's moves, reasons where required, reopening by the reporter."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.common.workflow import TransitionNotAllowed, WorkflowEvent, change_state
from webapp.extensions import db
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.staff_services import StateChange, change_report_state
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (HazardState.SUBMITTED, HazardState.CLOSED),
        (HazardState.SUBMITTED, HazardState.RECTIFYING),
        (HazardState.REJECTED, HazardState.INVESTIGATING),
        (HazardState.DUPLICATE, HazardState.SUBMITTED),
        (HazardState.RECTIFYING, HazardState.SUBMITTED),
    ],
)
def test_illegal_transitions_are_refused(app_context, start, target):
    officer = create_user()
    report = create_hazard_report(state=start)
    with pytest.raises(StateChangeRefused):
        change_report_state(report, StateChange(to_state=target, public_message="x"), actor=officer)
    with pytest.raises(TransitionNotAllowed):
        change_state(report, target)
    db.session.rollback()
    assert db.session.get(type(report), report.id).state == start


def test_the_officer_sees_the_refusal_of_an_illegal_transition_on_the_page(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    response = client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {"to_state": "closed", "public_message": "done"},
        follow_redirects=True,
    )
    assert "不能" in text_of(response) or "cannot" in text_of(response)
    db.session.rollback()  # a fresh snapshot
    assert report.state == HazardState.SUBMITTED


def test_rejection_without_a_reason_is_refused(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    page = client_request.post(
        f"/staff/hazards/{report.reference}/state?lang=en",
        {"to_state": "rejected", "public_message": "  "},
    )
    assert "reason" in text_of(page.find(class_="error-summary"))
    db.session.rollback()  # a fresh snapshot
    assert report.state == HazardState.SUBMITTED


def test_rectifying_needs_the_responsible_party(app_context):
    officer = create_user()
    report = create_hazard_report(state=HazardState.INVESTIGATING)
    with pytest.raises(StateChangeRefused) as refused:
        change_report_state(report, StateChange(to_state="rectifying"), actor=officer)
    assert refused.value.field == "responsible_party"


def test_a_duplicate_is_linked_to_the_original(client_request, app_context):
    officer = create_user()
    original = create_hazard_report()
    copy = create_hazard_report()
    change_report_state(
        copy,
        StateChange(to_state="duplicate", duplicate_of=original.reference, public_message="重复"),
        actor=officer,
    )
    assert copy.duplicate_of_id == original.id
    page = client_request.get(f"/hazards/{copy.reference}")
    assert page.find("a", href=f"/hazards/{original.reference}")


def test_every_change_is_an_event_and_an_audit_entry(app_context):
    officer = create_user()
    report = create_hazard_report()
    change_report_state(
        report, StateChange(to_state="investigating", public_message="已受理"), actor=officer
    )
    event = db.session.scalars(select(WorkflowEvent).order_by(WorkflowEvent.id.desc())).first()
    assert (event.from_state, event.to_state, event.actor_id) == (
        "submitted",
        "investigating",
        officer.id,
    )
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.state_change"))
    assert audit.target == f"hazard:{report.reference}" and audit.actor_id == officer.id


def _closed_report(days_ago: int):
    return create_hazard_report(
        state=HazardState.CLOSED,
        reporter_phone="13800138000",
        closed_at=utcnow() - timedelta(days=days_ago),
        responsible_party="市园林绿化中心",
    )


def _reopen(client_request, reference, phone="138 0013 8000"):
    return client_request.post(
        "/hazards/reopen?lang=en",
        {"reference": reference, "reporter_phone": phone, "message": "护栏还是坏的，没人修。"},
        follow_redirects=True,
    )


def test_the_reporter_can_reopen_within_30_days(client_request, app_context):
    report = _closed_report(days_ago=29)
    page = _reopen(client_request, report.reference.lower())
    db.session.rollback()  # a fresh snapshot
    assert report.state == HazardState.INVESTIGATING
    assert "护栏还是坏的" in text_of(page)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.reopen"))
    assert entry.target == f"hazard:{report.reference}"


def test_the_reporter_cannot_reopen_after_30_days(client_request, app_context):
    report = _closed_report(days_ago=31)
    page = _reopen(client_request, report.reference)
    assert "more than 30 days" in text_of(page)
    db.session.rollback()  # a fresh snapshot
    assert report.state == HazardState.CLOSED


def test_a_wrong_phone_gets_the_same_answer_as_an_unknown_reference(client_request, app_context):
    report = _closed_report(days_ago=1)
    wrong_phone = text_of(_reopen(client_request, report.reference, phone="13900000000"))
    unknown = text_of(_reopen(client_request, "H20250101-ABCDEF"))
    message = "We found no closed report with this reference and phone number."
    assert message in wrong_phone and message in unknown
    db.session.rollback()  # a fresh snapshot
    assert report.state == HazardState.CLOSED


def test_reopening_is_rate_limited(client_request, app_context):
    statuses = [
        client_request.client.post(
            "/hazards/reopen",
            data={
                "reference": "H20250101-ABCDEF",
                "reporter_phone": "13800138000",
                "message": "still broken",
                "csrf_token": client_request.csrf_token(),
            },
        ).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429


def test_staff_cannot_reopen_a_closed_report_only_its_reporter_can(app_context):
    officer = create_user()
    report = _closed_report(days_ago=1)
    assert HazardState.INVESTIGATING not in report.next_states()
    with pytest.raises(StateChangeRefused):
        change_report_state(report, StateChange(to_state="investigating"), actor=officer)
