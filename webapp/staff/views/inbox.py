"""The inbox at /staff/: every open submission the user's roles allow, in one table."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from webapp.common.clock import local_now
from webapp.common.confirmation import Confirmation, is_confirmed, render_confirmation
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
    state_tabs,
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
        overdue=bool(form.overdue.data),
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


SAVED_VIEWS = (
    ("", _l("Everything open")),
    ("mine", _l("Mine")),
    ("unassigned", _l("Unassigned")),
    ("overdue", _l("Overdue")),
)


def _saved_views(query_args: dict) -> list[tuple[str, str, bool]]:
    """(label, address, is the current view) of each saved view: one filter, nothing else."""
    views = []
    for name, label in SAVED_VIEWS:
        args = {name: "y"} if name else {}
        views.append((str(label), url_for("staff.inbox", **args), query_args == args))
    return views


def _render_inbox(form: InboxFilterForm, filters: InboxFilters, status: int = 200):
    page = inbox_page(current_user, filters, number=page_number(request.args.get("page")))
    query_args = {key: value for key, value in request.args.items() if key != "page"}
    template = render_template(
        "staff/inbox.html",
        form=form,
        filters=filters,
        bulk_form=_bulk_form(form),
        page=page,
        capped=is_capped(page),
        count_cap=COUNT_CAP,
        has_sources=bool(sources_for(current_user)),
        query_args=query_args,
        saved_views=_saved_views(query_args),
        tabs=state_tabs(current_user, filters),
        more_filters=_more_filters_in_use(query_args),
    )
    return template, status


def _more_filters_in_use(query_args: dict) -> bool:
    """Whether a filter folded under "More filters" is set (the fold then opens)."""
    shown = {"q", "state", "mine", "unassigned", "overdue", "lang"}
    return any(value for key, value in query_args.items() if key not in shown)


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
    """Assign at once; a move to another state shows its summary first (issue 18)."""
    form = _filter_form()
    bulk = _bulk_form(form)
    keys = _selected_keys()
    references = {key: request.form.get(f"ref-{key}", key) for key in keys}
    back = request.form.get("back")
    back = back if is_safe_next(back) else url_for("staff.inbox")
    results, problem = [], None
    if not keys:
        problem = _("Select at least one row.")
    elif bulk.action.data == "state" and not bulk.target_state.data:
        problem = _("Choose the new state.")
    elif not bulk.validate_on_submit():
        problem = _("The form has expired. Go back to the inbox and try again.")
    elif bulk.action.data == "state" and not is_confirmed():
        return render_confirmation(
            _state_change_summary(bulk, keys, references, back), layout="staff/layout.html"
        )
    else:
        results = _apply_bulk(bulk, keys)
    return render_template(
        "staff/inbox-bulk.html",
        results=results,
        references=references,
        problem=problem,
        back=back,
    )


def _selected_keys() -> list[str]:
    """The rows ticked, or every row of the page when "select all" was ticked.

    "Select all" is a real checkbox: without JavaScript it still means the whole
    page, whose rows each send their reference as `ref-<key>`.
    """
    if request.form.get("select_all") == "1":
        return [name.removeprefix("ref-") for name in request.form if name.startswith("ref-")]
    return request.form.getlist("row")


def _apply_bulk(bulk: BulkForm, keys: list[str]):
    actor, ip = acting_user(), client_ip()
    if bulk.action.data == "state":
        return bulk_change_state(
            keys, state=bulk.target_state.data, message=bulk.message.data or "", actor=actor, ip=ip
        )
    assignee = actor if bulk.action.data == "assign_me" else None
    return bulk_assign(keys, assignee=assignee, actor=actor, ip=ip)


def _state_change_summary(bulk: BulkForm, keys, references, back: str) -> Confirmation:
    """How many rows, which state and the public message, before anything moves."""
    state = {choice.value: choice.label for choice in bulk.target_state.choices}.get(
        bulk.target_state.data, bulk.target_state.data
    )
    message = bulk.message.data or ""
    carry = [("row", key) for key in keys]
    carry += [(f"ref-{key}", reference) for key, reference in references.items()]
    carry += [
        ("action", "state"),
        ("target_state", bulk.target_state.data),
        ("message", message),
        ("back", back),
    ]
    return Confirmation(
        title=ngettext(
            "Move %(num)d row to “%(state)s”?",
            "Move %(num)d rows to “%(state)s”?",
            len(keys),
            state=state,
        ),
        action=url_for("staff.inbox_bulk"),
        button=ngettext("Move %(num)d row", "Move %(num)d rows", len(keys)),
        back_url=back,
        back_label=_("No, back to the inbox"),
        facts=[
            (_("Rows"), ngettext("%(num)d row", "%(num)d rows", len(keys))),
            (_("Submissions"), ", ".join(references.values())),
            (_("New state"), state),
            (_("Public message"), message or _("(none)")),
        ],
        consequences=[
            _("Each submission gets an event with this message, which its sender can read."),
            _("A row whose workflow does not allow this move is refused and left as it is."),
        ],
        carry=carry,
    )
