"""The inbox as a desk: state tabs with counts, saved views, filters kept in the URL,
and a "select all" that works without JavaScript."""

from datetime import timedelta

from tests.staff.fake_source import create_feedback
from webapp.common import workdays
from webapp.common.clock import utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.staff.roles import Role


def _tabs(page) -> dict[str, str]:
    """Each state tab's label and count, and its link."""
    return {
        " ".join(link.get_text(" ", strip=True).split()): link["href"]
        for link in page.select("nav.state-tabs a")
    }


def _references(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("table.inbox td.card-title a")]


def test_the_state_tabs_count_the_rows_under_the_other_filters(
    client_request, login_as, feedback_source
):
    me = login_as(Role.HAZARD_OFFICER)
    create_feedback()
    create_feedback(assignee=me)
    create_feedback(state="investigating", assignee=me)
    create_feedback(state="closed", assignee=me)
    tabs = _tabs(client_request.get("/staff/"))
    assert list(tabs) == ["未办结 3", "待受理 2", "排查中 1", "已销号 1", "全部 4"]

    page = client_request.get("/staff/?mine=y&q=%E5%BC%A0%E4%B8%89")
    tabs = _tabs(page)
    assert list(tabs) == ["未办结 2", "待受理 1", "排查中 1", "已销号 1", "全部 3"]
    # A tab changes the state and keeps every other filter.
    assert "mine=y" in tabs["排查中 1"] and "q=%E5%BC%A0%E4%B8%89" in tabs["排查中 1"]
    assert "state=investigating" in tabs["排查中 1"]
    current = page.select_one("nav.state-tabs a[aria-current=page]")
    assert current.get_text(" ", strip=True).startswith("未办结")


def test_the_saved_views_are_one_click_away_and_mark_the_current_one(
    client_request, login_as, feedback_source, monkeypatch
):
    me = login_as(Role.HAZARD_OFFICER)
    late = create_feedback(created_at=utcnow() - timedelta(days=30))
    mine = create_feedback(assignee=me)
    monkeypatch.setattr(workdays, "state_targets", lambda: {"feedback": {"submitted": 1}})
    page = client_request.get("/staff/")
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.saved-views a")}
    assert links == {
        "全部待办": "/staff/",
        "我的": "/staff/?mine=y",
        "未指派": "/staff/?unassigned=y",
        "已超时": "/staff/?overdue=y",
    }
    assert _references(client_request.get("/staff/?mine=y")) == [f"FB-{mine.id}"]
    assert _references(client_request.get("/staff/?unassigned=y")) == [f"FB-{late.id}"]
    page = client_request.get("/staff/?overdue=y")
    assert _references(page) == [f"FB-{late.id}"]
    assert page.select_one("nav.saved-views a[aria-current=page]")["href"] == "/staff/?overdue=y"
    assert "1 项" in page.select_one(".count-line").get_text()
    assert list(_tabs(page))[0] == "未办结 1"


def test_overdue_rows_export_alone_as_the_view_shows_them(
    client, login_as, feedback_source, monkeypatch
):
    login_as(Role.HAZARD_OFFICER)
    late = create_feedback(created_at=utcnow() - timedelta(days=30))
    create_feedback()
    monkeypatch.setattr(workdays, "state_targets", lambda: {"feedback": {"submitted": 1}})
    body = client.get("/staff/inbox.csv?overdue=y").get_data().decode("utf-8-sig")
    rows = body.splitlines()[2:]
    assert [row.split(",")[0] for row in rows] == [f"FB-{late.id}"]


def test_select_all_is_a_checkbox_that_means_the_whole_page_without_javascript(
    client_request, login_as, feedback_source
):
    me = login_as(Role.HAZARD_OFFICER)
    rows = [create_feedback() for _ in range(3)]
    page = client_request.get("/staff/")
    select_all = page.select_one("thead input#select-all")
    assert select_all["type"] == "checkbox" and select_all["name"] == "select_all"
    assert [button["value"] for button in page.select(".bulk-bar button")] == [
        "assign_me",
        "unassign",
        "state",
    ]
    fields = {f"ref-feedback:{row.id}": f"FB-{row.id}" for row in rows}
    page = client_request.post(
        "/staff/inbox/bulk", {**fields, "select_all": "1", "action": "assign_me"}
    )
    assert "3 项已完成" in page.get_text()
    db.session.rollback()
    assert {db.session.get(WorkflowEvent, row.id).actor_id for row in rows} == {me.id}
