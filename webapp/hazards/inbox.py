"""Hazard reports in the back office's one inbox, its bulk actions and its figures."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.common.clock import to_local
from webapp.common.identifiers import mask_phone
from webapp.common.workflow import TransitionNotAllowed, assign
from webapp.extensions import db
from webapp.hazards import staff_services as service
from webapp.hazards.categories import CATEGORY_LABELS, category_label
from webapp.hazards.errors import StateChangeRefused
from webapp.hazards.models import HazardReport
from webapp.hazards.states import OPEN_STATES, STATE_LABELS, HazardState, state_label
from webapp.staff.inbox import (
    FigureTable,
    InboxActionRefused,
    InboxRow,
    InboxSource,
    Period,
    SourceFigures,
    filter_select,
    load_row,
)
from webapp.staff.roles import Role

TYPE = HazardReport.SUBJECT_TYPE


def _select_rows(filters, user):
    """The reports `filters` match, for the inbox and the hazard officer's queue alike."""
    return filter_select(
        select(HazardReport),
        filters=filters,
        user=user,
        state_column=HazardReport.state,
        open_states=[state.value for state in OPEN_STATES],
        created_column=HazardReport.created_at,
        assignee_column=HazardReport.assignee_id,
        category_column=HazardReport.category,
        search_columns=(HazardReport.reference,),
        phone_columns=(HazardReport.reporter_phone,),
        id_column=HazardReport.id,
        latitude_column=HazardReport.latitude,
        longitude_column=HazardReport.longitude,
    )


def _to_row(report: HazardReport) -> InboxRow:
    phone = mask_phone(report.reporter_phone)
    return InboxRow(
        row_id=report.id,
        reference=report.reference,
        type=TYPE,
        type_label=str(_l("Road hazard report")),
        category=category_label(report.category),
        summary=" · ".join(part for part in (report.location, phone) if part),
        state=report.state,
        state_label=state_label(report.state),
        created_at=report.created_at,
        state_changed_at=report.state_changed_at,
        assignee=report.assignee.name if report.assignee else "",
        detail_url=url_for("hazards_staff.detail", reference=report.reference),
        is_open=report.is_open,
    )


def _assign(row_id: int, assignee) -> HazardReport:
    """A bulk assignment: the inbox writes the audit entry in its transaction."""
    report = load_row(HazardReport, row_id)
    assign(report, assignee)
    return report


def _change_state(row_id: int, state: str, message: str, actor) -> HazardReport:
    """A bulk move: the same rules as one report's form (reasons, parties, originals).

    No commit and no audit entry: the inbox writes the row's one entry.
    """
    report = load_row(HazardReport, row_id)
    if not report.staff_can_move_to(state):
        raise TransitionNotAllowed(report.state, state)
    try:
        service.move_report(
            report, service.StateChange(to_state=state, public_message=message), actor=actor
        )
    except StateChangeRefused as refused:
        raise InboxActionRefused(refused.message) from None
    return report


def _figures(period: Period) -> SourceFigures:
    in_period = (HazardReport.created_at >= period.start, HazardReport.created_at < period.end)
    return SourceFigures(
        by_state=_counted(HazardReport.state, STATE_LABELS, in_period),
        by_category=_counted(HazardReport.category, CATEGORY_LABELS, in_period),
        hours_to_close=_hours_to_close(in_period),
        monthly=_monthly(period, in_period),
        tables=[_referrals(in_period)],
    )


def _counted(column, labels, conditions) -> list[tuple[str, int]]:
    counts = dict(
        db.session.execute(select(column, func.count()).where(*conditions).group_by(column)).all()
    )
    return [(str(label), counts.get(code.value, 0)) for code, label in labels.items()]


def _hours_to_close(conditions) -> list[float]:
    rows = db.session.execute(
        select(HazardReport.created_at, HazardReport.closed_at).where(
            *conditions, HazardReport.state == HazardState.CLOSED
        )
    )
    return [(closed - created).total_seconds() / 3600 for created, closed in rows if closed]


def _monthly(period: Period, conditions) -> list[int]:
    months = [
        to_local(created)
        for created in db.session.scalars(select(HazardReport.created_at).where(*conditions))
    ]
    return [sum((m.year, m.month) == month for m in months) for month in period.months]


def _referrals(conditions) -> FigureTable:
    """Reports referred to each agency or company (整改责任单位), most first."""
    rows = db.session.execute(
        select(HazardReport.responsible_party, func.count())
        .where(*conditions, HazardReport.responsible_party != "")
        .group_by(HazardReport.responsible_party)
        .order_by(func.count().desc(), HazardReport.responsible_party)
    ).all()
    return FigureTable(title=_l("Hazards referred, by responsible party"), rows=rows)


SOURCE = InboxSource(
    type=TYPE,
    label=_l("Road hazard report"),
    roles=frozenset({Role.HAZARD_OFFICER}),
    select_rows=_select_rows,
    to_row=_to_row,
    states=list(STATE_LABELS.items()),
    categories=list(CATEGORY_LABELS.items()),
    assign=_assign,
    change_state=_change_state,
    figures=_figures,
)
