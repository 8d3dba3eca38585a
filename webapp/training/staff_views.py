"""The brigade's screens for training requests: queue, sessions, detail, workflow steps."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.common.clock import local_now, utcnow
from webapp.common.csv_export import csv_response
from webapp.common.pagination import page_number
from webapp.security import client_ip
from webapp.staff.access import acting_user, guard_staff_area, requires_role
from webapp.staff.responses import first_reply
from webapp.staff.roles import Role
from webapp.training import queue, services
from webapp.training import staff_bp as bp
from webapp.training.errors import SessionInThePast, TrainingError
from webapp.training.staff_forms import (
    DeclineForm,
    DeliveryForm,
    NoteForm,
    QueueFilterForm,
    ScheduleForm,
    StartReviewForm,
    default_session_date,
)
from webapp.training.states import STATE_LABELS, TrainingState

bp.before_request(guard_staff_area)
EDUCATION = Role.EDUCATION_OFFICER


def _request_or_404(request_id: int):
    training = services.request_by_id(request_id)
    if training is None:
        abort(404)
    return training


@bp.route("/")
@requires_role(EDUCATION)
def queue_list():
    form = QueueFilterForm(request.args)
    form.validate()
    return _render_queue(form)


def _render_queue(form: QueueFilterForm, status: int = 200):
    page = queue.queue_page(
        form.filters(), user=acting_user(), number=page_number(request.args.get("page"))
    )
    return render_template("training/staff/queue.html", form=form, page=page), status


@bp.route("/export.csv")
@requires_role(EDUCATION)
def export():
    form = QueueFilterForm(request.args)
    if not form.validate():
        # An export of other rows than those asked for would mislead: say what is wrong.
        return _render_queue(form, status=400)
    rows = queue.export_rows(form.filters(), actor=acting_user(), ip=client_ip())
    header_line = _(
        "Training requests exported by %(user)s at %(when)s; filters: %(filters)s",
        user=current_user.username,
        when=f"{local_now():%Y-%m-%d %H:%M}",
        filters=request.query_string.decode("utf-8", "replace") or _("none"),
    )
    return csv_response(
        "training-requests.csv", header_line=header_line, columns=queue.EXPORT_HEADER, rows=rows
    )


@bp.route("/sessions")
@requires_role(EDUCATION)
def sessions():
    return render_template("training/staff/sessions.html", sessions=queue.scheduled_sessions())


@bp.route("/<int:request_id>")
@requires_role(EDUCATION)
def detail(request_id: int):
    training = services.open_request_for_staff(request_id, actor=acting_user(), ip=client_ip())
    if training is None:
        abort(404)
    return _render_detail(training, NoteForm())


def _render_detail(training, note_form):
    return render_template(
        "training/staff/detail.html",
        training=training,
        events=services.history(training),
        notes=services.internal_notes(training),
        note_form=note_form,
        state_labels=STATE_LABELS,
        now=utcnow(),
    )


@bp.route("/<int:request_id>/notes", methods=["POST"])
@requires_role(EDUCATION)
def add_note(request_id: int):
    training = _request_or_404(request_id)
    form = NoteForm()
    if not form.validate_on_submit():
        # The page shows the contact in full again: audited like any detail view.
        training = services.open_request_for_staff(request_id, actor=acting_user(), ip=client_ip())
        return _render_detail(training, form)
    services.add_internal_note(training, form.body.data, author=acting_user())
    flash(_("The note is saved."))
    return redirect(url_for("training_staff.detail", request_id=request_id))


@bp.route("/<int:request_id>/review", methods=["POST"])
@requires_role(EDUCATION)
def start_review(request_id: int):
    training = _request_or_404(request_id)
    if StartReviewForm().validate_on_submit():
        try:
            services.start_review(training, actor=acting_user(), ip=client_ip())
        except TrainingError as error:
            flash(error.message)
        else:
            flash(_("The request is now being reviewed."))
    return redirect(url_for("training_staff.detail", request_id=request_id))


@bp.route("/<int:request_id>/schedule", methods=["GET", "POST"])
@requires_role(EDUCATION)
def schedule(request_id: int):
    training = _request_or_404(request_id)
    reply = first_reply(training.SUBJECT_TYPE, TrainingState.SCHEDULED)
    defaults = _schedule_defaults(training)
    if reply and request.method == "GET" and not training.session_starts_at:
        defaults["public_message"] = reply.text_for(training.language)
    form = ScheduleForm(officers=services.education_officers(), **defaults)
    if not training.can_schedule():
        return _step_refused(training)
    if form.validate_on_submit():
        try:
            services.schedule_session(
                training, _plan_from(form), actor=acting_user(), ip=client_ip()
            )
        except SessionInThePast as error:
            form.session_date.errors.append(error.message)
        except TrainingError as error:
            flash(error.message)
        else:
            flash(_("The session is scheduled."))
            return redirect(url_for("training_staff.detail", request_id=request_id))
    return render_template(
        "training/staff/schedule.html", form=form, training=training, reply=reply
    )


def _schedule_defaults(training) -> dict:
    if request.method == "POST":
        return {}
    if training.session_starts_at:
        start = training.local_session_start
        return {
            "session_date": start.date(),
            "session_time": start.time(),
            "venue": training.session_venue,
            "address": training.session_address,
            "officer": str(training.assignee_id or ""),
            "officer_name": training.officer_name,
        }
    return {
        "session_date": default_session_date(training),
        "venue": training.venue,
        "address": training.address,
    }


def _plan_from(form: ScheduleForm) -> services.SessionPlan:
    return services.SessionPlan(
        starts_at_local=datetime.combine(form.session_date.data, form.session_time.data),
        venue=form.venue.data,
        address=form.address.data or "",
        officer=form.chosen_officer(),
        officer_name=form.officer_name.data or "",
        public_message=form.public_message.data or "",
    )


def _step_refused(training):
    flash(_("This step is not possible in the request's current state."))
    return redirect(url_for("training_staff.detail", request_id=training.id))


@bp.route("/<int:request_id>/deliver", methods=["GET", "POST"])
@requires_role(EDUCATION)
def deliver(request_id: int):
    training = _request_or_404(request_id)
    if not training.can_move_to(TrainingState.DELIVERED):
        return _step_refused(training)
    form = DeliveryForm()
    if form.validate_on_submit():
        try:
            services.record_delivery(
                training,
                attendance=form.attendance.data,
                notes=form.notes.data or "",
                actor=acting_user(),
                ip=client_ip(),
            )
        except TrainingError as error:
            form.attendance.errors.append(error.message)
        else:
            flash(_("The delivery is recorded."))
            return redirect(url_for("training_staff.detail", request_id=request_id))
    return render_template("training/staff/deliver.html", form=form, training=training)


@bp.route("/<int:request_id>/decline", methods=["GET", "POST"])
@requires_role(EDUCATION)
def decline(request_id: int):
    training = _request_or_404(request_id)
    if not training.can_decline():
        return _step_refused(training)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_request(
                training, reason=form.reason.data, actor=acting_user(), ip=client_ip()
            )
        except TrainingError as error:
            form.reason.errors.append(error.message)
        else:
            flash(_("The request is declined; the company sees the reason."))
            return redirect(url_for("training_staff.detail", request_id=request_id))
    return render_template("training/staff/decline.html", form=form, training=training)
