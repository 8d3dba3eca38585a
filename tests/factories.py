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
