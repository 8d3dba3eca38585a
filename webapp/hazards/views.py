"""Public pages: the report form, the confirmation, the list, the map, a report's public
view, finding a report again, following it and stopping its texts."""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from webapp.common.clock import utcnow
from webapp.common.geo import parse_bbox
from webapp.common.identifiers import mask_personal_data_in_text, mask_phone, normalise_reference
from webapp.common.maps import tile_source
from webapp.common.pagination import page_number
from webapp.extensions import limiter
from webapp.hazards import bp, following
from webapp.hazards.categories import EMERGENCY_PRONE, category_choices
from webapp.hazards.drafts import report_draft
from webapp.hazards.errors import FollowRefused, OutsideArea, PhotoRejected, ReopenRefused
from webapp.hazards.forms import (
    ConfirmForm,
    DangerCheckForm,
    FindForm,
    FollowCodeForm,
    FollowForm,
    HazardReportForm,
    ReopenForm,
    StopTextsForm,
)
from webapp.hazards.map import area_box, feature_collection_json, public_reports_in
from webapp.hazards.photo_storage import photo_storage
from webapp.hazards.services import (
    Upload,
    confirm_report,
    list_public_reports,
    nearby_open_reports,
    public_report,
    public_timeline,
    reopen_by_reporter,
    submit_report,
)
from webapp.hazards.states import OPEN_STATES, state_choices, state_label
from webapp.i18n import current_language
from webapp.notifications.limits import message_form_limit
from webapp.page_cache import cached_page
from webapp.security import client_ip, revalidate_every_time

SEEN_KEY = "hazards_seen"
# The follower this browser asked to be and has still to confirm: {"report": id, "follower": id}.
FOLLOWING_KEY = "hazards_following"


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


@bp.route("/find")
@limiter.limit(_lookup_limit)
def find():
    """Open a public report by its reference, however it was typed.

    A private reference is looked for by the same query as any other and gets the
    answer of one that never existed: same status, same page.
    """
    form = FindForm(request.args)
    if not request.args or not form.validate():
        return render_template("hazards/find.html", form=form)
    report = public_report(normalise_reference(form.reference.data))
    if report is not None:
        return redirect(url_for("hazards.report_detail", reference=report.reference), 303)
    form.reference.errors = [
        _(
            "We found no public report with the reference %(reference)s. Check it against your slip.",
            reference=form.reference.data,
        )
    ]
    return render_template("hazards/find.html", form=form), 404


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
    body = feature_collection_json(answer)
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
    return _render_detail(_public_or_404(reference))


def _render_detail(report, *, follow_form: FollowForm | None = None, status: int = 200):
    page = render_template(
        "hazards/detail.html",
        report=report,
        timeline=public_timeline(report),
        confirm_form=ConfirmForm(),
        already_confirmed=report.id in session.get(SEEN_KEY, []),
        follow_form=follow_form or FollowForm(formdata=None),
        can_follow=report.can_be_followed(utcnow()),
    )
    return page, status


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
        flash(
            _(
                "Thank you: we have counted that you see this too. To get a text when the report changes, follow it below."
            )
        )
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
            return revalidate_every_time(photo_storage().response(name, max_age=None))
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


@bp.route("/<reference>/follow", methods=["POST"])
@message_form_limit()
def follow(reference):
    """Ask to follow a report: a code goes to the number, to be typed on the next page."""
    report = _public_or_404(reference)
    form = FollowForm()
    if form.validate_on_submit():
        try:
            follower = following.request_follow(
                report, phone=form.phone.data, language=current_language()
            )
        except FollowRefused as refused:
            form.phone.errors = [*form.phone.errors, refused.message]
        else:
            session[FOLLOWING_KEY] = {"report": report.id, "follower": follower.id}
            return redirect(url_for("hazards.follow_confirm", reference=report.reference))
    return _render_detail(report, follow_form=form)


@bp.route("/<reference>/follow/confirm", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
def follow_confirm(reference):
    """Type the code that was texted: the number follows the report from then on."""
    report = _public_or_404(reference)
    asked = session.get(FOLLOWING_KEY) or {}
    follower = following.pending_follower(
        report, asked.get("follower") if asked.get("report") == report.id else None
    )
    if follower is None:
        flash(_("Type your mobile number to follow this report."))
        return redirect(
            url_for("hazards.report_detail", reference=report.reference, _anchor="follow")
        )
    form = FollowCodeForm()
    if form.validate_on_submit():
        try:
            following.confirm_follow(follower, form.code.data)
        except FollowRefused as refused:
            form.code.errors = [*form.code.errors, refused.message]
        else:
            session.pop(FOLLOWING_KEY, None)
            flash(
                _(
                    "You follow this report: we will text %(phone)s when its state changes.",
                    phone=mask_phone(follower.phone),
                )
            )
            return redirect(url_for("hazards.report_detail", reference=report.reference))
    return render_template(
        "hazards/follow_confirm.html",
        report=report,
        form=form,
        masked_phone=mask_phone(follower.phone),
    )


@bp.route("/stop/<token>", methods=["GET", "POST"])
def stop_texts(token):
    """The stop link of a text: a GET asks (a link preview must not stop anything),
    the POST stops. No login: the signed token says whose texts they are."""
    target = following.stop_target(token)
    if target is None:
        abort(404)
    form = StopTextsForm()
    stopped = False
    if form.validate_on_submit():
        following.stop_texts(target)
        stopped = True
    return render_template(
        "hazards/stop_texts.html",
        form=form,
        token=token,
        reference=following.report_of(target).reference,
        stopped=stopped,
    )
