import secrets

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.staff.models import ResponseTemplate, User
from webapp.staff.roles import Role
from webapp.staff.services import create_user
from webapp.transactions import transactional

DEMO_STAFF = (
    ("hazards", Role.HAZARD_OFFICER, "王警官"),
    ("bookings", Role.BOOKING_CLERK, "李警官"),
    ("education", Role.EDUCATION_OFFICER, "赵警官"),
)


@transactional
def load_demo_staff() -> str | None:
    if db.session.scalar(select(func.count(User.id))):
        return None
    password = secrets.token_urlsafe(12)
    create_user("admin", password=password, roles=[Role.ADMIN], display_name="管理员")
    for username, role, name in DEMO_STAFF:
        create_user(username, password=password, roles=[role], display_name=name)
    names = ", ".join(["admin"] + [username for username, _, _ in DEMO_STAFF])
    return f"created {names}; each logs in with the password {password}"


DEMO_TEMPLATES = (
    (
        "hazard",
        "investigating",
        "已受理",
        "您反映的道路隐患已受理，我们将尽快到现场排查。",
        "Your report has been accepted; officers will investigate on site soon.",
    ),
    (
        "hazard",
        "rectifying",
        "已转办整改",
        "经现场排查，该隐患已函告责任单位整改，整改完成后将销号。",
        "Officers confirmed the hazard and referred it to the responsible body for repair.",
    ),
    (
        "hazard",
        "closed",
        "已整改销号",
        "该隐患已整改完毕并销号，感谢您对道路交通安全的关注。",
        "The hazard has been put right and the report is closed. Thank you.",
    ),
    (
        "training",
        "scheduled",
        "已安排培训",
        "您单位的培训已安排，请按约定时间组织员工参加。",
        "Your training session is scheduled; please bring your employees at the agreed time.",
    ),
)


@transactional
def load_demo_response_templates() -> str | None:
    if db.session.scalar(select(func.count(ResponseTemplate.id))):
        return None
    for subject_type, state, title, body_zh, body_en in DEMO_TEMPLATES:
        db.session.add(
            ResponseTemplate(
                subject_type=subject_type,
                state=state,
                title=title,
                body_zh=body_zh,
                body_en=body_en,
            )
        )
    return f"added {len(DEMO_TEMPLATES)} response templates"
