"""Account management (admin only): list, create, roles, password reset, deactivation.

Every change asks for the admin's password again unless it was typed recently: a
live session alone must not make an account, grant a role or take over a colleague's
login by resetting their password or second factor.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.common.confirmation import Confirmation, is_confirmed, render_confirmation
from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import acting_user, requires_recent_password, requires_role
from webapp.staff.accounts import (
    change_roles,
    create_account,
    deactivate_account,
    get_account,
    list_accounts,
    reactivate_account,
    reset_password,
    reset_two_factor,
)
from webapp.staff.forms import AccountForm, ResetPasswordForm, RolesForm
from webapp.staff.roles import ROLE_LABELS, Role
from webapp.staff.services import AccountError, UsernameTaken


def _account_or_404(user_id: int):
    return get_account(user_id) or abort(404)


@bp.route("/accounts/")
@requires_role(Role.ADMIN)
def account_list():
    return render_template("staff/accounts.html", accounts=list_accounts(), role_labels=ROLE_LABELS)


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
@requires_recent_password()
def account_new():
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = create_account(
                username=form.username.data,
                display_name=form.display_name.data,
                password=form.new_password.data,
                roles=form.roles.data,
                actor=acting_user(),
                ip=client_ip(),
            )
        except UsernameTaken as problem:
            form.username.errors.append(problem.message)
        except AccountError as problem:
            form.new_password.errors.append(problem.message)
        else:
            flash(
                _("Account %(name)s created. Give them the password in person.", name=user.username)
            )
            return redirect(url_for("staff.account_detail", user_id=user.id))
    return render_template("staff/account-new.html", form=form)


def _render_detail(user, *, roles_form=None, password_form=None, problem=None):
    roles_form = roles_form or RolesForm(formdata=None, data={"roles": list(user.roles)})
    return render_template(
        "staff/account-detail.html",
        account=user,
        roles_form=roles_form,
        password_form=password_form or ResetPasswordForm(formdata=None),
        problem=problem,
        role_labels=ROLE_LABELS,
    )


@bp.route("/accounts/<int:user_id>")
@requires_role(Role.ADMIN)
def account_detail(user_id):
    return _render_detail(_account_or_404(user_id))


@bp.route("/accounts/<int:user_id>/roles", methods=["POST"])
@requires_role(Role.ADMIN)
@requires_recent_password(back="staff.account_detail")
def account_roles(user_id):
    user = _account_or_404(user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            change_roles(user, form.roles.data, actor=acting_user(), ip=client_ip())
        except AccountError as problem:
            form.roles.errors.append(problem.message)
        else:
            flash(_("The roles have been changed."))
            return redirect(url_for("staff.account_detail", user_id=user.id))
    return _render_detail(user, roles_form=form)


@bp.route("/accounts/<int:user_id>/password", methods=["POST"])
@requires_role(Role.ADMIN)
@requires_recent_password(back="staff.account_detail")
def account_password(user_id):
    user = _account_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(
                user, new_password=form.new_password.data, actor=acting_user(), ip=client_ip()
            )
        except AccountError as problem:
            form.new_password.errors.append(problem.message)
        else:
            flash(_("The password has been reset. They must choose a new one at next login."))
            return redirect(url_for("staff.account_detail", user_id=user.id))
    return _render_detail(user, password_form=form)


@bp.route("/accounts/<int:user_id>/active", methods=["POST"])
@requires_role(Role.ADMIN)
@requires_recent_password(back="staff.account_detail")
def account_active(user_id):
    user = _account_or_404(user_id)
    deactivating = request.form.get("active") != "1"
    if deactivating and user.active and not is_confirmed():
        return render_confirmation(_deactivation(user), layout="staff/layout.html")
    try:
        if not deactivating:
            reactivate_account(user, actor=acting_user(), ip=client_ip())
            flash(_("The account can log in again."))
        else:
            deactivate_account(user, actor=acting_user(), ip=client_ip())
            flash(_("The account has been deactivated and logged out everywhere."))
    except AccountError as problem:
        return _render_detail(user, problem=problem.message)
    return redirect(url_for("staff.account_detail", user_id=user.id))


def _deactivation(user) -> Confirmation:
    return Confirmation(
        title=_("Deactivate the account %(name)s?", name=user.username),
        action=url_for("staff.account_active", user_id=user.id),
        button=_("Deactivate the account"),
        back_url=url_for("staff.account_detail", user_id=user.id),
        back_label=_("No, keep it active"),
        facts=[(_("User name"), user.username), (_("Name"), user.display_name)],
        consequences=[
            _("They are logged out everywhere at once."),
            _("They cannot log in until an admin reactivates the account."),
        ],
        carry=[("active", "0")],
    )


@bp.route("/accounts/<int:user_id>/two-factor", methods=["POST"])
@requires_role(Role.ADMIN)
@requires_recent_password(back="staff.account_detail")
def account_two_factor(user_id):
    user = _account_or_404(user_id)
    reset_two_factor(user, actor=acting_user(), ip=client_ip())
    flash(_("Two-factor login has been reset; they enrol again at next login."))
    return redirect(url_for("staff.account_detail", user_id=user.id))
