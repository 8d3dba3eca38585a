"""Training requests in the back office's one inbox, its bulk actions and its reports."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.common.clock import to_local
from webapp.common.workflow import TransitionNotAllowed, assign
from webapp.extensions import db
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
from webapp.training import services
from webapp.training.models import TrainingRequest
from webapp.training.states import OPEN_STATES, STATE_LABELS, TrainingState
from webapp.training.vocabulary import INDUSTRIES

TYPE = TrainingRequest.SUBJECT_TYPE
LABEL = _l("Enterprise training request")


def _select_rows(filters, user):
    """The inbox's training rows, and the training queue's (industry is the category)."""
    return filter_select(
        select(TrainingRequest),
        filters=filters,
        user=user,
        state_column=TrainingRequest.state,
        open_states=tuple(OPEN_STATES),
        created_column=TrainingRequest.created_at,
        assignee_column=TrainingRequest.assignee_id,
        category_column=TrainingRequest.industry,
        search_columns=(
            TrainingRequest.reference,
            TrainingRequest.company_name,
            TrainingRequest.contact_phone,
            TrainingRequest.contact_name,
        ),
        id_column=TrainingRequest.id,
    )


def _to_row(training: TrainingRequest) -> InboxRow:
    return InboxRow(
        row_id=training.id,
        reference=training.reference,
        type=TYPE,
        type_label=str(LABEL),
        category=training.industry_label,
        summary=f"{training.company_name} · {training.contact_name} {training.masked_phone}",
        state=training.state,
        state_label=training.state_label,
        created_at=training.created_at,
        state_changed_at=training.state_changed_at,
        assignee=training.officer_display_name,
        detail_url=url_for("training_staff.detail", request_id=training.id),
        is_open=training.is_open,
    )


def _assign(row_id: int, assignee) -> TrainingRequest:
    training = load_row(TrainingRequest, row_id)
    if not training.is_open:
        raise InboxActionRefused(_l("A closed training request cannot be assigned."))
    assign(training, assignee)
    if assignee is not None:
        training.officer_name = ""
    return training


def _change_state(row_id: int, state: str, message: str, actor) -> TrainingRequest:
    """Start the review or decline in bulk; a session is scheduled on the request's page.

    The same verbs as one request's page, joining the bulk action's transaction;
    the bulk action writes the row's one audit entry.
    """
    training = load_row(TrainingRequest, row_id)
    bulk_steps = (TrainingState.REVIEWING, TrainingState.DECLINED)
    if state in bulk_steps and not training.can_move_to(state):
        raise TransitionNotAllowed(training.state, state)
    if state == TrainingState.REVIEWING:
        services.start_review(training, actor=actor, audit=False)
    elif state == TrainingState.DECLINED:
        if not message.strip():
            raise InboxActionRefused(_l("A decline needs a reason: write it as the message."))
        services.decline_request(training, reason=message.strip(), actor=actor, audit=False)
    elif state == TrainingState.WITHDRAWN:
        raise InboxActionRefused(_l("Only the company can withdraw its request."))
    else:
        raise InboxActionRefused(
            _l("Schedule a session or record its delivery on the request's own page.")
        )
    return training


def _figures(period: Period) -> SourceFigures:
    requests = db.session.scalars(
        select(TrainingRequest).where(
            TrainingRequest.created_at >= period.start, TrainingRequest.created_at < period.end
        )
    ).all()
    months = [(to_local(r.created_at).year, to_local(r.created_at).month) for r in requests]
    delivered = [r for r in requests if r.is_delivered]
    return SourceFigures(
        by_state=[(str(label), sum(r.state == s for r in requests)) for s, label in _states()],
        by_category=[
            (str(label), sum(r.industry == code for r in requests))
            for code, label in INDUSTRIES.items()
        ],
        hours_to_close=[
            (r.state_changed_at - r.created_at).total_seconds() / 3600
            for r in requests
            if not r.is_open
        ],
        monthly=[months.count(month) for month in period.months],
        tables=[
            FigureTable(
                title=str(_l("People trained, by industry")),
                rows=[
                    (str(label), sum(r.attendance or 0 for r in delivered if r.industry == code))
                    for code, label in INDUSTRIES.items()
                ],
            )
        ],
    )


def _states():
    return list(STATE_LABELS.items())


SOURCE = InboxSource(
    type=TYPE,
    label=LABEL,
    roles=frozenset({Role.EDUCATION_OFFICER}),
    select_rows=_select_rows,
    to_row=_to_row,
    states=_states(),
    categories=list(INDUSTRIES.items()),
    assign=_assign,
    change_state=_change_state,
    figures=_figures,
)
