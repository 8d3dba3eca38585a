"""Seed functions for the scenarios: `def NAME(app, size)` fills the database to `size` rows."""

import random
from datetime import timedelta

_HAZARD_PLACES = (
    "北大街",
    "桃北西街坡头路段",
    "李荫路冯家庄路口",
    "漾泉大道魏家峪村口",
    "赛鱼十字路口",
)


def _delete_all(db, *models) -> None:
    """Empty these tables. On SQLite, with foreign-key checks off while doing it: the
    reports' self-reference (duplicate of) has no index, so checking each deleted
    row would scan the table once per row."""
    from sqlalchemy import delete

    db.session.commit()
    if db.engine.dialect.name != "sqlite":
        for model in models:
            db.session.execute(delete(model))
        db.session.commit()
        return
    raw = db.engine.raw_connection()
    try:
        raw.execute("PRAGMA foreign_keys = OFF")
        for model in models:
            raw.execute(f"DELETE FROM {model.__tablename__}")  # noqa: S608 (table names from models)
        raw.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


def hazard_reports(app, size: int) -> None:
    """Replace every hazard report with `size` public and private ones over two years
    (kept as they are when there are already exactly `size`)."""
    # Imported here: the app reads its configuration from the environment the runner sets.
    from sqlalchemy import func, insert, select, text

    from webapp.common.clock import utcnow
    from webapp.common.identifiers import make_reference
    from webapp.extensions import db
    from webapp.hazards.categories import Category
    from webapp.hazards.models import HazardPhoto, HazardReport
    from webapp.hazards.states import HazardState

    if db.session.scalar(select(func.count(HazardReport.id))) == size:
        return
    _delete_all(db, HazardPhoto, HazardReport)
    now, rng = utcnow(), random.Random(size)
    categories, states = list(Category), list(HazardState)
    rows = []
    for number in range(size):
        created = now - timedelta(minutes=number * 7 + rng.randint(0, 6))
        rows.append(
            {
                "reference": make_reference("H", created.date()),
                "category": rng.choice(categories).value,
                "location": rng.choice(_HAZARD_PLACES),
                "latitude": 37.70 + rng.random() * 0.4,
                "longitude": 113.30 + rng.random() * 0.5,
                "location_from_photo": False,
                "description": "护栏被车撞断，断口朝向人行道，行人经过很危险。",
                "reporter_name": "",
                "reporter_phone": f"139{number:08d}",
                "is_private": number % 50 == 0,
                "confirmations": rng.randint(0, 5),
                "responsible_party": "",
                "finding": "",
                "rectification_request": "",
                "state": rng.choice(states).value,
                "created_at": created,
                "state_changed_at": created,
            }
        )
        if len(rows) == 5_000:
            db.session.execute(insert(HazardReport), rows)
            rows = []
    if rows:
        db.session.execute(insert(HazardReport), rows)
    db.session.commit()
    # Table statistics, as a long-running site has them (PostgreSQL's autovacuum, SQLite's
    # PRAGMA optimize): without them SQLite sorts every open report for the inbox's first page.
    db.session.execute(text("ANALYZE hazard_reports"))
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # Fold the write-ahead log into the database, as a long-running site would have.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.session.commit()


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


def waiting_list(app, size):
    """Every motorcycle-exam session full, and `size` people waiting for any of them."""
    from sqlalchemy import insert, update

    from webapp.appointments.models import AppointmentSession
    from webapp.appointments.waitlist.models import WaitlistEntry
    from webapp.common.clock import local_today, utcnow
    from webapp.common.identifiers import make_reference
    from webapp.extensions import db

    appointment_sessions(app, size)
    _delete_all(db, WaitlistEntry)
    # Full seats are what a waiting list needs; the bench writes them as a seed, not a booking.
    db.session.execute(
        update(AppointmentSession).values(seats_taken=AppointmentSession.capacity, seats_held=0)
    )
    today, now = local_today(), utcnow()
    rows = [
        {
            "reference": make_reference("W", today),
            "service": "motorcycle_exam",
            "session_id": None,
            "first_day": today,
            "last_day": today + timedelta(days=14),
            "full_name": "候补",
            "id_number": f"110105199001{number:06d}",
            "phone": "13800138000",
            "email": "",
            "subject": 2,
            "licence_class": "E",
            "language": "zh",
            "state": "waiting",
            "created_at": now - timedelta(minutes=number),
            "state_changed_at": now,
        }
        for number in range(size)
    ]
    if rows:
        db.session.execute(insert(WaitlistEntry), rows)
    db.session.commit()
