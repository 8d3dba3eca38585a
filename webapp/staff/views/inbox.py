"""The inbox at /staff/: every open submission the user's roles allow, in one table."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.common.clock import local_now
from webapp.common.csv_export import csv_response, first_row_readable, record_export
from webapp.common.pagination import page_number
from webapp.security import client_ip
from webapp.staff import bp
from webapp.staff.access import acting_user, is_safe_next, requires_role
from webapp.staff.forms import BulkForm, InboxFilterForm
from webapp.staff.inbox import (
    COUNT_CAP,
    InboxFilters,
    inbox_page,
    is_capped,
    iter_inbox,
    sources_for,
)
from webapp.staff.inbox_actions import bulk_assign, bulk_change_state


def _filter_form() -> InboxFilterForm:
    sources = sources_for(current_user)
    states, categories = {}, {}
    for source in sources:
        states.update((code, str(label)) for code, label in source.states)
        categories.update((code, str(label)) for code, label in source.categories)
    return InboxFilterForm(
        request.args,
        types=[(source.type, str(source.label)) for source in sources],
        states=list(states.items()),
        categories=list(categories.items()),
    )


def _filters(form: InboxFilterForm) -> InboxFilters:
    """What the form asks; a field in error is left out (its message shows on the form)."""
    form.validate()
    return InboxFilters(
        type=form.valid_data("type") or "",
        state=form.valid_data("state") or "",
        category=form.valid_data("category") or "",
        date_from=form.valid_data("date_from"),
        date_to=form.valid_data("date_to"),
        mine=bool(form.mine.data),
        unassigned=bool(form.unassigned.data),
        q=form.valid_data("q") or "",
        newest_first=form.sort.data == "newest",
        bbox=form.valid_data("bbox"),
    )


def _bulk_form(form: InboxFilterForm) -> BulkForm:
    bulk = BulkForm()
    bulk.target_state.choices = [
        choice for choice in form.state.choices if choice.value not in ("", "all")
    ]
    return bulk


@bp.route("/")
@requires_role()
def inbox():
    form = _filter_form()
    return _render_inbox(form, _filters(form))


def _render_inbox(form: InboxFilterForm, filters: InboxFilters, status: int = 200):
    page = inbox_page(current_user, filters, number=page_number(request.args.get("page")))
    template = render_template(
        "staff/inbox.html",
        form=form,
        bulk_form=_bulk_form(form),
        page=page,
        capped=is_capped(page),
        count_cap=COUNT_CAP,
        has_sources=bool(sources_for(current_user)),
        query_args={key: value for key, value in request.args.items() if key != "page"},
    )
    return template, status


INBOX_COLUMNS = (
    ("reference", _l("Reference")),
    ("type_label", _l("Kind")),
    ("category", _l("Category")),
    ("summary", _l("Summary")),
    ("state_label", _l("State")),
    ("created_at", _l("Received")),
    ("state_changed_at", _l("In this state since")),
    ("assignee", _l("Assignee")),
    ("overdue", _l("Overdue")),
)


@bp.route("/inbox.csv")
@requires_role()
def inbox_csv():
    form = _filter_form()
    filters = _filters(form)
    if form.errors:
        # An export of other rows than those asked for would mislead: say what is wrong.
        return _render_inbox(form, filters, status=400)
    first_row_readable(lambda: iter_inbox(current_user, filters))
    what = "inbox " + request.query_string.decode("utf-8", "replace")
    record_export(actor=current_user, what=what.strip(), ip=client_ip())
    yes, no = _("yes"), ""
    rows = (
        [
            getattr(row, name) if name != "overdue" else (yes if row.overdue else no)
            for name, _heading in INBOX_COLUMNS
        ]
        for row in iter_inbox(current_user, filters)
    )
    return csv_response(
        f"inbox-{local_now():%Y%m%d-%H%M}.csv",
        header_line=_(
            "Inbox export by %(user)s at %(when)s; filters: %(filters)s",
            user=current_user.username,
            when=f"{local_now():%Y-%m-%d %H:%M}",
            filters=request.query_string.decode("utf-8", "replace") or _("none"),
        ),
        columns=[str(heading) for _name, heading in INBOX_COLUMNS],
        rows=rows,
    )


@bp.route("/inbox/bulk", methods=["POST"])
@requires_role()
def inbox_bulk():
    form = _filter_form()
    bulk = _bulk_form(form)
    keys = request.form.getlist("row")
    results, problem = [], None
    if not keys:
        problem = _("Select at least one row.")
    elif bulk.action.data == "state" and not bulk.target_state.data:
        problem = _("Choose the new state.")
    elif bulk.validate_on_submit():
        actor, ip = acting_user(), client_ip()
        if bulk.action.data == "state":
            results = bulk_change_state(
                keys,
                state=bulk.target_state.data,
                message=bulk.message.data or "",
                actor=actor,
                ip=ip,
            )
        else:
            assignee = actor if bulk.action.data == "assign_me" else None
            results = bulk_assign(keys, assignee=assignee, actor=actor, ip=ip)
    else:
        problem = _("The form has expired. Go back to the inbox and try again.")
    references = {key: request.form.get(f"ref-{key}", key) for key in keys}
    return render_template(
        "staff/inbox-bulk.html",
        results=results,
        references=references,
        problem=problem,
        back=back if is_safe_next(back := request.form.get("back")) else url_for("staff.inbox"),
    )
