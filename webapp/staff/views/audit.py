"""The audit log (admin only). Read-only: no route here, or anywhere, edits or deletes it."""

from flask import render_template, request

from webapp.common.pagination import page_number
from webapp.staff import bp
from webapp.staff.access import requires_role
from webapp.staff.audit_log import AuditFilters, audit_page, known_actions
from webapp.staff.audit_phrases import account_names, action_name, describe
from webapp.staff.forms import AuditFilterForm
from webapp.staff.roles import Role


@bp.route("/audit")
@requires_role(Role.ADMIN)
def audit_log():
    actions = sorted(((code, action_name(code)) for code in known_actions()), key=lambda a: a[1])
    form = AuditFilterForm(request.args, actions=actions)
    form.validate()
    filters = AuditFilters(
        actor=form.valid_data("actor") or "",
        action=form.valid_data("action") or "",
        date_from=form.valid_data("date_from"),
        date_to=form.valid_data("date_to"),
    )
    page = audit_page(filters, number=page_number(request.args.get("page")))
    return render_template(
        "staff/audit.html",
        form=form,
        page=page,
        describe=describe,
        users=account_names(page.items),
        query_args={key: value for key, value in request.args.items() if key != "page"},
    )
