"""Back-office screens of appointments: sessions calendar, roster, results, search."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from webapp.appointments import inbox as _inbox  # noqa: F401  (registers the inbox source)
from webapp.appointments import session_rules
from webapp.appointments import staff_bp as bp
from webapp.appointments import staff_services as ops
from webapp.appointments.errors import AppointmentError
from webapp.appointments.forms import (
    CancelSessionForm,
    CapacityForm,
    CorrectionForm,
    ResultForm,
    SearchForm,
    SessionForm,
)
from webapp.appointments.models import AppointmentSession
from webapp.appointments.rules import SERVICES
from webapp.appointments.states import (
    BOOKING_STATE_LABELS,
    OUTCOME_LABELS,
    RESULT_LABELS,
    ExamResult,
)
from webapp.appointments.waitlist.services import line_counts, line_of
from webapp.common import clock
from webapp.common.confirmation import Confirmation, is_confirmed, render_confirmation
from webapp.common.csv_export import csv_response, record_export
from webapp.common.workflow import TransitionNotAllowed
from webapp.security import client_ip
from webapp.staff.access import acting_user, guard_staff_area, requires_role
from webapp.staff.roles import Role

bp.before_request(guard_staff_area)

CLERK = Role.BOOKING_CLERK


@bp.route("/")
@requires_role(CLERK)
def calendar():
    service = request.args.get("service") if request.args.get("service") in SERVICES else None
    first_day = clock.local_today() - timedelta(days=7)
    sessions = ops.calendar_sessions(first_day=first_day, service=service)
    return render_template(
        "appointments/staff/calendar.html", sessions=sessions, services=SERVICES, service=service
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires_role(CLERK)
def new_session():
    form = SessionForm()
    if form.validate_on_submit():
        plan = ops.SessionPlan(
            service=form.service.data,
            day=form.day.data,
            starts_at=form.starts_at.data,
            ends_at=form.ends_at.data,
            place=form.place.data,
            capacity=form.capacity.data,
        )
        try:
            created = ops.publish_sessions(
                plan, weekly_until=form.weekly_until.data, actor=acting_user(), ip=client_ip()
            )
        except AppointmentError as error:
            form[error.field or "day"].errors.append(error.message)
        else:
            flash(_("%(count)d sessions published.", count=len(created)))
            return redirect(url_for(".calendar"))
    return render_template("appointments/staff/new_session.html", form=form)


def _session_or_404(session_id: int) -> AppointmentSession:
    return ops.get_session(session_id) or abort(404)


@bp.route("/sessions/<int:session_id>")
@requires_role(CLERK)
def session_detail(session_id):
    session = _session_or_404(session_id)
    return _render_session(session, CapacityForm(capacity=session.capacity))


def _render_session(session, capacity_form):
    bookings = ops.roster(session.id)
    return render_template(
        "appointments/staff/session.html",
        session=session,
        bookings=bookings,
        line=line_of(session),
        counts=line_counts(session),
        capacity_form=capacity_form,
        action_form=ResultForm(),
        results=RESULT_LABELS,
        no_show=ExamResult.NO_SHOW,
        started=session_rules.has_started(session),
        correctable={b.id for b in bookings if session_rules.can_correct(b)},
    )


@bp.route("/sessions/<int:session_id>/capacity", methods=["POST"])
@requires_role(CLERK)
def change_capacity(session_id):
    session = _session_or_404(session_id)
    form = CapacityForm()
    if form.validate_on_submit():
        try:
            ops.change_capacity(session.id, form.capacity.data, actor=acting_user(), ip=client_ip())
        except AppointmentError as error:
            form.capacity.errors.append(error.message)
        else:
            flash(_("The number of seats has been changed."))
            return redirect(url_for(".session_detail", session_id=session.id))
    return _render_session(_session_or_404(session_id), form)


@bp.route("/sessions/<int:session_id>/close", methods=["POST"])
@requires_role(CLERK)
def close_session(session_id):
    return _session_action(
        session_id, ops.close_session, _("The session is closed to new bookings.")
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@requires_role(CLERK)
def cancel_session(session_id):
    """Ask for the reason and confirm (nothing changes before), then cancel."""
    session = _session_or_404(session_id)
    form = CancelSessionForm() if is_confirmed() else CancelSessionForm(formdata=None)
    if is_confirmed() and form.validate_on_submit():
        try:
            ops.cancel_session(
                session.id, reason=form.reason.data, actor=acting_user(), ip=client_ip()
            )
        except AppointmentError as error:
            form.reason.errors.append(error.message)
        except TransitionNotAllowed:
            flash(_("This cannot be done to the session in its present state."))
            return redirect(url_for(".session_detail", session_id=session.id))
        else:
            flash(_("The session and every booking on it are cancelled."))
            return redirect(url_for(".session_detail", session_id=session.id))
    return render_confirmation(_cancel_confirmation(session, form), layout="staff/layout.html")


def _cancel_confirmation(session, form) -> Confirmation:
    told = ops.applicants_to_tell(session.id)
    return Confirmation(
        title=_("Cancel this session?"),
        action=url_for(".cancel_session", session_id=session.id),
        button=_("Cancel the session and tell the applicants"),
        back_url=url_for(".session_detail", session_id=session.id),
        back_label=_("No, keep the session"),
        facts=[
            (
                _("Session"),
                f"{session.service_label} · {format_date(session.day)} {session.time_range}",
            ),
            (_("Place"), session.place),
            (_("Applicants told"), ngettext("%(num)d person", "%(num)d people", told)),
        ],
        consequences=[
            ngettext(
                "Its %(num)d booking is cancelled and the applicant gets a text message with your reason.",
                "Its %(num)d bookings are cancelled and each applicant gets a text message with your reason.",
                told,
            ),
            _("A cancelled session cannot be opened again."),
        ],
        form=form,
        fields=["reason"],
        hints={"reason": _("Sent to the applicants and shown on their booking page.")},
    )


def _session_action(session_id, operation, done_message):
    _session_or_404(session_id)
    if ResultForm().validate_on_submit():
        try:
            operation(session_id, actor=acting_user(), ip=client_ip())
        except TransitionNotAllowed:
            flash(_("This cannot be done to the session in its present state."))
        else:
            flash(done_message)
    return redirect(url_for(".session_detail", session_id=session_id))


@bp.route("/sessions/<int:session_id>/roster.csv")
@requires_role(CLERK)
def roster_csv(session_id):
    session = _session_or_404(session_id)
    what = f"roster {session.day.isoformat()} {session.time_range} {session.service}"
    record_export(actor=acting_user(), what=what, ip=client_ip())
    return csv_response(
        f"roster-{session.day.isoformat()}-{session.id}.csv",
        header_line=_(
            "Roster of %(service)s, %(day)s %(time)s, %(place)s, exported by %(user)s at %(when)s",
            service=session.service_label,
            day=session.day.isoformat(),
            time=session.time_range,
            place=session.place,
            user=current_user.username,
            when=f"{clock.local_now():%Y-%m-%d %H:%M}",
        ),
        columns=[
            _("Reference"),
            _("Name"),
            _("ID number"),
            _("Mobile number"),
            _("Subject"),
            _("Licence class"),
            _("Status"),
            _("Checked in"),
            _("Result"),
        ],
        rows=ops.roster_rows(session.id),
    )


@bp.route("/bookings/<int:booking_id>/check-in", methods=["POST"])
@requires_role(CLERK)
def check_in(booking_id):
    return _booking_action(
        booking_id, lambda: ops.check_in(booking_id, actor=acting_user(), ip=client_ip())
    )


@bp.route("/bookings/<int:booking_id>/result", methods=["POST"])
@requires_role(CLERK)
def record_result(booking_id):
    form = ResultForm()
    return _booking_action(
        booking_id,
        lambda: ops.record_result(
            booking_id, form.result.data or "", actor=acting_user(), ip=client_ip()
        ),
        form=form,
    )


def _booking_action(booking_id, operation, form=None):
    booking = ops.get_booking(booking_id) or abort(404)
    session_id = booking.session_id
    if (form or ResultForm()).validate_on_submit():
        try:
            operation()
        except AppointmentError as error:
            named = type(error) is not AppointmentError
            flash(error.message if named else _("This cannot be recorded for this booking."))
        else:
            flash(_("Saved."))
    return redirect(url_for(".session_detail", session_id=session_id))


@bp.route("/bookings/<int:booking_id>/correct", methods=["GET", "POST"])
@requires_role(CLERK)
def correct_outcome(booking_id):
    booking = ops.get_booking(booking_id) or abort(404)
    if not session_rules.can_correct(booking):
        flash(session_rules.CorrectionClosed.default_message)
        return redirect(url_for(".session_detail", session_id=booking.session_id))
    choices = [
        (code, OUTCOME_LABELS[code])
        for code in ops.outcome_choices(booking)
        if code != booking.outcome
    ]
    form = CorrectionForm(choices=choices)
    if form.validate_on_submit():
        try:
            ops.record_result(
                booking.id,
                form.outcome.data,
                reason=form.reason.data,
                actor=acting_user(),
                ip=client_ip(),
            )
        except AppointmentError as error:
            form[error.field or "outcome"].errors.append(error.message)
        else:
            flash(_("The correction has been saved."))
            return redirect(url_for(".session_detail", session_id=booking.session_id))
    return render_template("appointments/staff/correct.html", form=form, booking=booking)


@bp.route("/bookings/<int:booking_id>")
@requires_role(CLERK)
def booking_detail(booking_id):
    booking = ops.view_booking(booking_id, actor=acting_user(), ip=client_ip()) or abort(404)
    history = ops.booking_history(booking)
    return render_template(
        "appointments/staff/booking.html",
        booking=booking,
        history=history,
        state_labels=BOOKING_STATE_LABELS,
    )


@bp.route("/search")
@requires_role(CLERK)
def search():
    form = SearchForm(request.args)
    found = (
        ops.search_bookings(form.q.data or "", actor=acting_user(), ip=client_ip())
        if form.q.data
        else None
    )
    return render_template("appointments/staff/search.html", form=form, found=found)
