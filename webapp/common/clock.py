"""The one source of the current time: UTC in the database, Beijing time on screen."""

from datetime import UTC, date, datetime
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
