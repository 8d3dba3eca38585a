"""The life cycle: every allowed move works, every other is refused, and each is recorded."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import create_training_request, create_user
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_now, utcnow
from webapp.common.workflow import NOTE_REMOVED, WorkflowEvent, WorkflowNote, add_note
from webapp.extensions import db
from webapp.staff.roles import Role
from webapp.training import errors, retention, services
from webapp.training.services import SessionPlan
from webapp.training.states import TRAINING_TRANSITIONS, TrainingState

S = TrainingState
ALL_MOVES = [(a, b) for a in S for b in S]
ALLOWED = {
    (S.SUBMITTED, S.REVIEWING),
    (S.SUBMITTED, S.DECLINED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.REVIEWING, S.SCHEDULED),
    (S.REVIEWING, S.DECLINED),
    (S.REVIEWING, S.WITHDRAWN),
    (S.SCHEDULED, S.SCHEDULED),
    (S.SCHEDULED, S.DELIVERED),
    (S.SCHEDULED, S.DECLINED),
    (S.SCHEDULED, S.WITHDRAWN),
}


@pytest.mark.parametrize(("from_state", "to_state"), ALL_MOVES)
def test_the_transition_table_allows_exactly_the_intended_moves(from_state, to_state):
    assert TRAINING_TRANSITIONS.allows(from_state, to_state) == ((from_state, to_state) in ALLOWED)


def _officer():
    return create_user(roles=[Role.EDUCATION_OFFICER], display_name="赵警官")


def _plan(officer, *, days=10, message="请提前到场"):
    start = (local_now() + timedelta(days=days)).replace(
        hour=14, minute=30, second=0, microsecond=0, tzinfo=None
    )
    return SessionPlan(
        starts_at_local=start,
        venue="brigade",
        address="",
        officer=officer,
        officer_name="",
        public_message=message,
    )


def _past_session():
    return utcnow() - timedelta(hours=2)


def _future_session():
    return utcnow() + timedelta(days=3)


def _do(step, training, officer):
    """Perform one workflow step through its service."""
    if step == S.REVIEWING:
        services.start_review(training, actor=officer)
    elif step == S.SCHEDULED:
        services.schedule_session(training, _plan(officer), actor=officer)
    elif step == S.DELIVERED:
        services.record_delivery(training, attendance=30, notes="", actor=officer)
    elif step == S.DECLINED:
        services.decline_request(training, reason="人手不足", actor=officer)
    elif step == S.WITHDRAWN:
        services.withdraw_request(training)


def _events(training):
    return db.session.scalars(WorkflowEvent.history_of("training", training.id)).all()


@pytest.mark.parametrize(("from_state", "to_state"), sorted(ALLOWED))
def test_each_allowed_step_moves_the_request_and_records_an_event(
    app_context, from_state, to_state
):
    officer = _officer()
    session_start = _past_session() if to_state == S.DELIVERED else None
    if from_state == S.SCHEDULED and to_state != S.DELIVERED:
        session_start = _future_session()
    training = create_training_request(state=from_state, session_starts_at=session_start)
    _do(to_state, training, officer)
    db.session.expire_all()
    assert training.state == to_state
    [event] = _events(training)
    assert (event.from_state, event.to_state) == (from_state, to_state)
    if to_state != S.WITHDRAWN:
        assert event.actor_id == officer.id
        audit = db.session.scalars(select(AuditEntry)).all()
        assert [(a.action, a.target, a.detail) for a in audit] == [
            ("training.state", f"training:{training.reference}", f"{from_state} -> {to_state}")
        ]


REFUSED = sorted(
    (a, b)
    for a in S
    for b in (S.REVIEWING, S.SCHEDULED, S.DELIVERED, S.DECLINED, S.WITHDRAWN)
    if (a, b) not in ALLOWED
)


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_each_other_step_is_refused_and_changes_nothing(app_context, from_state, to_state):
    officer = _officer()
    training = create_training_request(state=from_state, session_starts_at=_past_session())
    with pytest.raises(errors.StepNotAllowed):
        _do(to_state, training, officer)
    db.session.rollback()
    db.session.expire_all()
    assert training.state == from_state
    assert _events(training) == []


def test_scheduling_keeps_the_date_officer_venue_and_public_message(app_context):
    officer = _officer()
    training = create_training_request(state=S.REVIEWING)
    plan = _plan(officer, days=12)
    services.schedule_session(training, plan, actor=officer)
    db.session.expire_all()
    assert training.local_session_start.replace(tzinfo=None) == plan.starts_at_local
    assert training.assignee_id == officer.id
    assert training.officer_display_name == "赵警官"
    assert training.session_venue == "brigade"
    assert [e.public_message for e in services.public_messages(training)] == ["请提前到场"]


def test_a_session_can_be_given_by_a_named_speaker_without_an_account(app_context):
    officer = _officer()
    training = create_training_request(state=S.REVIEWING)
    plan = _plan(None)
    plan = SessionPlan(**{**plan.__dict__, "officer_name": "市急救中心 李医生"})
    services.schedule_session(training, plan, actor=officer)
    assert training.officer_display_name == "市急救中心 李医生"
    assert training.assignee_id is None


def test_a_session_cannot_be_scheduled_in_the_past(app_context):
    officer = _officer()
    training = create_training_request(state=S.REVIEWING)
    with pytest.raises(errors.SessionInThePast):
        services.schedule_session(training, _plan(officer, days=-1), actor=officer)
    db.session.rollback()
    assert db.session.get(type(training), training.id).state == S.REVIEWING


def test_a_delivery_cannot_be_recorded_before_the_session(app_context):
    officer = _officer()
    training = create_training_request(state=S.SCHEDULED, session_starts_at=_future_session())
    with pytest.raises(errors.SessionNotYetHeld):
        services.record_delivery(training, attendance=10, notes="", actor=officer)


def test_a_delivery_keeps_the_attendance_and_notes(app_context):
    officer = _officer()
    training = create_training_request(state=S.SCHEDULED, session_starts_at=_past_session())
    services.record_delivery(training, attendance=38, notes="互动良好", actor=officer)
    db.session.expire_all()
    assert (training.attendance, training.delivery_notes) == (38, "互动良好")
    assert services.delivered_totals() == (1, 38)


def test_withdrawal_is_allowed_until_the_session_begins(app_context):
    start = datetime(2026, 6, 1, 6, 30)
    training = create_training_request(state=S.SCHEDULED, session_starts_at=start)
    assert training.can_withdraw(start - timedelta(minutes=1))
    assert not training.can_withdraw(start)
    with pytest.raises(errors.SessionAlreadyStarted):
        services.withdraw_request(training, now=start + timedelta(minutes=5))
    db.session.rollback()
    services.withdraw_request(training, now=start - timedelta(minutes=1))
    assert training.state == S.WITHDRAWN


def test_a_declined_request_keeps_its_reason_for_the_company(app_context):
    officer = _officer()
    training = create_training_request(state=S.SUBMITTED)
    services.decline_request(training, reason="请参加下月集中培训", actor=officer)
    assert training.decline_reason == "请参加下月集中培训"
    assert [e.public_message for e in services.public_messages(training)] == ["请参加下月集中培训"]


def test_the_home_page_figures_count_only_delivered_sessions(app_context):
    create_training_request(state=S.DELIVERED, attendance=40, session_starts_at=_past_session())
    create_training_request(state=S.DELIVERED, attendance=25, session_starts_at=_past_session())
    create_training_request(state=S.SCHEDULED, session_starts_at=_future_session())
    assert services.delivered_totals() == (2, 65)


def _outbox():
    from webapp.notifications.models import OutboxMessage

    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_scheduling_tells_the_company_by_text_and_e_mail_in_its_language(app_context):
    officer = _officer()
    training = create_training_request(
        state=S.REVIEWING, contact_email="safety@example.com", language="en"
    )
    services.schedule_session(training, _plan(officer), actor=officer)
    messages = _outbox()
    assert [(m.channel, m.recipient) for m in messages] == [
        ("sms", "13800138000"),
        ("email", "safety@example.com"),
    ]
    assert all(m.kind == "training_scheduled" and m.language == "en" for m in messages)
    assert training.reference in messages[0].body
    assert "At the traffic police brigade" in messages[0].body
    assert {(m.subject_type, m.subject_id) for m in messages} == {("training", training.id)}


def test_a_decline_tells_the_company_the_reason_in_chinese(app_context):
    officer = _officer()
    training = create_training_request()
    services.decline_request(training, reason="本月宣讲已排满", actor=officer)
    [message] = _outbox()
    assert (message.kind, message.channel, message.language) == ("training_declined", "sms", "zh")
    assert "本月宣讲已排满" in message.body


def test_a_refused_step_queues_no_message(app_context):
    officer = _officer()
    training = create_training_request(state=S.DELIVERED)
    with pytest.raises(errors.StepNotAllowed):
        services.decline_request(training, reason="x", actor=officer)
    db.session.rollback()
    assert _outbox() == []


def test_retention_blanks_the_contact_of_old_closed_requests_only(app_context):
    old = utcnow() - timedelta(days=400)
    closed = create_training_request(
        state=S.DELIVERED, attendance=30, state_changed_at=old, contact_email="a@example.com"
    )
    still_open = create_training_request(state=S.SCHEDULED, state_changed_at=old)
    recent = create_training_request(state=S.DECLINED)
    cutoff = utcnow() - timedelta(days=365)
    assert retention.anonymise_closed_requests(cutoff) == 1
    assert retention.anonymise_closed_requests(cutoff) == 0
    db.session.commit()
    db.session.expire_all()
    assert (closed.contact_name, closed.contact_phone, closed.contact_email) == ("", "", "")
    assert (closed.company_name, closed.attendance) == ("运城市烟草公司", 30)
    assert still_open.contact_phone and recent.contact_phone


def test_the_home_page_shows_the_live_training_counts(client_request, app_context):
    create_training_request(state=S.DELIVERED, attendance=1234, session_starts_at=_past_session())
    page = client_request.get("/?lang=en")
    live = [" ".join(li.get_text(" ").split()) for li in page.select("li.live-figure")]
    assert "1 enterprise trainings delivered" in live
    assert "1,234 people trained in enterprise sessions" in live


def test_retention_removes_the_staff_notes_of_old_closed_requests(app_context):
    old = utcnow() - timedelta(days=400)
    closed = create_training_request(state=S.DELIVERED, attendance=5, state_changed_at=old)
    still_open = create_training_request(state=S.SCHEDULED, state_changed_at=old)
    add_note(closed, "联系人手机 13912345678,已确认", author=None)
    add_note(still_open, "联系人手机 13912345678", author=None)
    db.session.commit()
    cutoff = utcnow() - timedelta(days=365)
    assert retention.anonymise_closed_requests(cutoff) == 2  # the request and its note
    assert retention.anonymise_closed_requests(cutoff) == 0
    db.session.commit()
    bodies = {note.subject_id: note.body for note in db.session.scalars(select(WorkflowNote))}
    assert bodies[closed.id] == NOTE_REMOVED
    assert bodies[still_open.id] == "联系人手机 13912345678"
