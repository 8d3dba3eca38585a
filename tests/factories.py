"""Plain factory functions with defaults; each builds the parents it needs."""

import itertools

import pyotp

from webapp.extensions import db
from webapp.staff.models import ResponseTemplate, User
from webapp.staff.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def create_user(
    *, username=None, roles=(Role.HAZARD_OFFICER,), password=DEFAULT_PASSWORD, active=True, **fields
) -> User:
    if Role.ADMIN in roles:
        # Admins must use two-factor login; without a secret every page sends them to enrol.
        fields.setdefault("totp_secret", pyotp.random_base32())
    user = User(username=username or f"officer{next(_numbers)}", active=active, **fields)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# --- Back office -------------------------------------------------------------------


def create_response_template(
    *, subject_type="hazard", state="investigating", title="已受理", **fields
) -> ResponseTemplate:
    template = ResponseTemplate(
        subject_type=subject_type,
        state=state,
        title=title,
        body_zh=fields.pop("body_zh", "您反映的隐患已受理，正在排查。"),
        body_en=fields.pop("body_en", "Your report has been accepted and is being investigated."),
        **fields,
    )
    db.session.add(template)
    db.session.commit()
    return template
