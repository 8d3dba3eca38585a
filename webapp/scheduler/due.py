"""What is due: pure functions of the clock and of when a job last ran.

Times are naive UTC datetimes, as the database stores them; a daily job's time
of day is Beijing time (Asia/Shanghai, no daylight saving).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from webapp.common.clock import local_to_utc, to_local

# A run that neither finished nor failed within this long is taken for dead (its
# process was killed): the job is due again. A failed run is retried after it too.
CLAIM_TIMEOUT = timedelta(minutes=30)


@dataclass(frozen=True)
class Daily:
    """Once a day at a Beijing time of day."""

    at: time

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M} Beijing time"

    @property
    def period(self) -> timedelta:
        return timedelta(days=1)

    def last_moment(self, now: datetime) -> datetime:
        """The latest moment at `at` (Beijing time) not after `now`, as naive UTC."""
        today = to_local(now).date()
        moment = local_to_utc(datetime.combine(today, self.at))
        return moment if moment <= now else moment - timedelta(days=1)

    def is_due(self, covered_until: datetime | None, now: datetime) -> bool:
        """Due when no run has begun since the latest moment at `at`.

        A scheduler that was stopped over that moment runs the job once when it
        starts again, however many days it missed.
        """
        return covered_until is None or covered_until < self.last_moment(now)


@dataclass(frozen=True)
class Every:
    """Every so many minutes."""

    minutes: int

    def __str__(self) -> str:
        return f"every {self.minutes} min"

    @property
    def period(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def is_due(self, covered_until: datetime | None, now: datetime) -> bool:
        return covered_until is None or now - covered_until >= self.period


Schedule = Daily | Every


def is_due(
    schedule: Schedule,
    *,
    covered_until: datetime | None,
    claimed_at: datetime | None,
    now: datetime,
) -> bool:
    """Whether a job must run now, given when its last good run began (`covered_until`)
    and when a run that has not finished well began (`claimed_at`)."""
    if claimed_at is not None and now - claimed_at < min(CLAIM_TIMEOUT, schedule.period):
        return False  # running (here or on another host), or failed a moment ago
    return schedule.is_due(covered_until, now)


def time_of_day(text: str, *, setting: str) -> time:
    """`HH:MM` as a time; a clear error naming the setting otherwise."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValueError(f"{setting}={text!r} is not a time of day such as 18:00") from None
