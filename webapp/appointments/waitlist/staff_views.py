"""Back office: close a session's waiting list (the line itself is on the session's page)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from webapp.appointments import staff_bp as bp
from webapp.appointments.forms import ResultForm
from webapp.appointments.waitlist.services import close_waitlist, get_session
from webapp.security import client_ip
from webapp.staff.access import acting_user, requires_role
from webapp.staff.roles import Role


@bp.route("/sessions/<int:session_id>/waitlist/close", methods=["POST"])
@requires_role(Role.BOOKING_CLERK)
def close_waitlist_page(session_id):
    get_session(session_id) or abort(404)
    if ResultForm().validate_on_submit():
        closed = close_waitlist(session_id, actor=acting_user(), ip=client_ip())
        flash(_("The waiting list is closed; %(count)d places in it ended.", count=closed))
    return redirect(url_for(".session_detail", session_id=session_id))
