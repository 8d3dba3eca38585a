"""Public pages: the report form, the confirmation, the list, the map and a report's public view."""

import json

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _

from webapp.common.geo import parse_bbox
from webapp.common.identifiers import mask_personal_data_in_text, normalise_reference
from webapp.common.maps import tile_source
from webapp.common.pagination import page_number
from webapp.extensions import limiter
from webapp.hazards import bp
from webapp.hazards.categories import EMERGENCY_PRONE, category_choices
from webapp.hazards.drafts import report_draft
from webapp.hazards.errors import OutsideArea, PhotoRejected, ReopenRefused
from webapp.hazards.forms import (
    ConfirmForm,
    DangerCheckForm,
    HazardReportForm,
    ReopenForm,
)
from webapp.hazards.map import area_box, as_feature_collection, public_reports_in
from webapp.hazards.services import (
    Upload,
    confirm_report,
    list_public_reports,
    nearby_open_reports,
    public_report,
    public_timeline,
    reopen_by_reporter,
    submit_report,
    upload_dir,
)
from webapp.hazards.states import OPEN_STATES, state_choices, state_label
from webapp.i18n import current_language
from webapp.notifications.limits import message_form_limit
from webapp.page_cache import cached_page
from webapp.security import client_ip, revalidate_every_time

SEEN_KEY = "hazards_seen"


@bp.context_processor
def template_helpers() -> dict:
    return {"state_label": state_label, "mask": mask_personal_data_in_text}


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


def _list_filters() -> dict[str, str]:
    """The state and category asked for; an unknown value is ignored, never an error."""
    states, categories = dict(state_choices()), dict(category_choices())
    state = request.args.get("state", "")
    category = request.args.get("category", "")
    return {
        "state": state if state in states else "",
        "category": category if category in categories else "",
    }


@bp.route("/")
@cached_page
def report_list():
    filters = _list_filters()
    page = list_public_reports(**filters, number=page_number(request.args.get("page")))
    return render_template(
        "hazards/list.html",
        page=page,
        filters=filters,
        state_names=dict(state_choices()),
        category_names=dict(category_choices()),
    )


@bp.route("/map")
@cached_page
def report_map():
    """The public map; without tiles configured, the list (the same reports) instead."""
    filters = _list_filters()
    if tile_source(current_app.config) is None:
        return redirect(url_for("hazards.report_list", **{k: v for k, v in filters.items() if v}))
    return render_template(
        "hazards/map.html",
        filters=filters,
        state_names=dict(state_choices()),
        category_names=dict(category_choices()),
        area=area_box(),
    )


@cached_page
def reports_geojson():
    """GET /hazards.geojson?bbox=west,south,east,north&category=&state= (README "Maps").

    Public reports only, each with its masked place; no bbox means the whole area.
    """
    text = request.args.get("bbox")
    box = area_box() if text is None else parse_bbox(text)
    if box is None:
        message = _("Give bbox as four numbers: west,south,east,north.")
        return jsonify(error=message), 400
    answer = public_reports_in(box, **_list_filters())
    # Chinese as itself and no spaces: a third of the bytes of the escaped form.
    body = json.dumps(as_feature_collection(answer), ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body, mimetype="application/geo+json")


@bp.route("/new", methods=["GET", "POST"])
@message_form_limit(exempt_when=lambda: "check" in request.form)
def new_report():
    if request.method == "GET":
        answer = request.args.get("danger")
        if answer == "yes":
            return render_template("hazards/danger.html")
        if answer != "no":
            question = DangerCheckForm(request.args)
            if "danger" in request.args:
                question.validate()
            return render_template("hazards/danger_check.html", form=question)
    form = HazardReportForm()
    if request.method == "POST" and "check" in request.form:
        return _render_form(form, checking=True)
    if form.validate_on_submit():
        draft = report_draft(
            form, language=current_language(), submission_token=form.form_token.data
        )
        try:
            report = submit_report(draft, uploads=_uploads(form), ip=client_ip())
        except PhotoRejected as refused:
            form.photos.errors = [*form.photos.errors, refused.message]
        except OutsideArea as refused:
            form.latitude.errors = [*form.latitude.errors, refused.message]
        else:
            return redirect(url_for("hazards.received", reference=report.reference))
    return _render_form(form)


def _render_form(form: HazardReportForm, *, checking: bool = False):
    if checking:
        form.validate()
        for field in form:
            if field.name not in ("latitude", "longitude"):
                field.errors = []
    coordinates = form.coordinates()
    nearby = []
    if coordinates and form.category.data:
        nearby = nearby_open_reports(
            category=form.category.data, latitude=coordinates[0], longitude=coordinates[1]
        )
    return render_template(
        "hazards/new.html",
        form=form,
        nearby=nearby,
        checked=checking,
        located=coordinates is not None,
        emergency_prone=EMERGENCY_PRONE,
        area=area_box(),
        open_states=sorted(OPEN_STATES),
        state_names=dict(state_choices()),
    )


def _uploads(form: HazardReportForm) -> list[Upload]:
    return [Upload(stream=file.stream, filename=file.filename) for file in form.photos.data]


def _public_or_404(reference: str):
    report = public_report(normalise_reference(reference))
    if report is None:
        abort(404)
    return report


@bp.route("/<reference>/received")
def received(reference):
    return render_template("hazards/received.html", report=_public_or_404(reference))


@bp.route("/<reference>")
def report_detail(reference):
    report = _public_or_404(reference)
    return render_template(
        "hazards/detail.html",
        report=report,
        timeline=public_timeline(report),
        confirm_form=ConfirmForm(),
        already_confirmed=report.id in session.get(SEEN_KEY, []),
    )


@bp.route("/<reference>/confirm", methods=["POST"])
@limiter.limit("10 per minute")
@message_form_limit()
def confirm(reference):
    report = _public_or_404(reference)
    form = ConfirmForm()
    seen = list(session.get(SEEN_KEY, []))
    if form.validate_on_submit() and report.is_open and report.id not in seen:
        confirm_report(report)
        session[SEEN_KEY] = (seen + [report.id])[-200:]
        flash(_("Thank you: we have counted that you see this too."))
    return redirect(url_for("hazards.report_detail", reference=report.reference))


@bp.route("/<reference>/photos/<int:position>")
def photo(reference, position):
    return _send_photo(_public_or_404(reference), position, thumbnail=False)


@bp.route("/<reference>/thumbnails/<int:position>")
def thumbnail(reference, position):
    return _send_photo(_public_or_404(reference), position, thumbnail=True)


def _send_photo(report, position: int, *, thumbnail: bool):
    for item in report.photos:
        if item.position == position:
            name = item.thumbnail_name if thumbnail else item.file_name
            photo = send_from_directory(upload_dir(), name, mimetype="image/jpeg")
            return revalidate_every_time(photo)
    abort(404)


@bp.route("/reopen", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@message_form_limit()
def reopen():
    form = ReopenForm(reference=request.args.get("reference", ""))
    if form.validate_on_submit():
        try:
            report = reopen_by_reporter(
                reference=normalise_reference(form.reference.data),
                phone=form.reporter_phone.data,
                message=form.message.data,
                ip=client_ip(),
            )
        except ReopenRefused as refused:
            form.reference.errors = [*form.reference.errors, refused.message]
        else:
            flash(_("Your report has been reopened. The brigade will look at it again."))
            if report.is_private:
                return redirect(url_for("hazards.reopen"))
            return redirect(url_for("hazards.report_detail", reference=report.reference))
    return render_template("hazards/reopen.html", form=form)
