"""The hazard officer's screens under /staff/hazards: queue, detail, letter."""

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.common.clock import local_today, to_local
from webapp.common.identifiers import mask_phone
from webapp.common.pagination import page_number
from webapp.hazards import inbox
from webapp.hazards import staff_bp as bp
from webapp.hazards import staff_services as service
from webapp.hazards.categories import RECTIFICATION_REQUESTS, Category
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.map import area_box, box_around, neighbours_of, officer_map_points
from webapp.hazards.responses import response_templates
from webapp.hazards.services import upload_dir
from webapp.hazards.staff_forms import (
    AssignForm,
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
    choice = page_number(request.args.get("template")) - 1
    message = templates[choice][1] if choice < len(templates) else ""
    return StateChangeForm(
        to_state=target,
        public_message=message,
        responsible_party=report.responsible_party,
        finding=report.finding or report.description,
        rectification_request=report.rectification_request
        or RECTIFICATION_REQUESTS.get(Category(report.category), ""),
    )


def _render_detail(report, *, state_form=None, note_form=None, status=200):
    service.record_contact_view(report, actor=acting_user(), ip=client_ip())
    target = state_form.to_state.data if state_form else ""
    neighbours = neighbours_of(report)
    page = render_template(
        "hazards/staff/detail.html",
        report=report,
        history=service.history(report),
        notes=service.notes(report),
        state_form=state_form,
        templates=response_templates(target) if target else [],
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


@bp.route("/<reference>/letter")
@requires_role(Role.HAZARD_OFFICER)
def referral_letter(reference):
    """The referral letter (函) to the responsible party: always in Chinese."""
    report = _report_or_404(reference)
    with force_locale("zh"):
        category_zh, brigade_name_zh = report.category_label, brigade_name()
    received = to_local(report.created_at)
    return render_template(
        "hazards/staff/letter.html",
        report=report,
        today=local_today(),
        received_zh=f"{received.year}年{received.month}月{received.day}日",
        category_zh=category_zh,
        brigade_name_zh=brigade_name_zh,
        request_text=report.rectification_request
        or RECTIFICATION_REQUESTS.get(Category(report.category), ""),
    )


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
            return send_from_directory(upload_dir(), name, mimetype="image/jpeg", max_age=0)
    abort(404)
