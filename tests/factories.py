"""Plain factory functions with defaults; each builds the parents it needs."""

import itertools

from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def create_user(
    *, username=None, roles=(Role.HAZARD_OFFICER,), password=DEFAULT_PASSWORD, active=True, **fields
) -> User:
    user = User(username=username or f"officer{next(_numbers)}", active=active, **fields)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# --- Hazard reports ------------------------------------------------------------

from webapp.common.clock import utcnow  # noqa: E402
from webapp.common.identifiers import make_reference  # noqa: E402
from webapp.common.workflow import record_event  # noqa: E402
from webapp.hazards.models import HazardReport  # noqa: E402
from webapp.hazards.states import HazardState  # noqa: E402


def create_hazard_report(
    *,
    state=HazardState.SUBMITTED,
    category="guardrail",
    location="北大街与桃北西街交叉口",
    description="护栏被撞坏，断口朝向人行道，行人经过有危险。",
    created_at=None,
    **fields,
) -> HazardReport:
    created_at = created_at or utcnow()
    report = HazardReport(
        reference=fields.pop("reference", None) or make_reference("H", created_at.date()),
        category=category,
        location=location,
        description=description,
        state=state,
        created_at=created_at,
        state_changed_at=created_at,
        **fields,
    )
    db.session.add(report)
    db.session.flush()
    record_event(report, to_state=HazardState.SUBMITTED)
    db.session.commit()
    return report
