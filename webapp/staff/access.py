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
# Reachable while a required step (new password, two-factor enrolment) is pending:
# enrolling may first ask for the password again.
ALWAYS_REACHABLE = frozenset({"staff.logout", "staff.confirm_password"})
# When this session's user last typed their password (a login or a confirmation).
CONFIRMED_KEY = "password_confirmed"


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
        session.pop(CONFIRMED_KEY, None)
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


def note_password_confirmed(user) -> None:
    """The user has just typed their password right: open the re-authentication window."""
    session[CONFIRMED_KEY] = {"user": user.id, "at": utcnow().timestamp()}


def password_recently_confirmed(user) -> bool:
    """Whether this session's user typed their password within REAUTH_WINDOW_SECONDS."""
    confirmed = session.get(CONFIRMED_KEY) or {}
    if confirmed.get("user") != user.id:
        return False
    age = utcnow().timestamp() - confirmed.get("at", 0)
    return 0 <= age <= current_app.config["REAUTH_WINDOW_SECONDS"]


def requires_recent_password(back: str | None = None):
    """Ask for the password again before a sensitive change ("sudo mode"), unless the
    user typed it within REAUTH_WINDOW_SECONDS. Put it under `requires_role`.

    A GET comes back to its own page once confirmed. A POST cannot be repeated by a
    redirect, so it comes back to the `back` endpoint's page (built with the view's own
    arguments), or to its own address when the same URL shows the form.
    """

    def decorator(view):
        @wraps(view)
        def confirmed_first(*args, **kwargs):
            if password_recently_confirmed(current_user):
                return view(*args, **kwargs)
            if request.method == "GET":
                target = request.full_path.rstrip("?")
            elif back:
                target = _back_url(back)
            else:
                target = request.path
            return redirect(url_for("staff.confirm_password", next=target))

        confirmed_first.requires_recent_password = True
        return confirmed_first

    return decorator


def _back_url(endpoint: str) -> str:
    """The endpoint's address, with those of the view's arguments that its rule takes."""
    if endpoint.startswith("."):
        endpoint = f"{request.blueprint}{endpoint}"
    takes = set().union(*(rule.arguments for rule in current_app.url_map.iter_rules(endpoint)))
    values = {name: value for name, value in (request.view_args or {}).items() if name in takes}
    return url_for(endpoint, **values)


def acting_user():
    """The logged-in staff member, as verbs record who acted."""
    return current_user._get_current_object()
