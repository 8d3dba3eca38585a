"""What is due, from the clock alone (times in UTC; daily times are Beijing time, UTC+8)."""

from datetime import datetime, time, timedelta

import pytest

from webapp.scheduler.due import CLAIM_TIMEOUT, Daily, Every, is_due, time_of_day

REMINDERS = Daily(time(18, 0))  # 10:00 UTC
RETENTION = Daily(time(2, 30))  # 18:30 UTC the day before


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("now", "moment"),
    [
        ("2026-12-03 10:00", "2026-12-03 10:00"),  # 18:00 Beijing, on the dot
        ("2026-12-03 09:59", "2026-12-02 10:00"),  # 17:59: yesterday's is the latest
        ("2026-12-03 16:30", "2026-12-03 10:00"),  # 00:30 on the 4th, Beijing time
    ],
)
def test_the_latest_moment_of_a_daily_job_is_taken_in_beijing_time(now, moment):
    assert REMINDERS.last_moment(utc(now)) == utc(moment)


def test_retention_at_half_past_two_beijing_time_falls_on_the_previous_utc_day():
    assert RETENTION.last_moment(utc("2026-12-03 18:29")) == utc("2026-12-02 18:30")
    assert RETENTION.last_moment(utc("2026-12-03 18:30")) == utc("2026-12-03 18:30")


def test_a_job_that_never_ran_is_due():
    assert is_due(REMINDERS, covered_until=None, claimed_at=None, now=utc("2026-12-03 03:00"))


def test_a_daily_job_is_due_once_its_time_has_come_since_its_last_run():
    ran = utc("2026-12-02 10:00:05")  # 18:00:05 Beijing time on the 2nd
    for now, due in [
        ("2026-12-02 10:30", False),  # a restart half an hour later: not again
        ("2026-12-03 09:59", False),
        ("2026-12-03 10:00", True),
    ]:
        assert is_due(REMINDERS, covered_until=ran, claimed_at=None, now=utc(now)) is due


def test_a_scheduler_stopped_over_several_days_runs_a_daily_job_once_when_back():
    ran = utc("2026-11-28 10:00")
    assert is_due(REMINDERS, covered_until=ran, claimed_at=None, now=utc("2026-12-03 08:00"))


def test_a_run_that_began_before_the_moment_does_not_cover_it():
    began = utc("2026-12-03 09:59:59")  # it covered yesterday's run, late
    assert is_due(REMINDERS, covered_until=began, claimed_at=None, now=utc("2026-12-03 10:00:30"))


def test_a_job_being_run_is_not_due_until_its_claim_expires():
    claimed = utc("2026-12-03 10:00")
    before = utc("2026-12-02 10:00")
    running = claimed + CLAIM_TIMEOUT - timedelta(seconds=1)
    abandoned = claimed + CLAIM_TIMEOUT
    assert not is_due(REMINDERS, covered_until=before, claimed_at=claimed, now=running)
    assert is_due(REMINDERS, covered_until=before, claimed_at=claimed, now=abandoned)


def test_a_periodic_task_is_due_every_n_minutes():
    every_five = Every(5)
    ran = utc("2026-12-03 10:00")
    assert not is_due(every_five, covered_until=ran, claimed_at=None, now=utc("2026-12-03 10:04"))
    assert is_due(every_five, covered_until=ran, claimed_at=None, now=utc("2026-12-03 10:05"))


def test_a_failed_periodic_task_is_tried_again_after_its_period_not_the_daily_timeout():
    every_five = Every(5)
    ran, failed = utc("2026-12-03 10:00"), utc("2026-12-03 10:05")
    assert not is_due(every_five, covered_until=ran, claimed_at=failed, now=utc("2026-12-03 10:09"))
    assert is_due(every_five, covered_until=ran, claimed_at=failed, now=utc("2026-12-03 10:10"))


@pytest.mark.parametrize("text", ["18", "25:00", "18:00:00", "six", ""])
def test_a_time_of_day_that_is_not_hh_mm_is_refused_naming_the_setting(text):
    with pytest.raises(ValueError, match="REMINDERS_AT"):
        time_of_day(text, setting="REMINDERS_AT")


def test_a_time_of_day_is_read_as_hours_and_minutes():
    assert time_of_day(" 02:30 ", setting="RETENTION_AT") == time(2, 30)
