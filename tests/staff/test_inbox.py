"""The inbox over registered sources: scoping, filters, overdue marks, bulk actions, export."""

import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from tests.staff.fake_source import create_feedback
from webapp.common import workdays
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_to_utc, utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.staff.inbox import register_source
from webapp.staff.roles import Role


def _references(page) -> list[str]:
    return [
        link.get_text(strip=True) for link in page.select("table.inbox tbody td:nth-child(2) a")
    ]


def test_with_no_source_the_inbox_says_so_politely(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.get("/staff/")
    assert page.h1.get_text(strip=True) == "待办事项"
    assert "还没有" in page.select_one(".notice").get_text()


def test_an_officer_sees_the_open_rows_of_sources_for_their_role(
    client_request, login_as, feedback_source
):
    login_as(Role.HAZARD_OFFICER)
    first = create_feedback()
    create_feedback(state="closed")
    page = client_request.get("/staff/")
    assert _references(page) == [f"FB-{first.id}"]
    # Personal data is masked in the list.
    assert "138****5678" in page.select_one("table.inbox").get_text()
    assert "13812345678" not in page.get_text()


def test_a_booking_clerk_does_not_see_a_source_for_hazard_officers(
    client_request, login_as, feedback_source
):
    login_as(Role.BOOKING_CLERK)
    create_feedback()
    page = client_request.get("/staff/")
    assert _references(page) == []
    assert "意见反馈" not in page.get_text()


def test_filters_search_and_sort_are_applied(client_request, login_as, feedback_source):
    me = login_as(Role.HAZARD_OFFICER)
    old = create_feedback(category="signal", created_at=utcnow() - timedelta(days=3))
    mine = create_feedback(summary="李四 13900001111", assignee=me)
    new = create_feedback(created_at=utcnow() + timedelta(minutes=1))
    assert _references(client_request.get("/staff/?category=signal")) == [f"FB-{old.id}"]
    assert _references(client_request.get("/staff/?q=李四")) == [f"FB-{mine.id}"]
    assert _references(client_request.get("/staff/?mine=y")) == [f"FB-{mine.id}"]
    assert _references(client_request.get("/staff/?unassigned=y&sort=newest")) == [
        f"FB-{new.id}",
        f"FB-{old.id}",
    ]
    assert _references(client_request.get("/staff/?state=all&type=feedback")) == [
        f"FB-{old.id}",
        f"FB-{mine.id}",
        f"FB-{new.id}",
    ]


def test_the_date_range_is_in_beijing_days(client_request, login_as, feedback_source):
    login_as(Role.HAZARD_OFFICER)
    # 1 October 2026 00:30 in Beijing is 30 September in UTC.
    early = create_feedback(created_at=local_to_utc(datetime(2026, 10, 1, 0, 30)))
    create_feedback(created_at=local_to_utc(datetime(2026, 9, 30, 23, 30)))
    page = client_request.get("/staff/?date_from=2026-10-01&date_to=2026-10-01")
    assert _references(page) == [f"FB-{early.id}"]


def test_fifty_a_page_with_the_filter_kept_in_the_links(client_request, login_as, feedback_source):
    login_as(Role.HAZARD_OFFICER)
    start = utcnow() - timedelta(days=1)
    rows = [create_feedback(created_at=start + timedelta(seconds=n)) for n in range(52)]
    page = client_request.get("/staff/?category=guardrail")
    assert len(_references(page)) == 50
    next_link = page.select_one("a[rel=next]")["href"]
    assert "category=guardrail" in next_link and "page=2" in next_link
    second = client_request.get(next_link)
    assert _references(second) == [f"FB-{rows[50].id}", f"FB-{rows[51].id}"]


def test_rows_past_their_target_are_marked_overdue(
    client_request, login_as, feedback_source, monkeypatch
):
    login_as(Role.HAZARD_OFFICER)
    late = create_feedback(created_at=utcnow() - timedelta(days=30))
    fresh = create_feedback()
    assert client_request.get("/staff/").select(".overdue") == []  # no target for this type yet
    monkeypatch.setattr(workdays, "state_targets", lambda: {"feedback": {"submitted": 1}})
    page = client_request.get("/staff/")
    overdue = [row.get_text(" ", strip=True) for row in page.select("tr.row-overdue")]
    assert len(overdue) == 1 and f"FB-{late.id}" in overdue[0]
    assert f"FB-{fresh.id}" in page.select_one("table.inbox").get_text()


def test_bulk_state_change_reports_each_row_done_or_refused(
    client_request, login_as, feedback_source
):
    login_as(Role.HAZARD_OFFICER)
    movable = [create_feedback(), create_feedback()]
    stuck = create_feedback(state="investigating")  # investigating -> investigating: refused
    keys = [f"feedback:{row.id}" for row in [*movable, stuck]]
    page = client_request.post(
        "/staff/inbox/bulk",
        {
            "row": keys,
            "action": "state",
            "target_state": "investigating",
            "message": "已受理",
            "confirmed": "1",
        },
    )
    results = [tr.get_text(" ", strip=True) for tr in page.select("tbody tr")]
    db.session.rollback()  # read what the request committed
    assert "2 项已完成，1 项被拒绝" in page.get_text()
    assert results[2].startswith(f"feedback:{stuck.id} 被拒绝")
    assert "不能从“排查中”转为“排查中”" in results[2]
    states = {
        row.id: row.to_state
        for row in db.session.scalars(
            select(WorkflowEvent).where(WorkflowEvent.id.in_([r.id for r in movable]))
        )
    }
    assert set(states.values()) == {"investigating"}
    audited = db.session.scalars(
        select(AuditEntry.target).where(AuditEntry.action == "state.change")
    )
    assert sorted(audited) == sorted(keys[:2])


def test_bulk_assign_refuses_rows_the_user_may_not_touch(client_request, login_as, feedback_source):
    me = login_as(Role.HAZARD_OFFICER)
    open_row = create_feedback()
    closed_row = create_feedback(state="closed")
    page = client_request.post(
        "/staff/inbox/bulk",
        {
            "row": [
                f"feedback:{open_row.id}",
                f"feedback:{closed_row.id}",
                "booking:1",
                "nonsense",
            ],
            "action": "assign_me",
            f"ref-feedback:{open_row.id}": f"FB-{open_row.id}",
        },
    )
    results = [tr.get_text(" ", strip=True) for tr in page.select("tbody tr")]
    assert results[0] == f"FB-{open_row.id} 已完成"
    assert "已销号的反馈不能指派" in results[1]
    assert "无权" in results[2] and "无权" in results[3]
    db.session.rollback()  # read what the request committed
    assert db.session.get(WorkflowEvent, open_row.id).actor_id == me.id
    assert db.session.get(WorkflowEvent, closed_row.id).actor_id is None


def test_a_bulk_action_without_rows_says_so(client_request, login_as, feedback_source):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.post("/staff/inbox/bulk", {"action": "assign_me"})
    assert "请至少选择一行" in page.select_one(".error-summary").get_text()


def test_the_filtered_inbox_exports_as_csv_with_an_audit_entry(
    client, client_request, login_as, feedback_source
):
    user = login_as(Role.HAZARD_OFFICER)
    create_feedback(summary='=HYPERLINK("http://x") 13812345678')
    create_feedback(category="signal")
    response = client.get("/staff/inbox.csv?category=guardrail")
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert user.username in rows[0][0] and "category=guardrail" in rows[0][0]
    assert rows[1][0] == "编号"
    assert len(rows) == 3
    assert rows[2][3].startswith("'=HYPERLINK")
    assert "138****5678" in rows[2][3] and "13812345678" not in body.decode("utf-8-sig")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.actor_id == user.id and "category=guardrail" in entry.target


def test_an_export_of_an_empty_inbox_still_has_its_statement_line(client, login_as):
    login_as(Role.BOOKING_CLERK)
    rows = list(
        csv.reader(io.StringIO(client.get("/staff/inbox.csv").get_data().decode("utf-8-sig")))
    )
    assert len(rows) == 2


def test_bulk_actions_refuse_missing_rows_and_sources_without_the_action(
    client_request, login_as, feedback_source
):
    login_as(Role.HAZARD_OFFICER)
    row = create_feedback()
    register_source(replace(feedback_source, assign=None))
    page = client_request.post(
        "/staff/inbox/bulk", {"row": [f"feedback:{row.id}"], "action": "assign_me"}
    )
    assert "此操作在这里不可用" in page.select_one("tbody").get_text()
    page = client_request.post(
        "/staff/inbox/bulk",
        {
            "row": ["feedback:99999"],
            "action": "state",
            "target_state": "investigating",
            "confirmed": "1",
        },
    )
    assert "未找到该事项" in page.select_one("tbody").get_text()
    page = client_request.post("/staff/inbox/bulk", {"row": ["feedback:1"], "action": "state"})
    assert "请选择新状态" in page.select_one(".error-summary").get_text()


def test_a_map_area_keeps_out_every_kind_of_submission_without_a_place(
    client_request, login_as, feedback_source
):
    login_as(Role.HAZARD_OFFICER)
    create_feedback()

    assert _references(client_request.get("/staff/")) != []
    assert _references(client_request.get("/staff/?bbox=113.5,37.8,113.65,37.92")) == []
