"""Training requests in the back office's one inbox: listed, masked, moved in bulk."""

from sqlalchemy import select

from tests.factories import create_training_request
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.staff.roles import Role
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState as S

EN = {"Accept-Language": "en"}


def _state(training) -> str:
    db.session.rollback()
    return db.session.get(TrainingRequest, training.id).state


def test_the_inbox_lists_open_training_requests_with_masked_phones(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(contact_phone="13912345678")
    create_training_request(state=S.DELIVERED, company_name="已完成的公司")
    text = text_of(client_request.get("/staff/?type=training", headers=EN))
    assert training.reference in text
    assert "139****5678" in text and "13912345678" not in text
    assert "已完成的公司" not in text


def test_a_hazard_officer_does_not_see_training_requests_in_the_inbox(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    training = create_training_request()
    assert training.reference not in text_of(client_request.get("/staff/"))


def _bulk(client_request, training, **fields):
    return client_request.post(
        "/staff/inbox/bulk",
        {"row": f"training:{training.id}", "confirmed": "1", **fields},
        headers=EN,
    )


def test_the_review_can_start_in_bulk(client_request, login_as, app_context):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    _bulk(client_request, training, action="state", target_state="reviewing")
    assert _state(training) == S.REVIEWING
    events = db.session.scalars(WorkflowEvent.history_of("training", training.id)).all()
    assert [e.to_state for e in events] == ["reviewing"]


def test_a_bulk_decline_needs_a_reason_and_tells_the_company(client_request, login_as, app_context):
    from webapp.notifications.models import OutboxMessage

    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    page = _bulk(client_request, training, action="state", target_state="declined", message="")
    assert "needs a reason" in text_of(page)
    assert _state(training) == S.SUBMITTED
    _bulk(client_request, training, action="state", target_state="declined", message="本月已排满")
    assert _state(training) == S.DECLINED
    assert db.session.get(TrainingRequest, training.id).decline_reason == "本月已排满"
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_scheduling_in_bulk_is_refused_with_a_pointer_to_the_request(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(state=S.REVIEWING)
    page = _bulk(client_request, training, action="state", target_state="scheduled")
    assert "request's own page" in text_of(page)
    assert _state(training) == S.REVIEWING


def test_assign_to_me_makes_the_officer_the_speaker(client_request, login_as, app_context):
    officer = login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(state=S.REVIEWING)
    _bulk(client_request, training, action="assign_me")
    db.session.rollback()
    assert db.session.get(TrainingRequest, training.id).assignee_id == officer.id


def test_the_report_figures_count_requests_and_people_trained(app_context):
    from datetime import timedelta

    from webapp.common.clock import local_today, utcnow
    from webapp.staff.reporting import twelve_months_to
    from webapp.training.inbox import _figures

    create_training_request(industry="school_transport")
    create_training_request(
        state=S.DELIVERED,
        industry="school_transport",
        attendance=35,
        session_starts_at=utcnow() - timedelta(days=1),
    )
    figures = _figures(twelve_months_to(local_today()))
    assert dict(figures.by_category)["校车运输"] == 2
    assert dict(figures.by_state)["已完成"] == 1
    assert sum(figures.monthly) == 2
    assert len(figures.hours_to_close) == 1
    [table] = figures.tables
    assert dict(table.rows)["校车运输"] == 35


def test_a_bulk_decline_writes_one_audit_entry_naming_the_request(
    client_request, login_as, app_context
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request()
    _bulk(client_request, training, action="state", target_state="declined", message="本月已排满")
    assert _state(training) == S.DECLINED
    entries = db.session.scalars(select(AuditEntry)).all()
    assert [(e.action, e.target) for e in entries] == [
        ("state.change", f"training:{training.reference}")
    ]
