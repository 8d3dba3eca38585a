"""The audit log page: admin only, filters, pages, and no way to change an entry."""

from datetime import datetime

from webapp.common.audit import record_audit
from webapp.common.clock import local_to_utc
from webapp.extensions import db


def _add(action, *, actor_name="wang", when=None, count=1):
    for _ in range(count):
        entry = record_audit(action, actor_name=actor_name, target="user:1")
        if when:
            entry.created_at = when
    db.session.commit()


def _actions(page) -> list[str]:
    return [cell["data-action"] for cell in page.select("tbody td[data-action]")]


def test_the_admin_filters_by_actor_action_and_date(client_request, login_as):
    from webapp.staff.roles import Role

    login_as(Role.ADMIN, username="boss")
    _add("login.failure", actor_name="wang", when=local_to_utc(datetime(2026, 10, 1, 9)))
    _add("login.success", actor_name="li", when=local_to_utc(datetime(2026, 10, 2, 9)))
    _add("export", actor_name="wang", when=local_to_utc(datetime(2026, 10, 3, 9)))
    assert _actions(client_request.get("/staff/audit?actor=wang")) == ["export", "login.failure"]
    assert _actions(client_request.get("/staff/audit?action=login.success")) == ["login.success"]
    page = client_request.get("/staff/audit?date_from=2026-10-02&date_to=2026-10-02")
    assert _actions(page) == ["login.success"]
    assert page.select_one("#actor")["value"] == ""


def test_the_log_is_paginated_with_the_filter_kept(client_request, login_as):
    from webapp.staff.roles import Role

    login_as(Role.ADMIN)
    _add("export", count=55)
    page = client_request.get("/staff/audit?action=export")
    assert len(_actions(page)) == 50
    next_link = page.select_one("a[rel=next]")["href"]
    assert "action=export" in next_link
    assert len(_actions(client_request.get(next_link))) == 5


def test_bad_dates_are_answered_on_the_page(client_request, login_as):
    from webapp.staff.roles import Role

    login_as(Role.ADMIN)
    page = client_request.get("/staff/audit?date_from=yesterday")
    assert page.select_one(".error-summary") is not None


def test_no_route_can_change_or_delete_an_audit_entry(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule or "audit" in rule.endpoint:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_the_audit_page_offers_no_edit_or_delete_control(client_request, login_as):
    from webapp.staff.roles import Role

    login_as(Role.ADMIN)
    _add("export")
    page = client_request.get("/staff/audit")
    assert page.select("main form[method=post]") == []
    assert all(form.get("method") == "get" for form in page.select("main form"))
