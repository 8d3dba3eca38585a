"""Bad dates in any filter are answered with a message, never a 500 (issue 16, item 6).

Dates at the ends of the calendar overflow when a day is added or Beijing midnight
is turned into UTC; impossible dates and huge numbers do not parse at all. Every
filter answers them on its form (pages), with a 400 (exports) or with the
GeoReport error list (Open311), and keeps the other filters.
"""

import csv
import io
import logging
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.factories import create_hazard_report, create_training_request
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession
from webapp.common.audit import AuditEntry
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.staff.inbox import InboxFilters
from webapp.staff.roles import Role
from webapp.staff.views import inbox as inbox_views

EN = {"Accept-Language": "en"}

# Outside the portal's dates (2000-01-01 to 2100-12-31), impossible, or unreadable.
BAD_DAYS = [
    "0001-01-01",
    "1-1-1",
    "1999-12-31",
    "2101-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "-2026-01-01",
    "99999999999999999999",
    "1" * 5000,
]

# (role, page, export or None, date fields, another filter that must be kept)
FILTER_PAGES = {
    "inbox": (Role.ADMIN, "/staff/", "/staff/inbox.csv", ("date_from", "date_to"), ("q", "护栏")),
    "audit": (Role.ADMIN, "/staff/audit", None, ("date_from", "date_to"), ("actor", "li.si")),
    "hazards": (
        Role.HAZARD_OFFICER,
        "/staff/hazards/",
        None,
        ("date_from", "date_to"),
        ("q", "护栏"),
    ),
    "training": (
        Role.EDUCATION_OFFICER,
        "/staff/training/",
        "/staff/training/export.csv",
        ("received_from", "received_to"),
        ("industry", "food_delivery"),
    ),
}
DATE_FILTERS = [
    pytest.param(name, field, id=f"{name}-{field}")
    for name, (_role, _page, _export, fields, _other) in FILTER_PAGES.items()
    for field in fields
]
EXPORTS = [
    pytest.param(name, field, id=f"{name}-{field}")
    for name, (_role, _page, export, fields, _other) in FILTER_PAGES.items()
    if export
    for field in fields
]


def _value_shown(page, name) -> str:
    control = page.find(attrs={"name": name})
    if control.name == "select":
        chosen = control.find("option", selected=True)
        return chosen["value"] if chosen else ""
    return control.get("value", "")


def _exports_recorded() -> int:
    db.session.rollback()
    return len(db.session.scalars(select(AuditEntry).where(AuditEntry.action != "login")).all())


@pytest.mark.parametrize("value", BAD_DAYS, ids=lambda value: value[:24])
@pytest.mark.parametrize(("name", "field"), DATE_FILTERS)
def test_a_bad_date_is_answered_on_the_filter_form(client_request, login_as, name, field, value):
    role, path, _export, _fields, (other, other_value) = FILTER_PAGES[name]
    login_as(role)
    page = client_request.get(path, query_string={field: value, other: other_value})
    summary = page.select_one(".error-summary")
    assert summary is not None, text_of(page)
    assert summary.select_one(f'a[href="#{field}"]') is not None
    assert page.find(class_="error-message") is not None
    assert _value_shown(page, field) == value
    assert _value_shown(page, other) == other_value


@pytest.mark.parametrize(("name", "field"), DATE_FILTERS)
def test_the_message_names_the_dates_the_portal_holds_in_each_language(
    client_request, login_as, name, field
):
    role, path, *_rest = FILTER_PAGES[name]
    login_as(role)
    chinese = client_request.get(path, query_string={field: "9999-12-31"})
    assert "请输入 2000-01-01 至 2100-12-31 之间的日期。" in text_of(
        chinese.select_one(".error-summary")
    )
    english = client_request.get(path, query_string={field: "0001-01-01"}, headers=EN)
    assert "Enter a date from 2000-01-01 to 2100-12-31." in text_of(
        english.select_one(".error-summary")
    )
    unreadable = client_request.get(path, query_string={field: "2026-02-30"}, headers=EN)
    assert "year-month-day" in text_of(unreadable.select_one(".error-summary"))


@pytest.mark.parametrize("name", FILTER_PAGES)
def test_an_end_before_the_start_is_answered_on_the_form(client_request, login_as, name):
    role, path, _export, (start, end), _other = FILTER_PAGES[name]
    login_as(role)
    page = client_request.get(
        path, query_string={start: "2026-05-10", end: "2026-05-01"}, headers=EN
    )
    summary = page.select_one(".error-summary")
    assert summary is not None
    assert "must not be before its start" in text_of(summary)
    assert summary.select_one(f'a[href="#{end}"]') is not None


def test_the_inbox_keeps_the_other_filters_while_a_date_is_wrong(
    client_request, login_as, app_context
):
    login_as(Role.ADMIN)
    wanted = create_hazard_report(category="signal")
    create_hazard_report(category="guardrail")
    page = client_request.get(
        "/staff/", query_string={"category": "signal", "date_to": "9999-12-31"}
    )
    shown = [link.get_text(strip=True) for link in page.select("table.inbox tbody td a")]
    assert shown == [wanted.reference]


def test_the_hazard_queue_keeps_the_other_filters_while_a_date_is_wrong(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    wanted = create_hazard_report(category="signal")
    create_hazard_report(category="guardrail")
    page = client_request.get(
        "/staff/hazards/", query_string={"category": "signal", "date_from": "0001-01-01"}
    )
    assert wanted.reference in text_of(page)
    assert len(page.select("tbody tr")) == 1


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-30", "1" * 5000])
@pytest.mark.parametrize(("name", "field"), EXPORTS)
def test_an_export_with_a_bad_date_is_refused_with_the_message_before_any_file(
    client_request, login_as, name, field, value
):
    role, _path, export, _fields, (other, other_value) = FILTER_PAGES[name]
    login_as(role)
    page = client_request.get(
        export, query_string={field: value, other: other_value}, expected_status=400
    )
    assert page.select_one(".error-summary").select_one(f'a[href="#{field}"]') is not None
    assert _value_shown(page, other) == other_value
    assert _exports_recorded() == 0


@pytest.mark.parametrize(("name", "field"), EXPORTS)
def test_an_export_with_the_range_backwards_is_refused(client_request, login_as, name, field):
    role, _path, export, (start, end), _other = FILTER_PAGES[name]
    login_as(role)
    page = client_request.get(
        export, query_string={start: "2026-05-10", end: "2026-05-01"}, expected_status=400
    )
    assert page.select_one(".error-summary") is not None


BAD_YEARS = ["0", "1", "-1", "1999", "9999", "10000", "99999999999999999999", "1" * 5000, "abc"]


@pytest.mark.parametrize("year", BAD_YEARS, ids=lambda year: year[:24])
def test_a_bad_year_of_the_annual_report_is_answered_on_the_page(client_request, login_as, year):
    login_as(Role.HAZARD_OFFICER)
    this_year = local_today().year
    page = client_request.get("/staff/reports/annual", query_string={"year": year}, headers=EN)
    assert f"Choose a year from 2020 to {this_year}." in text_of(page.select_one(".error-summary"))
    assert str(this_year) in page.h1.get_text()


@pytest.mark.parametrize("year", BAD_YEARS, ids=lambda year: year[:24])
def test_a_bad_year_of_the_annual_report_export_is_a_400_without_a_file(
    client_request, login_as, year
):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.get(
        "/staff/reports/annual.csv", query_string={"year": year}, expected_status=400
    )
    assert page.select_one(".error-summary") is not None
    assert _exports_recorded() == 0


BAD_MOMENTS = [
    "0001-01-01T00:00:00+08:00",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "1999-12-31T23:59:59+08:00",
    "2101-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59Z",
    "10000-01-01T00:00:00Z",
    "2026-02-30T00:00:00+08:00",
    "2026-01-01T00:00:00+24:00",
    "-2026-01-01T00:00:00Z",
    "99999999999999999999",
    "1" * 5000,
]


@pytest.mark.parametrize("value", BAD_MOMENTS, ids=lambda value: value[:28])
@pytest.mark.parametrize("argument", ["start_date", "end_date"])
def test_open311_answers_a_bad_date_with_a_400_naming_the_argument(client, argument, value):
    response = client.get("/open311/v2/requests.json", query_string={argument: value})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    [problem] = response.get_json()
    assert problem["code"] == 400
    assert problem["description"].startswith((f"{argument}: ", f"{argument}："))


def test_open311_says_which_dates_it_holds(client):
    response = client.get(
        "/open311/v2/requests.json",
        query_string={"start_date": "0001-01-01T00:00:00+08:00", "lang": "en"},
    )
    assert response.get_json()[0]["description"] == (
        "start_date: give a date from 2000-01-01 to 2100-12-31."
    )


@pytest.mark.parametrize("argument", ["page", "page_size"])
def test_open311_answers_a_huge_number_with_a_400(client, argument):
    response = client.get("/open311/v2/requests.json", query_string={argument: "1" * 5000})
    assert response.status_code == 400
    assert response.get_json()[0]["description"].startswith((f"{argument}: ", f"{argument}："))


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date.min, date.max),
        (date(1, 1, 1), date(1, 1, 1)),
        (date(9999, 12, 31), date(9999, 12, 31)),
    ],
)
def test_the_inbox_bounds_of_any_dates_never_overflow(first, last):
    start, end = InboxFilters(date_from=first, date_to=last).created_bounds()
    assert start is None or start.year <= first.year
    assert end is None or end.date() >= last


SESSION_DATES = [
    {"day": "9999-12-31"},
    {"day": "0001-01-01"},
    {"day": "2026-03-09", "weekly_until": "9999-12-31"},
    {"day": "0001-01-01", "weekly_until": "9999-12-28"},
]


@pytest.mark.parametrize("dates", SESSION_DATES, ids=lambda dates: "-".join(dates.values()))
def test_a_far_off_session_date_is_answered_on_the_form(client_request, login_as, dates):
    login_as(Role.BOOKING_CLERK)
    page = client_request.post(
        "/staff/appointments/sessions/new",
        {
            "service": "licence_renewal",
            "starts_at": "09:00",
            "ends_at": "11:30",
            "place": "车管大厅",
            "capacity": "15",
            **dates,
        },
        headers=EN,
    )
    assert "Enter a date from 2000-01-01 to 2100-12-31." in text_of(
        page.select_one(".error-summary")
    )
    db.session.rollback()
    assert db.session.scalars(select(AppointmentSession)).all() == []


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_far_off_training_session_date_is_answered_on_the_form(
    client_request, login_as, app_context, day
):
    login_as(Role.EDUCATION_OFFICER)
    training = create_training_request(state="reviewing")
    page = client_request.post(
        f"/staff/training/{training.id}/schedule",
        {
            "session_date": day,
            "session_time": "14:30",
            "officer_name": "王警官",
            "venue": "on_site",
        },
        headers=EN,
    )
    assert "Enter a date from 2000-01-01 to 2100-12-31." in text_of(
        page.select_one(".error-summary")
    )


# --- CSV exports that fail half-way ---------------------------------------------------


def _failing_after(count, rows):
    """The rows of the real export, then the database connection lost after `count`."""

    def rows_then_failure(*args, **kwargs):
        for number, row in enumerate(rows(*args, **kwargs)):
            if number == count:
                raise OperationalError("SELECT ...", {}, Exception("server closed the connection"))
            yield row

    return rows_then_failure


def test_an_export_that_fails_half_way_ends_with_a_line_saying_so(
    client, login_as, app_context, monkeypatch, caplog
):
    login_as(Role.HAZARD_OFFICER)
    for _ in range(3):
        create_hazard_report()
    monkeypatch.setattr(inbox_views, "iter_inbox", _failing_after(2, inbox_views.iter_inbox))
    with caplog.at_level(logging.ERROR):
        response = client.get("/staff/inbox.csv", headers=EN)
    lines = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(lines) == 2 + 2 + 1  # statement, headings, two rows, the last line
    assert lines[-1][0].startswith("# Export incomplete")
    assert "2 rows" in lines[-1][0]
    assert any("export" in record.getMessage().lower() for record in caplog.records)


def test_the_incomplete_line_is_in_the_users_language(client, login_as, app_context, monkeypatch):
    login_as(Role.HAZARD_OFFICER)
    create_hazard_report()
    create_hazard_report()
    monkeypatch.setattr(inbox_views, "iter_inbox", _failing_after(1, inbox_views.iter_inbox))
    lines = client.get("/staff/inbox.csv").get_data().decode("utf-8-sig").splitlines()
    assert lines[-1].startswith("# 导出未完成：")


def test_an_export_whose_first_query_fails_is_an_error_page_not_a_file(
    app, client, login_as, app_context, monkeypatch
):
    login_as(Role.HAZARD_OFFICER)
    create_hazard_report()

    def nothing_but_failure(*args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection"))
        yield  # a generator, as the real one is

    monkeypatch.setattr(inbox_views, "iter_inbox", nothing_but_failure)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/staff/inbox.csv")
    assert response.status_code >= 500
    assert response.mimetype == "text/html"
