"""Response templates (admin only): bilingual public messages per kind and state."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import acting_user, requires_role
from webapp.staff.forms import ResponseTemplateForm
from webapp.staff.responses import (
    TemplateError,
    delete_template,
    get_template,
    list_templates,
    save_template,
    state_choices,
    state_key,
    state_label,
    subject_type_choices,
)
from webapp.staff.roles import Role


@bp.route("/responses/")
@requires_role(Role.ADMIN)
def response_list():
    return render_template(
        "staff/responses.html",
        templates=list_templates(),
        type_labels=dict(subject_type_choices()),
        state_label=state_label,
    )


def _edit(template):
    form = ResponseTemplateForm(
        obj=template,
        applies_to=state_key(template.subject_type, template.state) if template else None,
        states=state_choices(),
    )
    if form.validate_on_submit():
        subject_type, _sep, state = form.applies_to.data.partition(":")
        try:
            save_template(
                template,
                subject_type=subject_type,
                state=state,
                title=form.title.data,
                body_zh=form.body_zh.data,
                body_en=form.body_en.data,
                actor=acting_user(),
                ip=client_ip(),
            )
        except TemplateError as problem:
            form.title.errors.append(problem.message)
        else:
            flash(_("The template has been saved."))
            return redirect(url_for("staff.response_list"))
    return render_template("staff/response-edit.html", form=form, template=template)


@bp.route("/responses/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def response_new():
    return _edit(None)


@bp.route("/responses/<int:template_id>", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def response_edit(template_id):
    return _edit(get_template(template_id) or abort(404))


@bp.route("/responses/<int:template_id>/delete", methods=["POST"])
@requires_role(Role.ADMIN)
def response_delete(template_id):
    template = get_template(template_id) or abort(404)
    delete_template(template, actor=acting_user(), ip=client_ip())
    flash(_("The template has been deleted."))
    return redirect(url_for("staff.response_list"))
