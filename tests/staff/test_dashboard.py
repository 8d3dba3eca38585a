"""Dashboard and annual report: structure with no sources, figures from a source."""

import csv
import io
from datetime import datetime

from sqlalchemy import select

from tests.staff.fake_source import create_feedback
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_to_utc, local_today
from webapp.extensions import db
from webapp.staff.roles import Role


def test_with_no_source_the_dashboard_shows_its_structure_with_zeros(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.get("/staff/dashboard")
    assert page.select_one(".figures strong").get_text(strip=True) == "0"
    charts = page.select("svg[role=img]")
    assert len(charts) == 2
    assert all(chart.title and chart.desc for chart in charts)
    assert len(page.select("table.figure-table")) == 2


def test_the_dashboard_shows_a_sources_figures_beside_its_charts(
    client_request, login_as, feedback_source
):
    login_as(Role.HAZARD_OFFICER)
    for hours in (2, 4, 6, 8, 100):
        create_feedback(state="closed", hours_to_close=hours)
    create_feedback(category="signal")
    page = client_request.get("/staff/dashboard")
    assert page.select_one(".figures strong").get_text(strip=True) == "6"
    text = page.get_text(" ", strip=True)
    assert "6.0 小时" in text  # median of 2, 4, 6, 8, 100
    assert "63.2 小时" in text  # 90th percentile: 8 + 0.6 × 92
    state_table = page.find("caption", string="意见反馈各状态数量").find_parent("table")
    rows = {
        th.get_text(strip=True): td.get_text(strip=True)
        for th, td in ((tr.th, tr.td) for tr in state_table.select("tbody tr"))
    }
    assert rows == {"待受理": "1", "排查中": "0", "已销号": "5"}
    assert len(page.select("svg[role=img]")) == 4
    trend = page.find("caption", string="每月事项数量").find_parent("table")
    this_month = trend.select("tbody tr")[-1]
    assert [td.get_text(strip=True) for td in this_month.select("td")] == ["6", "6"]
    assert len(page.select("svg#dashboard-trend polyline")) == 2  # all, and this kind


def test_the_annual_report_counts_only_its_year(client_request, login_as, feedback_source):
    login_as(Role.HAZARD_OFFICER)
    this_year = local_today().year
    create_feedback(created_at=local_to_utc(datetime(this_year, 1, 1, 0, 30)))
    create_feedback(created_at=local_to_utc(datetime(this_year - 1, 12, 31, 23, 30)))
    page = client_request.get(f"/staff/reports/annual?year={this_year}")
    assert page.select_one(".figures strong").get_text(strip=True) == "1"
    assert "转办单位" in page.get_text()
    before_first = client_request.get("/staff/reports/annual?year=1999")
    assert f"请选择 2020 年至 {this_year} 年之间的年份。" in before_first.get_text()


def test_the_annual_report_downloads_as_csv_with_an_audit_entry(client, login_as, feedback_source):
    user = login_as(Role.HAZARD_OFFICER)
    create_feedback()
    year = local_today().year
    response = client.get(f"/staff/reports/annual.csv?year={year}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert str(year) in rows[0][0] and user.username in rows[0][0]
    assert rows[2][0] == "收到的事项" and rows[2][3] == "1"
    assert ["转办单位", "意见反馈", "市政公司", "2"] in rows
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.target == f"annual report {year}"


def test_a_source_is_left_out_of_the_figures_for_other_roles(
    client_request, login_as, feedback_source
):
    login_as(Role.BOOKING_CLERK)
    create_feedback()
    page = client_request.get("/staff/dashboard")
    assert page.select_one(".figures strong").get_text(strip=True) == "0"
