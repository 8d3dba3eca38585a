"""Partners' API keys in the back office (admins only): list, issue, revoke.

Issuing and revoking ask for the password again unless it was typed recently.
"""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.open311 import staff_bp as bp
from webapp.open311.services import KeyNotFound, issue_key, list_keys, revoke_key
from webapp.open311.staff_forms import KeyForm, RevokeForm
from webapp.security import client_ip
from webapp.staff.access import (
    acting_user,
    guard_staff_area,
    requires_recent_password,
    requires_role,
)
from webapp.staff.roles import Role

bp.before_request(guard_staff_area)


@bp.route("/keys/")
@requires_role(Role.ADMIN)
def key_list():
    return render_template("open311/keys.html", keys=list_keys())


@bp.route("/keys/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
@requires_recent_password()
def key_new():
    form = KeyForm()
    if not form.validate_on_submit():
        return render_template("open311/key-new.html", form=form)
    key, token = issue_key(name=form.name.data, actor=acting_user(), ip=client_ip())
    # The token is shown on this answer only: never stored, never cached.
    response = make_response(render_template("open311/key-issued.html", key=key, token=token))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/keys/<int:key_id>/revoke", methods=["POST"])
@requires_role(Role.ADMIN)
@requires_recent_password(back=".key_list")
def key_revoke(key_id: int):
    if RevokeForm().validate_on_submit():
        try:
            key = revoke_key(key_id, actor=acting_user(), ip=client_ip())
        except KeyNotFound:
            abort(404)
        flash(_("The key of %(name)s is revoked: it is refused from now on.", name=key.name))
    return redirect(url_for(".key_list"))
