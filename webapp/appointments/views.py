"""The applicant's pages: choose a service, book, confirm, and manage a booking."""

from itertools import groupby

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _

from webapp.appointments import bp
from webapp.appointments.calendar import booking_ics
from webapp.appointments.errors import AppointmentError, SessionFull
from webapp.appointments.forms import BookingForm, LookupForm, MoveForm
from webapp.appointments.rules import SERVICES, service_rule
from webapp.appointments.services import (
    Applicant,
    book_seat,
    cancel_booking,
    check_application,
    cutoff_hours,
    find_booking,
    get_booking,
    move_booking,
    sessions_on_offer,
)
from webapp.appointments.waitlist.services import find_entry, is_waitlist_reference
from webapp.common import clock
from webapp.common.confirmation import Confirmation, is_confirmed, render_confirmation
from webapp.extensions import limiter
from webapp.i18n import current_language
from webapp.notifications.limits import message_form_limit
from webapp.page_cache import cached_page
from webapp.templating import brigade_name

BOOKING_KEY = "appointment_booking"
WAITLIST_KEY = "appointment_waitlist"


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


def _by_day(sessions) -> list:
    return [(day, list(group)) for day, group in groupby(sessions, key=lambda s: s.day)]


@bp.route("/appointments/")
@cached_page
def services():
    return render_template("appointments/services.html", services=SERVICES.values())


@bp.route("/appointments/<service>/", methods=["GET", "POST"])
@message_form_limit(exempt_when=lambda: "confirm" not in request.form)
@cached_page
def book(service):
    rule = service_rule(service) or abort(404)
    offered = sessions_on_offer(service)
    if request.method == "GET" and "session_id" not in request.args:
        # The first step is a plain list: no form token, no cookie, cheap to serve.
        return render_template(
            "appointments/sessions.html",
            rule=rule,
            days=_by_day(offered),
            nothing_free=all(s.is_full for s in offered),
        )
    form = BookingForm(rule, session_id=request.args.get("session_id", type=int))
    full = False
    if form.validate_on_submit() and "edit" not in request.form:
        applicant = Applicant(**form.applicant_fields(), language=current_language())
        try:
            if "confirm" not in request.form:
                notices = check_application(service, form.session_id.data, applicant)
                chosen = next(s for s in offered if s.id == form.session_id.data)
                return render_template(
                    "appointments/review.html", form=form, rule=rule, chosen=chosen, notices=notices
                )
            booking = book_seat(service, form.session_id.data, applicant)
        except AppointmentError as error:
            full = isinstance(error, SessionFull)
            form[error.field].errors.append(error.message)
            offered = sessions_on_offer(service)
        else:
            session[BOOKING_KEY] = booking.id
            return redirect(url_for(".confirmation"))
    return render_template(
        "appointments/book.html", form=form, rule=rule, days=_by_day(offered), full=full
    )


def _own_booking():
    return get_booking(session.get(BOOKING_KEY)) or abort(404)


@bp.route("/appointments/confirmation")
def confirmation():
    booking = _own_booking()
    return render_template(
        "appointments/confirmation.html", booking=booking, rule=service_rule(booking.service)
    )


@bp.route("/appointments/confirmation.ics")
def calendar_file():
    booking = _own_booking()
    return Response(
        booking_ics(booking, brigade=brigade_name()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{booking.reference}.ics"'},
    )


@bp.route("/appointments/manage", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
def manage():
    form = LookupForm()
    if form.validate_on_submit():
        try:
            if is_waitlist_reference(form.reference.data):
                entry = find_entry(form.reference.data, form.id_number.data)
            else:
                booking = find_booking(form.reference.data, form.id_number.data)
        except AppointmentError as error:
            form.reference.errors.append(error.message)
        else:
            if is_waitlist_reference(form.reference.data):
                session[WAITLIST_KEY] = entry.id
                return redirect(url_for(".manage_waitlist"))
            session[BOOKING_KEY] = booking.id
            return redirect(url_for(".manage_booking"))
    return render_template("appointments/lookup.html", form=form)


@bp.route("/appointments/manage/booking")
def manage_booking():
    booking = get_booking(session.get(BOOKING_KEY))
    if booking is None:
        return redirect(url_for(".manage"))
    return render_template(
        "appointments/manage.html",
        booking=booking,
        rule=service_rule(booking.service),
        can_change=booking.can_change(clock.utcnow(), cutoff_hours=cutoff_hours()),
    )


@bp.route("/appointments/manage/cancel", methods=["POST"])
@message_form_limit(exempt_when=lambda: not is_confirmed())
def cancel():
    """Show what will be lost and ask to confirm (nothing changes before), then cancel."""
    booking = _own_booking()
    if not is_confirmed():
        return render_confirmation(_cancel_confirmation(booking))
    try:
        cancel_booking(booking.id)
    except AppointmentError as error:
        flash(str(error.message))
    else:
        flash(_("Your booking has been cancelled. The seat is free for someone else."))
    return redirect(url_for(".manage_booking"))


def _cancel_confirmation(booking) -> Confirmation:
    session_ = booking.session
    return Confirmation(
        title=_("Cancel your booking?"),
        action=url_for(".cancel"),
        button=_("Yes, cancel my booking"),
        back_url=url_for(".manage_booking"),
        back_label=_("No, keep my booking"),
        facts=[
            (_("Reference"), booking.reference),
            (_("Service"), session_.service_label),
            (_("Session"), f"{format_date(session_.day, 'full')} {session_.time_range}"),
            (_("Place"), session_.place),
        ],
        consequences=[
            _("Your seat on this session goes to someone else at once: it cannot be given back."),
            _("To come another time you must book again, on a session that still has seats."),
            _("This booking slip and its reference will no longer be valid."),
        ],
    )


@bp.route("/appointments/manage/move", methods=["GET", "POST"])
@message_form_limit()
def move():
    booking = _own_booking()
    offered = sessions_on_offer(booking.service, exclude_id=booking.session_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move_booking(booking.id, form.session_id.data)
        except AppointmentError as error:
            form.session_id.errors.append(error.message)
            offered = sessions_on_offer(booking.service, exclude_id=booking.session_id)
        else:
            flash(_("Your booking has been moved to the new session."))
            return redirect(url_for(".manage_booking"))
    return render_template(
        "appointments/move.html", form=form, booking=booking, days=_by_day(offered)
    )
