"""The applicant's waiting-list pages: join, the confirmation, answer an offer, see or leave."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from webapp.appointments import bp
from webapp.appointments.errors import AppointmentError
from webapp.appointments.rules import service_rule
from webapp.appointments.services import Applicant
from webapp.appointments.views import BOOKING_KEY, WAITLIST_KEY
from webapp.appointments.waitlist.forms import OfferForm, WaitlistForm
from webapp.appointments.waitlist.services import (
    confirm_offer,
    decline_offer,
    get_entry,
    join_waitlist,
    last_waiting_day,
    leave_waitlist,
    position,
)
from webapp.appointments.waitlist.services import get_session as _get_session
from webapp.extensions import limiter
from webapp.i18n import current_language
from webapp.notifications.limits import message_form_limit


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


@bp.route("/appointments/<service>/waitlist", methods=["GET", "POST"])
@message_form_limit()
def join_waitlist_page(service):
    rule = service_rule(service) or abort(404)
    session_id = request.args.get("session_id", type=int)
    wanted = _get_session(session_id) if session_id else None
    if session_id and (wanted is None or wanted.service != service):
        abort(404)
    form = WaitlistForm(rule, by_days=wanted is None, session_id=session_id)
    problem = None  # a refusal about the session or the list, not about one field
    if form.validate_on_submit():
        applicant = Applicant(**form.applicant_fields(), language=current_language())
        days = None if wanted else (form.first_day.data, form.last_day.data)
        try:
            entry = join_waitlist(
                service, applicant, session_id=session_id, days=days, email=form.email.data
            )
        except AppointmentError as error:
            if error.field in form and error.field != "session_id":
                form[error.field].errors.append(error.message)
            else:
                problem = error.message
        else:
            session[WAITLIST_KEY] = entry.id
            return redirect(url_for(".waitlist_joined"))
    return render_template(
        "appointments/waitlist/join.html",
        form=form,
        rule=rule,
        wanted=wanted,
        problem=problem,
        last_day=last_waiting_day(),
    )


def _own_entry():
    return get_entry(session.get(WAITLIST_KEY)) or abort(404)


@bp.route("/appointments/waitlist/joined")
def waitlist_joined():
    entry = _own_entry()
    return render_template(
        "appointments/waitlist/joined.html", entry=entry, position=position(entry)
    )


@bp.route("/appointments/waitlist/offer", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@message_form_limit()
def waitlist_offer():
    form = OfferForm(reference=request.args.get("ref", ""))
    if form.validate_on_submit():
        try:
            if "decline" in request.form:
                decline_offer(form.reference.data, form.id_number.data)
            else:
                booking = confirm_offer(form.reference.data, form.id_number.data)
        except AppointmentError as error:
            form.reference.errors.append(error.message)
        else:
            if "decline" in request.form:
                flash(_("You have declined the seat. It goes to the next person in line."))
                return redirect(url_for(".services"))
            session[BOOKING_KEY] = booking.id
            return redirect(url_for(".confirmation"))
    return render_template("appointments/waitlist/offer.html", form=form)


@bp.route("/appointments/manage/waitlist")
def manage_waitlist():
    entry = get_entry(session.get(WAITLIST_KEY))
    if entry is None:
        return redirect(url_for(".manage"))
    return render_template(
        "appointments/waitlist/manage.html", entry=entry, position=position(entry)
    )


@bp.route("/appointments/manage/waitlist/leave", methods=["POST"])
@limiter.limit(_lookup_limit)
def leave_waitlist_page():
    entry = _own_entry()
    try:
        leave_waitlist(entry.id)
    except AppointmentError as error:
        flash(str(error.message))
    else:
        flash(_("You have left the waiting list."))
    return redirect(url_for(".manage_waitlist"))
