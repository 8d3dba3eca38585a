"""Back office: close a session's waiting list (the line itself is on the session's page)."""

from flask import abort, flash, redirect, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from webapp.appointments import staff_bp as bp
from webapp.appointments.forms import ResultForm
from webapp.appointments.waitlist.services import (
    close_waitlist,
    get_session,
    places_ended_by_closing,
)
from webapp.common.confirmation import Confirmation, is_confirmed, render_confirmation
from webapp.security import client_ip
from webapp.staff.access import acting_user, requires_role
from webapp.staff.roles import Role


@bp.route("/sessions/<int:session_id>/waitlist/close", methods=["POST"])
@requires_role(Role.BOOKING_CLERK)
def close_waitlist_page(session_id):
    """Say who will be told and ask to confirm (nothing changes before), then close."""
    session = get_session(session_id) or abort(404)
    if not ResultForm().validate_on_submit():
        return redirect(url_for(".session_detail", session_id=session_id))
    if not is_confirmed():
        return render_confirmation(_close_confirmation(session), layout="staff/layout.html")
    closed = close_waitlist(session_id, actor=acting_user(), ip=client_ip())
    flash(_("The waiting list is closed; %(count)d places in it ended.", count=closed))
    return redirect(url_for(".session_detail", session_id=session_id))


def _close_confirmation(session) -> Confirmation:
    told = places_ended_by_closing(session.id)
    return Confirmation(
        title=_("Close this session's waiting list?"),
        action=url_for(".close_waitlist_page", session_id=session.id),
        button=_("Close the list and tell those waiting"),
        back_url=url_for(".session_detail", session_id=session.id),
        back_label=_("No, keep the list open"),
        facts=[
            (
                _("Session"),
                f"{session.service_label} · {format_date(session.day)} {session.time_range}",
            ),
            (_("People told"), ngettext("%(num)d person", "%(num)d people", told)),
        ],
        consequences=[
            _(
                "Everyone waiting for this session alone leaves the line and gets a text message; an offer already made stands."
            ),
            _("Nobody can join the list again."),
        ],
    )
