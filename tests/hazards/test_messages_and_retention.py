"""Messages to the reporter go through the outbox; old personal data is anonymised."""

from datetime import timedelta

from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.hazards.conftest import valid_report_data
from webapp.common.clock import utcnow
from webapp.common.workflow import NOTE_REMOVED, WorkflowNote, add_note
from webapp.extensions import db
from webapp.hazards.retention import anonymise_reports
from webapp.hazards.staff_services import StateChange, change_report_state
from webapp.hazards.states import HazardState
from webapp.notifications.models import OutboxMessage


def _messages():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_report_with_a_phone_queues_a_received_message_in_the_reporters_language(
    client_request, app_context
):
    client_request.post("/hazards/new?lang=en", valid_report_data(), expected_status=302)
    [message] = _messages()
    assert message.kind == "received" and message.recipient == "13800138000"
    assert message.language == "en" and "received your report" in message.body


def test_a_report_without_a_phone_queues_nothing(client_request, app_context):
    client_request.post("/hazards/new", valid_report_data(reporter_phone=""), expected_status=302)
    assert _messages() == []


def test_a_state_change_tells_the_reporter_with_the_public_message(app_context):
    report = create_hazard_report(reporter_phone="13912345678", language="zh")
    change_report_state(
        report,
        StateChange(to_state="investigating", public_message="民警已到现场核查。"),
        actor=create_user(),
    )
    [message] = _messages()
    assert message.kind == "state_changed" and message.subject_id == report.id
    assert "排查中" in message.body and "民警已到现场核查。" in message.body


def test_a_refused_state_change_queues_nothing(app_context):
    report = create_hazard_report(reporter_phone="13912345678")
    try:
        change_report_state(report, StateChange(to_state="rejected"), actor=create_user())
    except Exception:  # noqa: S110  (the refusal itself is tested elsewhere)
        db.session.rollback()
    assert _messages() == []


def test_old_finished_reports_lose_their_personal_data_once(app_context):
    old = utcnow() - timedelta(days=400)
    finished = create_hazard_report(
        state=HazardState.CLOSED,
        reporter_name="张三",
        reporter_phone="13912345678",
        description="晋C·12345 长期占道，车主电话 13800138000。",
        created_at=old,
    )
    add_note(finished, "已电话联系 13912345678", author=None)
    still_open = create_hazard_report(
        reporter_name="李四", reporter_phone="13700000000", created_at=old
    )
    db.session.commit()
    assert anonymise_reports(utcnow() - timedelta(days=365)) == 2  # the report and its note
    db.session.commit()
    assert (finished.reporter_name, finished.reporter_phone) == ("", "")
    assert "12345" not in finished.description and "13800138000" not in finished.description
    note = db.session.scalar(select(WorkflowNote))
    assert note.body == NOTE_REMOVED
    assert still_open.reporter_phone == "13700000000"
    assert finished.category == "guardrail" and finished.state == HazardState.CLOSED
    assert anonymise_reports(utcnow() - timedelta(days=365)) == 0
