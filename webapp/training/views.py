"""The public pages: request a training, see the confirmation, look a request up."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from webapp.common.clock import utcnow
from webapp.extensions import limiter
from webapp.i18n import current_language
from webapp.notifications.limits import message_form_limit
from webapp.training import bp
from webapp.training.errors import RequestNotFound, TrainingError
from webapp.training.forms import ActionForm, LookupForm, TrainingRequestForm
from webapp.training.services import (
    RequestDetails,
    find_request,
    public_messages,
    request_by_id,
    submit_request,
    withdraw_request,
)

SUBMITTED_KEY = "training_submitted"
LOOKUP_KEY = "training_lookup"


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


@bp.route("/new", methods=["GET", "POST"])
@message_form_limit()
def new_request():
    form = TrainingRequestForm()
    if form.validate_on_submit():
        training = submit_request(_details_from(form), language=current_language())
        session[SUBMITTED_KEY] = training.reference
        return redirect(url_for("training.submitted"))
    return render_template("training/new_request.html", form=form)


def _details_from(form: TrainingRequestForm) -> RequestDetails:
    fields = {name: form[name].data for name in RequestDetails.__dataclass_fields__}
    return RequestDetails(**fields)


@bp.route("/submitted")
def submitted():
    reference = session.get(SUBMITTED_KEY)
    if not reference:
        return redirect(url_for("training.new_request"))
    return render_template("training/submitted.html", reference=reference)


@bp.route("/manage", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
def manage():
    training = request_by_id(session[LOOKUP_KEY]) if LOOKUP_KEY in session else None
    asked_for = request.args.get("reference", "")
    # A link to another request (from its confirmation page) asks for the look-up again.
    wanted = not asked_for or (training is not None and training.reference == asked_for)
    if training is not None and request.method == "GET" and wanted:
        return _render_found(training)
    form = LookupForm(reference=asked_for)
    if form.validate_on_submit():
        try:
            training = find_request(form.reference.data, form.credit_code.data)
        except RequestNotFound as error:
            form.reference.errors.append(error.message)
        else:
            session[LOOKUP_KEY] = training.id
            return redirect(url_for("training.manage"))
    return render_template("training/lookup.html", form=form)


def _render_found(training, problem=None):
    return render_template(
        "training/manage.html",
        training=training,
        messages=public_messages(training),
        problem=problem,
        now=utcnow(),
    )


@bp.route("/manage/withdraw", methods=["POST"])
@limiter.limit(_lookup_limit)
def withdraw():
    training = request_by_id(session[LOOKUP_KEY]) if LOOKUP_KEY in session else None
    if training is None:
        return redirect(url_for("training.manage"))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            withdraw_request(training)
        except TrainingError as error:
            return _render_found(training, problem=error.message)
        flash(_("Your training request has been withdrawn."))
    return redirect(url_for("training.manage"))


@bp.route("/manage/another", methods=["POST"])
def look_up_another():
    form = ActionForm()
    if form.validate_on_submit():
        session.pop(LOOKUP_KEY, None)
    return redirect(url_for("training.manage"))
