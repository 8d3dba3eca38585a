"""A bulk action is one transaction: each row is saved whole or not at all, and
each act leaves exactly one audit entry (issue "One unit of work")."""

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tests.factories import create_hazard_report, create_training_request
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.notifications.models import OutboxMessage
from webapp.staff.roles import Role
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState

EN = {"Accept-Language": "en"}


def _bulk(client_request, keys, **fields):
    return client_request.post(
        "/staff/inbox/bulk", {"row": keys, "confirmed": "1", **fields}, headers=EN
    )


def _results(page) -> list[str]:
    return [tr.get_text(" ", strip=True) for tr in page.select("tbody tr")]


def _states_in_history(subject_type: str, subject_id: int) -> list[str]:
    events = db.session.scalars(WorkflowEvent.history_of(subject_type, subject_id))
    return [event.to_state for event in events]


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _messages_to(report) -> int:
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.subject_type == "hazard", OutboxMessage.subject_id == report.id
        )
    )


def test_a_bulk_move_of_n_hazard_reports_writes_n_events_n_audit_entries_and_n_messages(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    reports = [create_hazard_report(reporter_phone=f"1391234567{n}") for n in range(3)]
    page = _bulk(
        client_request,
        [f"hazard:{report.id}" for report in reports],
        action="state",
        target_state="investigating",
        message="民警已到现场核查。",
    )
    db.session.rollback()  # read what the request committed
    assert "3 done, 0 refused." in text_of(page)
    for report in reports:
        assert report.state == HazardState.INVESTIGATING
        assert _states_in_history("hazard", report.id) == ["submitted", "investigating"]
        assert _messages_to(report) == 1
    # One act, one entry: the bulk action's, naming the report by kind and reference.
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 3
    assert _audit("hazard.state_change") == []
    assert sorted(entry.target for entry in _audit("state.change")) == sorted(
        f"hazard:{report.reference}" for report in reports
    )
    assert _results(page) == [f"{report.reference} Done" for report in reports]


def test_a_bulk_review_start_of_n_training_requests_writes_n_audit_entries(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    requests = [create_training_request() for _ in range(2)]
    page = _bulk(
        client_request,
        [f"training:{training.id}" for training in requests],
        action="state",
        target_state="reviewing",
    )
    db.session.rollback()
    assert "2 done, 0 refused." in text_of(page)
    for training in requests:
        assert db.session.get(TrainingRequest, training.id).state == TrainingState.REVIEWING
        assert _states_in_history("training", training.id) == ["reviewing"]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 2
    assert _audit("training.state") == []
    assert sorted(entry.target for entry in _audit("state.change")) == sorted(
        f"training:{training.reference}" for training in requests
    )


def test_a_training_request_that_cannot_take_the_step_is_refused_alone(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    fresh = create_training_request()
    declined = create_training_request(state=TrainingState.DECLINED)
    page = _bulk(
        client_request,
        [f"training:{fresh.id}", f"training:{declined.id}"],
        action="state",
        target_state="reviewing",
    )
    db.session.rollback()
    assert "1 done, 1 refused." in text_of(page)
    assert "Refused: It cannot move" in _results(page)[1]
    assert db.session.get(TrainingRequest, fresh.id).state == TrainingState.REVIEWING
    assert db.session.get(TrainingRequest, declined.id).state == TrainingState.DECLINED
    assert [entry.target for entry in _audit("state.change")] == [f"training:{fresh.reference}"]


@pytest.fixture
def database_fails_for():
    """Make the database refuse the flush that saves one hazard report's change."""
    failing = {}

    def refuse(session, _flush_context):
        for row in session.dirty:
            if isinstance(row, HazardReport) and row.id == failing.get("id"):
                error = failing["error"]
                raise error("UPDATE hazard_reports", {}, Exception("the database refused"))

    event.listen(Session, "after_flush", refuse)
    yield lambda report, error: failing.update(id=report.id, error=error)
    event.remove(Session, "after_flush", refuse)


@pytest.mark.parametrize("error", [OperationalError, IntegrityError])
def test_a_database_failure_in_the_middle_of_a_batch_undoes_that_row_alone(
    client_request, login_as, app_context, database_fails_for, error
):
    login_as(Role.HAZARD_OFFICER)
    first, failing, last = (create_hazard_report(reporter_phone=f"1381234567{n}") for n in range(3))
    database_fails_for(failing, error)
    page = _bulk(
        client_request,
        [f"hazard:{report.id}" for report in (first, failing, last)],
        action="state",
        target_state="investigating",
        message="民警已到现场核查。",
    )
    db.session.rollback()
    text = text_of(page)
    assert "2 done, 0 refused." in text
    assert "1 not saved, so nothing was changed in them: try them again." in text
    results = _results(page)
    assert results[0] == f"{first.reference} Done"
    assert results[1].startswith(f"hazard:{failing.id} Not done:")
    assert "nothing was changed" in results[1]
    assert results[2] == f"{last.reference} Done"
    # The failed row: no state change, no event, no audit entry, no message.
    assert failing.state == HazardState.SUBMITTED
    assert _states_in_history("hazard", failing.id) == ["submitted"]
    assert _messages_to(failing) == 0
    # The rows before and after it are done, each with its event, entry and message.
    for report in (first, last):
        assert report.state == HazardState.INVESTIGATING
        assert _states_in_history("hazard", report.id) == ["submitted", "investigating"]
        assert _messages_to(report) == 1
    assert sorted(entry.target for entry in _audit("state.change")) == sorted(
        [f"hazard:{first.reference}", f"hazard:{last.reference}"]
    )


def test_one_report_moved_on_its_own_page_has_one_audit_entry(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {"to_state": "investigating", "public_message": "已受理。"},
        expected_status=302,
    )
    db.session.rollback()
    assert report.state == HazardState.INVESTIGATING
    assert [(e.action, e.target) for e in db.session.scalars(select(AuditEntry))] == [
        ("hazard.state_change", f"hazard:{report.reference}")
    ]
