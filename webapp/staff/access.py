"""The one guard for staff pages: login required, roles named on every view."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from webapp.common.clock import utcnow
from webapp.errors import DATABASE_UNAVAILABLE_KEY
from webapp.extensions import db, login_manager
from webapp.security import same_site_path
from webapp.staff.models import User

PUBLIC_STAFF_ENDPOINTS = frozenset({"staff.login", "staff.login_code"})
# Reachable while a required step (new password, two-factor enrolment) is pending.
ALWAYS_REACHABLE = frozenset({"staff.logout"})


@login_manager.user_loader
def load_user(user_id: str):
    """Load the account named in the cookie unless its session version is stale.

    Once the request has found the database unavailable, no one is loaded: the 503
    page is drawn for an anonymous visitor instead of failing again on the account.
    """
    if g.get(DATABASE_UNAVAILABLE_KEY):
        return None
    try:
        raw_id, raw_version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    except SQLAlchemyError:
        setattr(g, DATABASE_UNAVAILABLE_KEY, True)
        raise
    if user is None or not user.active or str(user.session_version) != raw_version:
        return None
    return user


def requires_role(*roles):
    """Allow the view to staff with any of these roles (admin always; none named: any staff)."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_any_role(roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = frozenset(roles)
        return guarded

    return decorator


def guard_staff_area():
    """Before every /staff/ request: log in first, and end sessions idle too long."""
    if request.endpoint in PUBLIC_STAFF_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    last_seen = session.get("staff_seen")
    now = utcnow().timestamp()
    idle_limit = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    if last_seen is not None and now - last_seen > idle_limit:
        logout_user()
        session.pop("staff_seen", None)
        return redirect(url_for("staff.login", next=same_site_path()))
    session["staff_seen"] = now
    step = required_step(current_user)
    if step and request.endpoint not in ALWAYS_REACHABLE | {step}:
        return redirect(url_for(step))
    return None


def required_step(user) -> str | None:
    """The screen a user must pass before any other: a forced password change, then
    (for admins, issue 7) enrolling a second factor."""
    if user.must_change_password:
        return "staff.change_password"
    if user.needs_totp_enrolment:
        return "staff.totp_enrol"
    return None


def is_safe_next(target: str | None) -> bool:
    """Only local paths: never another host, never a scheme, never `//`, and no white space
    or control characters (browsers drop a tab or newline, making `/<TAB>/evil` mean `//evil`)."""
    if not target or any(char.isspace() or not char.isprintable() for char in target):
        return False
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
