"""Hazard reports in the back office's inbox, bulk actions and dashboard figures."""

from datetime import timedelta

from tests.factories import create_hazard_report
from tests.pages import text_of
from webapp.common.clock import utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role


def test_open_hazard_reports_are_in_the_inbox_with_masked_phones(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(reporter_phone="13912345678", location="赛鱼十字路口")
    closed = create_hazard_report(state=HazardState.CLOSED)
    page = client_request.get("/staff/?type=hazard")
    text = text_of(page)
    assert report.reference in text and "139****5678" in text and "13912345678" not in text
    assert closed.reference not in text
    assert page.find("a", href=f"/staff/hazards/{report.reference}")


def test_a_booking_clerk_does_not_see_hazard_reports_in_the_inbox(
    client_request, login_as, app_context
):
    login_as(Role.BOOKING_CLERK)
    report = create_hazard_report()
    assert report.reference not in text_of(client_request.get("/staff/"))


def _bulk(client_request, reports, **fields):
    data = {"row": [f"hazard:{report.id}" for report in reports], "confirmed": "1", **fields}
    return client_request.post("/staff/inbox/bulk?lang=en", data, follow_redirects=True)


def test_a_bulk_move_follows_the_same_rules_as_one_report(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    fresh = create_hazard_report()
    closed = create_hazard_report(state=HazardState.CLOSED)
    page = _bulk(
        client_request,
        [fresh, closed],
        action="state",
        target_state="investigating",
        message="民警已到现场核查。",
    )
    db.session.rollback()  # a fresh snapshot
    assert fresh.state == HazardState.INVESTIGATING
    assert closed.state == HazardState.CLOSED
    event = db.session.scalars(WorkflowEvent.history_of("hazard", fresh.id)).all()[-1]
    assert event.public_message == "民警已到现场核查。"
    assert "cannot move" in text_of(page)


def test_a_bulk_rejection_without_a_reason_is_refused(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    page = _bulk(client_request, [report], action="state", target_state="rejected", message="")
    db.session.rollback()
    assert report.state == HazardState.SUBMITTED
    assert "reason for the rejection" in text_of(page)


def test_the_dashboard_counts_hazards_and_referrals(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    create_hazard_report(category="signal")
    create_hazard_report(
        state=HazardState.CLOSED,
        responsible_party="市园林绿化中心",
        created_at=utcnow() - timedelta(days=3),
        closed_at=utcnow() - timedelta(days=1),
    )
    text = text_of(client_request.get("/staff/dashboard?lang=en"))
    assert "Road hazard report" in text
    assert "市园林绿化中心" in text
    assert "Traffic signal fault" in text
