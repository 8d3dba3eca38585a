"""Demo sessions for the next three weeks of each service, some of them booked."""

import random
from datetime import time, timedelta

from sqlalchemy import func, select

from webapp.appointments.errors import AppointmentError
from webapp.appointments.models import AppointmentSession
from webapp.appointments.rules import SERVICES
from webapp.appointments.services import Applicant, book_seat
from webapp.appointments.staff_services import SessionPlan, publish_sessions
from webapp.common import clock
from webapp.common.identifiers import id_number_check_char
from webapp.extensions import db

# (service, weekday, start, end, place, capacity)
DEMO_PLANS = (
    ("motorcycle_exam", 1, time(9), time(11, 30), "摩托车考场", 20),
    ("motorcycle_exam", 3, time(14, 30), time(17), "摩托车考场", 20),
    ("licence_renewal", 0, time(9), time(11, 30), "车管大厅 2号窗口", 15),
    ("licence_renewal", 2, time(14, 30), time(17), "车管大厅 2号窗口", 15),
    ("review_education", 4, time(9), time(12), "大队三楼教育室", 30),
)
DEMO_NAMES = ("张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "赵磊", "黄敏", "周杰", "吴婷")


def _demo_id_number(rng: random.Random, index: int) -> str:
    first17 = f"140302{1975 + index % 25}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first17 + id_number_check_char(first17)


def load_demo_sessions() -> str | None:
    if db_has_sessions():
        return None
    today = clock.local_today()
    published = []
    for service, weekday, start, end, place, capacity in DEMO_PLANS:
        first = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        plan = SessionPlan(service, first, start, end, place, capacity)
        published += publish_sessions(plan, weekly_until=first + timedelta(days=14))
    booked = _book_some(published)
    return f"published {len(published)} sessions, booked {booked} seats"


def db_has_sessions() -> bool:
    return bool(db.session.scalar(select(func.count(AppointmentSession.id))))


def _book_some(sessions) -> int:
    rng = random.Random(40)  # noqa: S311  (demo data, not secrets)
    last_day = clock.local_today() + timedelta(days=10)
    booked = 0
    for session in sessions:
        if session.day > last_day:
            continue
        for _ in range(rng.randint(2, 5)):
            try:
                book_seat(session.service, session.id, _demo_applicant(rng, booked, session))
            except AppointmentError:  # a refused seat (a rule, or the session full)
                continue
            booked += 1
    return booked


def _demo_applicant(rng: random.Random, index: int, session) -> Applicant:
    rule = SERVICES[session.service]
    return Applicant(
        full_name=DEMO_NAMES[index % len(DEMO_NAMES)],
        id_number=_demo_id_number(rng, index),
        phone=f"139{rng.randint(10_000_000, 99_999_999)}",
        subject=rng.randint(1, 4) if rule.is_exam else None,
        licence_class=rule.licence_classes[0] if rule.licence_classes else None,
        licence_expiry=session.day + timedelta(days=30)
        if "licence_expiry" in rule.fields
        else None,
    )
