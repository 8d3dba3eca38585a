"""A bulk move shows its summary (how many, which state, the message) before it is applied."""

from sqlalchemy import select

from tests.factories import create_hazard_report
from tests.pages import text_of
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

EN = {"Accept-Language": "en"}


def _states(reports) -> set[str]:
    db.session.rollback()  # read what the requests committed
    ids = [report.id for report in reports]
    return set(db.session.scalars(select(HazardReport.state).where(HazardReport.id.in_(ids))))


def test_a_bulk_move_shows_its_summary_and_changes_nothing_before_it_is_confirmed(
    client_request, login_as
):
    login_as(Role.HAZARD_OFFICER)
    reports = [create_hazard_report(), create_hazard_report()]
    fields = {
        "row": [f"hazard:{report.id}" for report in reports],
        **{f"ref-hazard:{report.id}": report.reference for report in reports},
        "action": "state",
        "target_state": HazardState.INVESTIGATING.value,
        "message": "We are checking the site this week.",
        "back": "/staff/?unassigned=y",
    }
    page = client_request.post("/staff/inbox/bulk", fields, headers=EN)
    assert text_of(page.select_one("h1")) == "Move 2 rows to “Investigating”?"
    facts = text_of(page.select_one("dl.summary"))
    assert "Rows 2 rows" in facts and "New state Investigating" in facts
    assert "We are checking the site this week." in facts
    assert all(report.reference in facts for report in reports)
    assert _states(reports) == {HazardState.SUBMITTED}

    form = page.select_one("main form")
    carried = [(field["name"], field["value"]) for field in form.select("input[type=hidden]")]
    assert ("confirmed", "1") in carried and ("back", "/staff/?unassigned=y") in carried
    assert [value for name, value in carried if name == "row"] == fields["row"]
    assert page.select_one("main form a")["href"] == "/staff/?unassigned=y"

    confirmed = {name: [v for n, v in carried if n == name] for name, _value in carried}
    page = client_request.post("/staff/inbox/bulk", confirmed, headers=EN)
    assert "2 done, 0 refused." in text_of(page)
    assert _states(reports) == {HazardState.INVESTIGATING}


def test_assigning_in_bulk_needs_no_summary(client_request, login_as):
    me = login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    page = client_request.post(
        "/staff/inbox/bulk", {"row": [f"hazard:{report.id}"], "action": "assign_me"}, headers=EN
    )
    assert "1 done, 0 refused." in text_of(page)
    db.session.rollback()
    assert db.session.get(HazardReport, report.id).assignee_id == me.id
