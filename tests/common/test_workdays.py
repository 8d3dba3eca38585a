"""Working days: weekends, public holidays and make-up working days (调休)."""

from datetime import date, datetime

import pytest

from webapp.common import workdays
from webapp.common.clock import local_to_utc
from webapp.common.workdays import (
    CalendarError,
    add_working_days,
    deadline,
    is_overdue,
    is_working_day,
    parse_calendar,
    working_days_between,
)


def beijing(*args) -> datetime:
    """A Beijing wall-clock time as the naive UTC the database stores."""
    return local_to_utc(datetime(*args))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),  # last day of the National Day week
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday made a working day (调休)
        (date(2026, 9, 20), True),  # Sunday made a working day (调休)
        (date(2026, 10, 11), False),  # an ordinary Sunday
        (date(2025, 1, 26), True),  # Sunday made a working day before the Spring Festival
        (date(2025, 1, 28), False),  # Spring Festival
        (date(2026, 2, 16), False),  # Spring Festival Eve
        (date(2026, 2, 13), True),  # an ordinary Friday
        (date(2027, 3, 6), False),  # a Saturday in a year the file does not list
    ],
)
def test_working_days_follow_the_calendar_file(app_context, day, working):
    assert is_working_day(day) is working


def test_a_make_up_saturday_counts_as_a_working_day(app_context):
    # Friday 9 October 2026 + 1 working day is Saturday 10 October (调休), not Monday 12th.
    assert add_working_days(beijing(2026, 10, 9, 10, 0), 1) == beijing(2026, 10, 10, 10, 0)
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_a_report_filed_before_the_national_day_week_is_not_late_during_it(app_context):
    filed = beijing(2026, 9, 30, 16, 0)  # Wednesday before the holiday; target 1 working day
    assert deadline("hazard", "submitted", filed) == beijing(2026, 10, 8, 16, 0)
    assert not is_overdue("hazard", "submitted", filed, now=beijing(2026, 10, 5, 12, 0))
    assert not is_overdue("hazard", "submitted", filed, now=beijing(2026, 10, 8, 15, 59))
    assert is_overdue("hazard", "submitted", filed, now=beijing(2026, 10, 8, 16, 1))


def test_investigating_for_five_working_days_spans_the_holiday_and_the_make_up_day(app_context):
    started = beijing(2026, 9, 28, 9, 0)  # Monday
    # 29th, 30th, 8 Oct, 9 Oct, Saturday 10 Oct (调休): five working days.
    assert deadline("hazard", "investigating", started) == beijing(2026, 10, 10, 9, 0)


def test_a_state_without_a_target_is_never_overdue(app_context):
    filed = beijing(2025, 1, 2, 9, 0)
    assert deadline("hazard", "closed", filed) is None
    assert not is_overdue("hazard", "closed", filed, now=beijing(2026, 1, 1, 9, 0))


def test_working_days_between_is_zero_when_the_end_is_not_later(app_context):
    assert working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 1)) == 0


def test_the_calendar_is_read_once(app_context):
    workdays.calendar()
    before = workdays._load_calendar.cache_info().hits
    workdays.calendar()
    assert workdays._load_calendar.cache_info().hits == before + 1


def test_a_malformed_calendar_names_the_file_and_the_year():
    with pytest.raises(CalendarError, match="workdays-cn.yaml: malformed entry in year 2026"):
        parse_calendar({"years": {2026: {"holidays": [{"from": date(2026, 1, 1)}]}}})
