"""The signed-in user's own account: password change and two-factor enrolment.

Both ask for the password: the change in its own form (the current password, every
time), the enrolment through the confirmation page unless it was typed recently.
"""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import (
    acting_user,
    note_password_confirmed,
    requires_recent_password,
    requires_role,
)
from webapp.staff.accounts import change_own_password
from webapp.staff.forms import ChangePasswordForm, CodeForm
from webapp.staff.services import AccountError, AccountLocked, WrongPassword
from webapp.staff.totp import confirm_enrolment, new_secret, provisioning_uri
from webapp.templating import brigade_name

ENROL_KEY = "totp_enrol_secret"


@bp.route("/account/password", methods=["GET", "POST"])
@requires_role()
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = acting_user()
        try:
            change_own_password(
                user,
                current=form.current_password.data,
                new=form.new_password.data,
                ip=client_ip(),
            )
        except (WrongPassword, AccountLocked) as refused:
            form.current_password.errors.append(refused.message)
        except AccountError as problem:
            form.new_password.errors.append(problem.message)
        else:
            login_user(user)  # the change ended every session, this one included
            note_password_confirmed(user)
            flash(_("Your password has been changed."))
            return redirect(url_for("staff.inbox"))
    return render_template(
        "staff/change-password.html", form=form, forced=current_user.must_change_password
    )


@bp.route("/account/two-factor", methods=["GET", "POST"])
@requires_role()
@requires_recent_password()
def totp_enrol():
    secret = session.get(ENROL_KEY) or new_secret()
    session[ENROL_KEY] = secret
    form = CodeForm()
    if form.validate_on_submit():
        try:
            confirm_enrolment(
                acting_user(),
                secret=secret,
                code=form.code.data,
                ip=client_ip(),
            )
        except AccountError as wrong:
            form.code.errors.append(wrong.message)
        else:
            session.pop(ENROL_KEY, None)
            flash(_("Two-factor login is on. From now on, login asks for a code."))
            return redirect(url_for("staff.inbox"))
    issuer = current_app.config.get("BRIGADE_NAME") or brigade_name()
    return render_template(
        "staff/two-factor.html",
        form=form,
        secret=secret,
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        uri=provisioning_uri(current_user, secret, issuer=issuer),
        required=current_user.needs_totp_enrolment,
    )
