"""Seed functions for the scenarios: `def NAME(app, size)` fills the database to `size` rows."""


def appointment_sessions(app, size):
    """Two motorcycle-exam sessions a day inside the booking window (once; session 1 first)."""
    from datetime import time, timedelta

    from sqlalchemy import func, select

    from webapp.appointments.models import AppointmentSession
    from webapp.appointments.staff_services import SessionPlan, publish_sessions
    from webapp.common.clock import local_today
    from webapp.extensions import db

    if db.session.scalar(select(func.count(AppointmentSession.id))):
        return
    first = local_today() + timedelta(days=2)
    for start in (time(9), time(14, 30)):
        plan = SessionPlan(
            "motorcycle_exam", first, start, time(start.hour + 2), "摩托车考场", 1000
        )
        publish_sessions(plan, weekly_until=first + timedelta(days=11))
    for offset in range(1, 7):
        day = first + timedelta(days=offset)
        plan = SessionPlan("motorcycle_exam", day, time(9), time(11), "摩托车考场", 20)
        publish_sessions(plan)
