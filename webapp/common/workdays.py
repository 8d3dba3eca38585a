"""Working days in China: weekends, public holidays and make-up working days (调休).

The calendar is `content/data/workdays-cn.yaml`; the targets per state are
`content/data/state-targets.yaml`. Both are read once per content directory.
Timestamps in and out are naive UTC (as stored); days are counted in Beijing time.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from flask import current_app

from webapp.common import clock
from webapp.common.clock import local_to_utc, to_local

CALENDAR_FILE = "data/workdays-cn.yaml"
TARGETS_FILE = "data/state-targets.yaml"


class CalendarError(Exception):
    """The calendar or targets file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    working_weekends: frozenset[date]
    years: frozenset[int] = frozenset()  # the years whose State Council notice is in the file

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_estimated(self, first: date | datetime, last: date | datetime) -> bool:
        """Whether counting working days from `first` to `last` meets a year not in the file
        (counted as a plain Monday-to-Friday week, so the result is an estimate)."""
        years = range(_local_date(first).year, _local_date(last).year + 1)
        return any(not self.covers(year) for year in years)

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekends

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The same Beijing time of day on the n-th working day after `start` (naive UTC)."""
        local = to_local(start).replace(tzinfo=None)
        day, counted = local.date(), 0
        while counted < n:
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return local_to_utc(datetime.combine(day, local.time()))

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days after `a` up to and including `b` (0 when b is not after a)."""
        first, last = _local_date(a), _local_date(b)
        return sum(
            self.is_working_day(first + timedelta(days=offset))
            for offset in range(1, (last - first).days + 1)
        )


def _local_date(value: date | datetime) -> date:
    return to_local(value).date() if isinstance(value, datetime) else value


def parse_calendar(data: dict, *, source: str = CALENDAR_FILE) -> WorkCalendar:
    holidays, working, covered = set(), set(), set()
    years = data.get("years") if isinstance(data, dict) else None
    for year, entry in (years or {}).items():
        try:
            for holiday in entry.get("holidays") or ():
                first, last = holiday["from"], holiday["to"]
                holidays.update(first + timedelta(days=n) for n in range((last - first).days + 1))
            working.update(entry.get("working_days") or ())
            covered.add(int(year))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise CalendarError(f"{source}: malformed entry in year {year}: {error}") from None
    if any(not isinstance(day, date) for day in holidays | working):
        raise CalendarError(f"{source}: every day must be a date (YYYY-MM-DD)")
    return WorkCalendar(
        holidays=frozenset(holidays),
        working_weekends=frozenset(working),
        years=frozenset(covered),
    )


@cache
def _load_calendar(path: str) -> WorkCalendar:
    file = Path(path)
    if not file.exists():
        return WorkCalendar(holidays=frozenset(), working_weekends=frozenset())
    return parse_calendar(yaml.safe_load(file.read_text(encoding="utf-8")) or {}, source=path)


@cache
def _load_targets(path: str) -> dict[str, dict[str, int]]:
    file = Path(path)
    data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.exists() else None
    targets = {}
    for subject_type, states in (data or {}).items():
        if not isinstance(states, dict) or not all(
            isinstance(days, int) and days >= 0 for days in states.values()
        ):
            raise CalendarError(f"{path}: {subject_type}: each state needs a whole number of days")
        targets[str(subject_type)] = {str(state): days for state, days in states.items()}
    return targets


def _content_path(name: str) -> str:
    return str(Path(current_app.config["CONTENT_DIR"]) / name)


def calendar_path() -> str:
    return _content_path(CALENDAR_FILE)


def calendar() -> WorkCalendar:
    return _load_calendar(calendar_path())


def state_targets() -> dict[str, dict[str, int]]:
    return _load_targets(_content_path(TARGETS_FILE))


def is_working_day(day: date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(start_datetime: datetime, n: int) -> datetime:
    return calendar().add_working_days(start_datetime, n)


def working_days_between(a: date | datetime, b: date | datetime) -> int:
    return calendar().working_days_between(a, b)


def target_days(subject_type: str, state: str) -> int | None:
    return state_targets().get(subject_type, {}).get(str(state))


def deadline(subject_type: str, state: str, since: datetime) -> datetime | None:
    """When a submission that entered `state` at `since` should have left it (None: no target)."""
    days = target_days(subject_type, state)
    return None if days is None else add_working_days(since, days)


def deadline_is_estimated(subject_type: str, state: str, since: datetime) -> bool:
    """Whether the target of `state` counts days of a year the calendar does not cover."""
    due = deadline(subject_type, state, since)
    return due is not None and calendar().is_estimated(since, due)


def years_covered() -> list[int]:
    return sorted(calendar().years)


# The State Council publishes the next year's holidays in the autumn (usually November).
WARN_FROM = (11, 1)


def missing_years(today: date) -> list[int]:
    """This year, if the calendar lacks it, and from 1 November next year, if it lacks that."""
    wanted = [today.year]
    if (today.month, today.day) >= WARN_FROM:
        wanted.append(today.year + 1)
    return [year for year in wanted if not calendar().covers(year)]


def is_overdue(
    subject_type: str, state: str, since: datetime, *, now: datetime | None = None
) -> bool:
    due = deadline(subject_type, state, since)
    return due is not None and (now or clock.utcnow()) > due
