"""The one source of the current time: UTC in the database, Beijing time on screen."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Now, as a naive UTC datetime (the form every timestamp column stores)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored naive UTC datetime as an aware Beijing-time datetime."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def local_now() -> datetime:
    return to_local(utcnow())


def local_today() -> date:
    return local_now().date()


def local_to_utc(moment: datetime) -> datetime:
    """A naive Beijing-time datetime (a session's start, say) as naive UTC."""
    return moment.replace(tzinfo=LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def local_days_as_utc(
    first: date | None, last: date | None
) -> tuple[datetime | None, datetime | None]:
    """Whole Beijing days first..last as naive UTC bounds [start, end); None for no bound.

    Never overflows: a bound beyond what a datetime holds (Beijing midnight of
    0001-01-01 is in year 0 in UTC; the day after 9999-12-31 does not exist) is
    no bound, which is what it means.
    """
    start = _utc_midnight(first) if first else None
    end = _utc_midnight(last + timedelta(days=1)) if last and last < date.max else None
    return start, end


def _utc_midnight(day: date) -> datetime | None:
    try:
        return local_to_utc(datetime.combine(day, time()))
    except OverflowError:
        return None
