"""The holiday calendar never runs out silently: the dashboard warns admins, the command
prints the years covered, and targets counted on a year without a calendar are estimates."""

from datetime import date, datetime, time

import pytest

from tests.factories import create_hazard_report
from tests.pages import text_of
from webapp.common import clock, workdays
from webapp.common.clock import local_to_utc
from webapp.common.workdays import parse_calendar
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role


@pytest.fixture
def today(monkeypatch):
    """Set the day the app believes it is (noon, Beijing time)."""

    def set_day(day: date) -> None:
        moment = local_to_utc(datetime.combine(day, time(12)))
        monkeypatch.setattr(clock, "utcnow", lambda: moment)

    return set_day


def test_the_calendar_knows_which_years_it_covers():
    calendar = parse_calendar(
        {"years": {2026: {"holidays": [{"from": date(2026, 1, 1), "to": date(2026, 1, 3)}]}}}
    )
    assert calendar.years == {2026}
    assert not calendar.is_estimated(date(2026, 3, 1), date(2026, 12, 31))
    assert calendar.is_estimated(date(2026, 12, 28), date(2027, 1, 4))


@pytest.mark.parametrize(
    ("day", "missing"),
    [
        (date(2026, 10, 31), []),
        (date(2026, 11, 1), [2027]),
        (date(2027, 1, 4), [2027]),
        (date(2027, 11, 1), [2027, 2028]),
    ],
)
def test_years_are_missing_from_1_november_for_the_next(app_context, day, missing):
    assert workdays.years_covered()[-2:] == [2025, 2026]
    assert workdays.missing_years(day) == missing


def test_a_target_reaching_into_an_uncovered_year_is_estimated(app_context):
    late_december = local_to_utc(datetime(2026, 12, 28, 10))
    june = local_to_utc(datetime(2026, 6, 1, 10))
    assert workdays.deadline_is_estimated("hazard", "investigating", late_december)
    assert not workdays.deadline_is_estimated("hazard", "investigating", june)


def test_the_dashboard_warns_admins_from_1_november(client_request, login_as, today):
    login_as(Role.ADMIN)
    today(date(2026, 10, 31))
    assert client_request.get("/staff/dashboard").select_one("#calendar-warning") is None
    today(date(2026, 11, 2))
    warning = client_request.get("/staff/dashboard").select_one("#calendar-warning")
    assert "2027" in text_of(warning) and "content/data/workdays-cn.yaml" in text_of(warning)


def test_the_warning_is_for_admins_only(client_request, login_as, today):
    login_as(Role.HAZARD_OFFICER)
    today(date(2026, 11, 2))
    assert client_request.get("/staff/dashboard").select_one("#calendar-warning") is None


def test_the_inbox_marks_an_overdue_target_counted_without_a_calendar(
    client_request, login_as, today
):
    login_as(Role.HAZARD_OFFICER)
    create_hazard_report(
        state=HazardState.INVESTIGATING, created_at=local_to_utc(datetime(2026, 12, 28, 10))
    )
    create_hazard_report(
        state=HazardState.INVESTIGATING, created_at=local_to_utc(datetime(2026, 6, 1, 10))
    )
    today(date(2027, 1, 20))
    page = client_request.get("/staff/?lang=en")
    marks = [text_of(mark) for mark in page.select("table.inbox .overdue")]
    assert sorted(marks) == ["Overdue", "Overdue (estimated)"]


def test_the_command_prints_the_years_covered(runner, today):
    today(date(2026, 6, 1))
    result = runner.invoke(args=["calendar", "check"])
    assert result.exit_code == 0, result.output
    assert "covers: 2025, 2026" in result.output and "Missing" not in result.output


def test_the_command_fails_when_next_years_holidays_are_due(runner, today):
    today(date(2026, 11, 1))
    result = runner.invoke(args=["calendar", "check"])
    assert result.exit_code == 1
    assert "covers: 2025, 2026" in result.output and "Missing: 2027" in result.output
