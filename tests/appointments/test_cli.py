from datetime import date

from sqlalchemy import select

from tests.appointments.helpers import read_fresh
from webapp.appointments.models import AppointmentSession, Booking
from webapp.extensions import db

ARGS = [
    "sessions",
    "create",
    "--service",
    "motorcycle_exam",
    "--date",
    "2026-03-03",
    "--start",
    "09:00",
    "--end",
    "11:30",
    "--place",
    "摩托车考场",
    "--capacity",
    "20",
]


def _sessions():
    read_fresh()
    return db.session.scalars(select(AppointmentSession).order_by(AppointmentSession.day)).all()


def test_the_command_publishes_one_session(runner, app_context, now):
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    (session,) = _sessions()
    assert (session.day, session.capacity, session.place) == (date(2026, 3, 3), 20, "摩托车考场")


def test_the_command_publishes_a_weekly_series(runner, app_context, now):
    result = runner.invoke(args=[*ARGS, "--weekly-until", "2026-03-24"])
    assert result.exit_code == 0, result.output
    assert [s.day.day for s in _sessions()] == [3, 10, 17, 24]


def test_the_command_refuses_bad_input_saying_why(runner, app_context, now):
    result = runner.invoke(
        args=[*ARGS[:-6], "--start", "12:00", "--end", "11:00", "--place", "x", "--capacity", "5"]
    )
    assert result.exit_code != 0 and "after the start" in result.output
    result = runner.invoke(args=[*ARGS, "--weekly-until", "2026-02-01"])
    assert result.exit_code != 0
    assert _sessions() == []


def test_the_demo_publishes_three_weeks_of_sessions_and_books_some(runner, app_context):
    result = runner.invoke(args=["demo", "load"])
    assert "appointment sessions: published" in result.output
    sessions = _sessions()
    assert {s.service for s in sessions} == {
        "motorcycle_exam",
        "licence_renewal",
        "review_education",
    }
    assert (sessions[-1].day - sessions[0].day).days >= 14
    assert db.session.scalars(select(Booking)).first() is not None
    assert "appointment sessions: already present" in runner.invoke(args=["demo", "load"]).output
