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
    actions = [
        rows.nth(i).locator("td[data-action]").get_attribute("data-action")
        for i in range(rows.count())
    ]
    assert actions[:2] == ["login.success", "login.password"]
    assert rows.nth(0).locator("td").nth(2).inner_text() == "登录"
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


def test_an_admin_filters_the_inbox_assigns_three_reports_and_exports_the_queue(
    live_server, desktop, app_context, tmp_path
):
    from tests.browser.helpers import log_in
    from tests.factories import create_hazard_report

    admin = create_user(username="chief", roles=[Role.ADMIN], display_name="王队长")
    guardrails = [
        create_hazard_report(category="guardrail", location=f"北大街{number}号护栏")
        for number in range(3)
    ]
    other = create_hazard_report(category="pothole", location="赛鱼十字路口")
    page = desktop
    log_in(page, live_server, admin)
    page.wait_for_url(f"{live_server}/staff/")

    page.click("details.more-filters summary")
    page.select_option("#type", "hazard")
    page.select_option("#category", "guardrail")
    page.click("details.more-filters button[type=submit]")
    page.wait_for_url("**/staff/?**category=guardrail**")
    listed = page.locator("table.inbox tbody tr")
    assert listed.count() == 3
    assert other.reference not in page.locator("table.inbox").inner_text()

    for report in guardrails:
        page.check(f"input[name=row][value='hazard:{report.id}']")
    page.click("button[name=action][value=assign_me]")
    page.wait_for_url(f"{live_server}/staff/inbox/bulk")
    assert page.locator("tr.result-done").count() == 3
    assert page.locator("tr.result-refused").count() == 0
    page.click("main p > a")  # back to the filtered inbox
    page.wait_for_url("**/staff/?**category=guardrail**")
    assignees = page.locator("table.inbox tbody tr td:last-child").all_inner_texts()
    assert assignees == ["王队长"] * 3

    with page.expect_download() as download_info:
        page.click("a[href*='/staff/inbox.csv']")
    path = tmp_path / "inbox.csv"
    download_info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("待办事项导出，导出人 chief，时间 ")
    assert "category=guardrail" in lines[0]
    rows = lines[2:]
    assert sorted(row.split(",")[0] for row in rows) == sorted(r.reference for r in guardrails)
    assert all("王队长" in row and "护栏" in row for row in rows)

    page.click("nav.staff-nav >> text=数据看板")
    page.wait_for_url(f"{live_server}/staff/dashboard")
    assert page.locator("h1").inner_text() == "数据看板"
    assert page.locator("svg[role=img]").count() >= 2
