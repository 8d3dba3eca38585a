import secrets

from sqlalchemy import func, select

from webapp.demo import demo_loader
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.staff.services import create_user

DEMO_STAFF = (
    ("hazards", Role.HAZARD_OFFICER, "王警官"),
    ("bookings", Role.BOOKING_CLERK, "李警官"),
    ("education", Role.EDUCATION_OFFICER, "赵警官"),
)


@demo_loader(10, "staff accounts")
def load_demo_staff() -> str | None:
    if db.session.scalar(select(func.count(User.id))):
        return None
    password = secrets.token_urlsafe(12)
    create_user("admin", password=password, roles=[Role.ADMIN], display_name="管理员")
    for username, role, name in DEMO_STAFF:
        create_user(username, password=password, roles=[role], display_name=name)
    names = ", ".join(["admin"] + [username for username, _, _ in DEMO_STAFF])
    return f"created {names}; each logs in with the password {password}"
