"""The hazard officer's queue filters through the inbox's one filter helper."""

from datetime import timedelta

import pytest

from tests.factories import create_hazard_report
from webapp.common.clock import local_today, utcnow
from webapp.hazards import staff_views
from webapp.hazards.states import HazardState
from webapp.staff import inbox
from webapp.staff.roles import Role


def _queue_references(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("table tbody td:first-child a")]


def _inbox_references(page) -> list[str]:
    return [
        link.get_text(strip=True) for link in page.select("table.inbox tbody td:nth-child(2) a")
    ]


@pytest.fixture
def reports(login_as, app_context):
    officer = login_as(Role.HAZARD_OFFICER)
    now = utcnow()
    return {
        "old": create_hazard_report(
            reporter_phone="13912345678", created_at=now - timedelta(days=10)
        ),
        "mine": create_hazard_report(
            category="signal", assignee_id=officer.id, created_at=now - timedelta(days=1)
        ),
        "closed": create_hazard_report(
            state=HazardState.CLOSED, reporter_phone="13800000000", created_at=now
        ),
        "signal_closed": create_hazard_report(
            category="signal", state=HazardState.CLOSED, created_at=now - timedelta(days=6)
        ),
    }


def _filter_sets(reports) -> list[dict]:
    today = local_today()
    return [
        {},
        {"state": "closed"},
        {"state": "submitted"},
        {"category": "signal"},
        {"category": "signal", "state": "closed"},
        {"date_from": str(today - timedelta(days=2))},
        {"date_to": str(today - timedelta(days=5))},
        {"date_from": str(today - timedelta(days=7)), "date_to": str(today - timedelta(days=1))},
        {"mine": "y"},
        {"q": "139 1234 5678"},
        {"q": "1380000"},
        {"q": reports["mine"].reference.lower()},
        {"q": "no such thing"},
    ]


def test_the_queue_and_the_inbox_show_the_same_reports_for_the_same_filters(
    client_request, reports
):
    seen = set()
    for args in _filter_sets(reports):
        queue = _queue_references(client_request.get("/staff/hazards/", query_string=args))
        # The queue's "All" states and its newest-first order, said in the inbox's words.
        inbox_args = {"state": "all", **args, "type": "hazard", "sort": "newest"}
        unified = _inbox_references(client_request.get("/staff/", query_string=inbox_args))
        assert queue == unified, args
        seen.add(tuple(queue))
    # The sets tell the reports apart: from all four, in order, to none.
    assert len(seen) >= 8 and () in seen and len(max(seen, key=len)) == len(reports)


def test_the_queue_filters_as_it_did(client_request, reports):
    def shown(**args):
        page = client_request.get("/staff/hazards/", query_string=args)
        return {name for name, r in reports.items() if r.reference in _queue_references(page)}

    assert shown() == set(reports)  # every state, not only the open ones
    assert shown(state="closed") == {"closed", "signal_closed"}
    assert shown(category="signal") == {"mine", "signal_closed"}
    assert shown(mine="y") == {"mine"}
    assert shown(date_from=str(local_today() - timedelta(days=2))) == {"mine", "closed"}
    assert shown(q="139-1234-5678") == {"old"}
    assert shown(q=f"  {reports['closed'].reference.lower()} ") == {"closed"}
    # A value the form refuses is left out rather than emptying the queue.
    assert shown(state="no-such-state", category="signal") == {"mine", "signal_closed"}
    # Newest first.
    page = client_request.get("/staff/hazards/")
    order = [reports[name].reference for name in ("closed", "mine", "signal_closed", "old")]
    assert _queue_references(page) == order


def test_the_unified_inbox_finds_a_hazard_by_a_phone_number_typed_with_spaces(
    client_request, reports
):
    page = client_request.get("/staff/", query_string={"q": "139 1234 5678"})
    assert _inbox_references(page) == [reports["old"].reference]


def test_the_queue_says_when_it_counts_more_than_the_cap(client_request, reports, monkeypatch):
    monkeypatch.setattr(inbox, "COUNT_CAP", 2)
    monkeypatch.setattr(staff_views, "COUNT_CAP", 2)
    text = client_request.get("/staff/hazards/?lang=en").get_text(" ", strip=True)
    assert "More than 2 submissions" in text
    text = client_request.get("/staff/hazards/?lang=en&state=closed").get_text(" ", strip=True)
    assert "2 reports" in text and "More than" not in text
