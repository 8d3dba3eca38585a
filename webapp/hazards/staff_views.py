"""The hazard officer's screens under /staff/hazards: queue, detail, letter."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.common.clock import local_today
from webapp.common.identifiers import mask_phone
from webapp.common.pagination import page_number
from webapp.common.workdays import target_days
from webapp.hazards import following, inbox, letters
from webapp.hazards import staff_bp as bp
from webapp.hazards import staff_services as service
from webapp.hazards.categories import RECTIFICATION_REQUESTS, Category
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.map import area_box, box_around, neighbours_of, officer_map_points
from webapp.hazards.models import HazardReport
from webapp.hazards.photo_storage import photo_storage
from webapp.hazards.responses import response_templates
from webapp.hazards.staff_forms import (
    AssignForm,
    LetterForm,
    NoteForm,
    PrivacyForm,
    QueueFilterForm,
    StateChangeForm,
)
from webapp.hazards.states import HazardState, state_label
from webapp.security import client_ip
from webapp.staff.access import acting_user, guard_staff_area, requires_role
from webapp.staff.inbox import COUNT_CAP, is_capped, source_page
from webapp.staff.roles import Role
from webapp.templating import brigade_name

QUEUE_PER_PAGE = 25

bp.before_request(guard_staff_area)


@bp.context_processor
def template_helpers() -> dict:
    return {"state_label": state_label, "mask_phone": mask_phone}


def _report_or_404(reference: str):
    report = service.report_for_staff(reference)
    if report is None:
        abort(404)
    return report


@bp.route("/")
@requires_role(Role.HAZARD_OFFICER)
def queue():
    form = QueueFilterForm(request.args)
    page = source_page(
        inbox.SOURCE,
        form.filters(),
        acting_user(),
        number=page_number(request.args.get("page")),
        per_page=QUEUE_PER_PAGE,
    )
    return render_template(
        "hazards/staff/queue.html",
        filters=form,
        page=page,
        capped=is_capped(page),
        count_cap=COUNT_CAP,
        age=service.report_age_days,
        overdue=service.is_report_overdue,
        estimated=service.is_target_estimated,
    )


@bp.route("/<reference>")
@requires_role(Role.HAZARD_OFFICER)
def detail(reference):
    report = _report_or_404(reference)
    return _render_detail(report, state_form=_state_form(report, request.args.get("to", "")))


def _state_form(report, target: str) -> StateChangeForm | None:
    if not target or not report.staff_can_move_to(target):
        return None
    templates = response_templates(target)
    chosen = _chosen_reply(templates)
    message = chosen.text_for(report.language) if chosen else ""
    return StateChangeForm(
        to_state=target,
        public_message=message,
        responsible_party=report.responsible_party,
        finding=report.finding or report.description,
        rectification_request=report.rectification_request
        or RECTIFICATION_REQUESTS.get(Category(report.category), ""),
    )


def _chosen_reply(templates):
    """The reply the officer picked (`?template=N`), the first by default."""
    choice = page_number(request.args.get("template")) - 1
    return templates[choice] if choice < len(templates) else None


def _render_detail(report, *, state_form=None, note_form=None, status=200):
    service.record_contact_view(report, actor=acting_user(), ip=client_ip())
    target = state_form.to_state.data if state_form else ""
    templates = response_templates(target) if target else []
    neighbours = neighbours_of(report)
    page = render_template(
        "hazards/staff/detail.html",
        report=report,
        history=service.history(report),
        notes=service.notes(report),
        followers=following.active_followers(report),
        state_form=state_form,
        templates=templates,
        chosen_reply=_chosen_reply(templates),
        note_form=note_form or NoteForm(formdata=None),
        assign_form=AssignForm(
            formdata=None,
            officers=service.hazard_officers(),
            assignee=str(report.assignee_id or ""),
        ),
        privacy_form=PrivacyForm(formdata=None, private="0" if report.is_private else "1"),
        age=service.report_age_days(report),
        states=HazardState,
        neighbours=neighbours,
        map_points=officer_map_points(report, neighbours),
        around=box_around(report) if report.has_coordinates else None,
        area=area_box(),
    )
    return page, status


@bp.route("/<reference>/state", methods=["POST"])
@requires_role(Role.HAZARD_OFFICER)
def change_state(reference):
    report = _report_or_404(reference)
    form = StateChangeForm()
    if form.validate_on_submit():
        change = service.StateChange(
            to_state=form.to_state.data or "",
            public_message=form.public_message.data or "",
            responsible_party=form.responsible_party.data or "",
            duplicate_of=form.duplicate_of.data or "",
            finding=form.finding.data or "",
            rectification_request=form.rectification_request.data or "",
        )
        try:
            service.change_report_state(report, change, actor=acting_user(), ip=client_ip())
        except StateChangeRefused as refused:
            field = getattr(form, refused.field)
            field.errors = [*field.errors, refused.message]
        else:
            flash(_("The report is now: %(state)s.", state=report.state_label))
            return redirect(url_for("hazards_staff.detail", reference=report.reference))
    if not report.staff_can_move_to(form.to_state.data or ""):
        flash(_("A report cannot move from this state to that one."))
        return redirect(url_for("hazards_staff.detail", reference=report.reference))
    return _render_detail(report, state_form=form)


@bp.route("/<reference>/notes", methods=["POST"])
@requires_role(Role.HAZARD_OFFICER)
def add_note(reference):
    report = _report_or_404(reference)
    form = NoteForm()
    if form.validate_on_submit():
        service.add_report_note(report, form.body.data, actor=acting_user())
        flash(_("Note added."))
        return redirect(url_for("hazards_staff.detail", reference=report.reference))
    return _render_detail(report, note_form=form)


@bp.route("/<reference>/assign", methods=["POST"])
@requires_role(Role.HAZARD_OFFICER)
def assign(reference):
    report = _report_or_404(reference)
    officers = service.hazard_officers()
    form = AssignForm(officers=officers)
    if form.validate_on_submit():
        chosen = next((u for u in officers if str(u.id) == form.assignee.data), None)
        service.assign_report(report, chosen, actor=acting_user(), ip=client_ip())
        flash(_("Assignment saved."))
    return redirect(url_for("hazards_staff.detail", reference=report.reference))


@bp.route("/<reference>/privacy", methods=["POST"])
@requires_role(Role.HAZARD_OFFICER)
def privacy(reference):
    report = _report_or_404(reference)
    form = PrivacyForm()
    if form.validate_on_submit():
        private = form.private.data == "1"
        service.set_privacy(report, private, actor=acting_user(), ip=client_ip())
        flash(_("The report is now private.") if private else _("The report is now public."))
    return redirect(url_for("hazards_staff.detail", reference=report.reference))


@bp.route("/<reference>/letter", methods=["GET", "POST"])
@requires_role(Role.HAZARD_OFFICER)
def referral_letter(reference):
    """The referral letter (函): the officer sets the deadline and contact, reviews the
    text (GET shows it), and keeps it with the report before printing (POST)."""
    report = _report_or_404(reference)
    if request.method == "POST":
        form = LetterForm()
        if form.validate_on_submit():
            event = letters.keep_letter(
                report, _letter_details(form), actor=acting_user(), ip=client_ip()
            )
            flash(_("The letter is kept with the report. Print it from this page."))
            return redirect(url_for(".kept_letter", reference=report.reference, event_id=event.id))
    else:
        reviewing = "deadline_days" in request.args
        form = LetterForm(request.args if reviewing else None, meta={"csrf": False})
        if reviewing:
            form.validate()
        else:
            _prefill_letter(form)
    preview = (
        ""
        if form.errors
        else letters.compose_letter(report, _letter_details(form), today=local_today())
    )
    return render_template("hazards/staff/letter.html", report=report, form=form, preview=preview)


def _prefill_letter(form: LetterForm) -> None:
    """The officer's name from their account, the brigade's name and hotline, the state's target."""
    form.deadline_days.data = target_days(HazardReport.SUBJECT_TYPE, HazardState.RECTIFYING)
    form.contact_name.data = acting_user().name
    with force_locale("zh"):
        form.contact_unit.data = brigade_name()
    form.contact_phone.data = current_app.config["BRIGADE_HOTLINE"]


def _letter_details(form: LetterForm) -> letters.LetterDetails:
    return letters.LetterDetails(
        deadline_days=form.deadline_days.data or 0,
        contact_name=form.contact_name.data or "",
        contact_unit=form.contact_unit.data or "",
        contact_phone=form.contact_phone.data or "",
    )


@bp.route("/<reference>/letters/<int:event_id>")
@requires_role(Role.HAZARD_OFFICER)
def kept_letter(reference, event_id):
    """A letter as it was kept, ready to print."""
    report = _report_or_404(reference)
    event = letters.kept_letter(report, event_id) or abort(404)
    return render_template("hazards/staff/kept-letter.html", report=report, event=event)


@bp.route("/<reference>/photos/<int:position>")
@requires_role(Role.HAZARD_OFFICER)
def photo(reference, position):
    return _send_photo(_report_or_404(reference), position, thumbnail=False)


@bp.route("/<reference>/thumbnails/<int:position>")
@requires_role(Role.HAZARD_OFFICER)
def thumbnail(reference, position):
    return _send_photo(_report_or_404(reference), position, thumbnail=True)


def _send_photo(report, position: int, *, thumbnail: bool):
    for item in report.photos:
        if item.position == position:
            name = item.thumbnail_name if thumbnail else item.file_name
            return photo_storage().response(name, max_age=0)
    abort(404)
