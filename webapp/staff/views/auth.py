from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.common.clock import utcnow
from webapp.extensions import limiter
from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import acting_user, is_safe_next, note_password_confirmed, requires_role
from webapp.staff.accounts import get_account
from webapp.staff.forms import CodeForm, ConfirmPasswordForm, LoginForm
from webapp.staff.services import (
    AccountError,
    LoginRefused,
    authenticate,
    end_all_sessions,
)
from webapp.staff.services import (
    confirm_password as confirm_own_password,
)
from webapp.staff.totp import verify_login_code

PENDING_KEY = "pending_login"
PENDING_SECONDS = 300  # the code step must follow the password step within 5 minutes


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.inbox"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, ip=client_ip())
        except LoginRefused as refused:
            form.password.errors.append(refused.message)
        else:
            target = request.args.get("next")
            target = target if is_safe_next(target) else url_for("staff.inbox")
            _start_fresh_session()
            if user.has_totp:
                session[PENDING_KEY] = {"user": user.id, "at": utcnow().timestamp(), "next": target}
                return redirect(url_for("staff.login_code"))
            login_user(user)
            note_password_confirmed(user)
            return redirect(target)
    return render_template("staff/login.html", form=form)


def _pending_user():
    pending = session.get(PENDING_KEY) or {}
    if utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_account(pending.get("user", 0))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_code():
    """The login's second step: the code from the user's authenticator app."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Your login has timed out. Log in again."))
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            verify_login_code(user, form.code.data, ip=client_ip())
        except LoginRefused as refused:
            session.pop(PENDING_KEY, None)
            flash(refused.message)
            return redirect(url_for("staff.login"))
        except AccountError as wrong:
            form.code.errors.append(wrong.message)
        else:
            target = session[PENDING_KEY]["next"]
            _start_fresh_session()
            login_user(user)
            note_password_confirmed(user)  # typed with the code a moment ago
            return redirect(target)
    return render_template("staff/login-code.html", form=form)


@bp.route("/confirm-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@requires_role()
def confirm_password():
    """Ask for the password again before a sensitive change ("sudo mode")."""
    target = request.args.get("next")
    target = target if is_safe_next(target) else url_for("staff.inbox")
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        user = acting_user()
        try:
            confirm_own_password(user, form.password.data, ip=client_ip())
        except AccountError as refused:
            form.password.errors.append(refused.message)
        else:
            note_password_confirmed(user)
            return redirect(target)
    minutes = max(1, current_app.config["REAUTH_WINDOW_SECONDS"] // 60)
    return render_template("staff/confirm-password.html", form=form, minutes=minutes)


def _start_fresh_session() -> None:
    """A new session at login (no fixation); the reader's language is kept."""
    keep = {key: session[key] for key in ("lang", "text") if key in session}
    session.clear()
    session.update(keep)


@bp.route("/logout", methods=["POST"])
@requires_role()
def logout():
    end_all_sessions(acting_user(), ip=client_ip())
    logout_user()
    _start_fresh_session()
    flash(_("You have been logged out."))
    return redirect(url_for("staff.login"))
