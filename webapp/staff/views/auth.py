from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.extensions import limiter
from webapp.staff import bp
from webapp.staff.access import is_safe_next, requires_role
from webapp.staff.forms import LoginForm
from webapp.staff.services import LoginRefused, authenticate, end_all_sessions


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(
                form.username.data, form.password.data, ip=request.remote_addr or ""
            )
        except LoginRefused as refused:
            form.password.errors.append(refused.message)
        else:
            _start_fresh_session()
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))
    return render_template("staff/login.html", form=form)


def _start_fresh_session() -> None:
    """A new session at login (no fixation); the reader's language is kept."""
    keep = {key: session[key] for key in ("lang", "text") if key in session}
    session.clear()
    session.update(keep)


@bp.route("/logout", methods=["POST"])
@requires_role()
def logout():
    end_all_sessions(current_user._get_current_object(), ip=request.remote_addr or "")
    logout_user()
    _start_fresh_session()
    flash(_("You have been logged out."))
    return redirect(url_for("staff.login"))
