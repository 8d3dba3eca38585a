"""An admin logs in with a two-factor code, reads the audit log and opens the dashboard."""

from datetime import UTC, datetime

import pyotp

from tests.factories import DEFAULT_PASSWORD, create_user
from webapp.staff.roles import Role


def test_an_admin_logs_in_with_a_code_and_opens_the_audit_log_and_the_dashboard(
    live_server, desktop, app_context
):
    admin = create_user(username="boss", roles=[Role.ADMIN])
    page = desktop
    page.goto(f"{live_server}/staff/login")
    page.fill("#username", "boss")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/staff/login/code")
    assert page.locator("h1").inner_text() == "输入登录验证码"
    page.fill("#code", pyotp.TOTP(admin.totp_secret).at(datetime.now(UTC)))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/staff/")
    assert page.locator("h1").inner_text() == "待办事项"

    page.click("nav.staff-nav >> text=审计日志")
    page.wait_for_url(f"{live_server}/staff/audit")
    rows = page.locator("tbody tr")
    actions = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert actions[:2] == ["login.success", "login.password"]
    page.select_option("#action", "login.success")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/audit?**action=login.success**")
    assert page.locator("tbody tr").count() == 1

    page.click("nav.staff-nav >> text=数据看板")
    page.wait_for_url(f"{live_server}/staff/dashboard")
    assert page.locator("h1").inner_text() == "数据看板"
    charts = page.locator("svg[role=img]")
    # Two overall charts, then more for each feature's source registered on this branch.
    assert charts.count() >= 2
    assert charts.first.locator("title").text_content() == "各类型事项数量"
    assert page.locator("table.figure-table").count() >= charts.count()


def test_the_inbox_and_dashboard_fit_a_phone(live_server, phone, app_context):
    from tests.browser.helpers import has_no_horizontal_scroll, log_in

    officer = create_user(roles=[Role.HAZARD_OFFICER])
    log_in(phone, live_server, officer)
    for path in ("/staff/", "/staff/dashboard", "/staff/reports/annual"):
        phone.goto(f"{live_server}{path}")
        assert has_no_horizontal_scroll(phone), path
