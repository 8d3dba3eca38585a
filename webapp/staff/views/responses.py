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
    )


def _edit(template):
    form = ResponseTemplateForm(obj=template, subject_types=subject_type_choices())
    if form.validate_on_submit():
        try:
            save_template(
                template,
                subject_type=form.subject_type.data,
                state=form.state.data,
                title=form.title.data,
                body_zh=form.body_zh.data,
                body_en=form.body_en.data or "",
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
