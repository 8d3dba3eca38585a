"""A test-only inbox source, kept honest: its rows live in a real table.

There is no feature table on this branch, so each "feedback" submission is a
row of `workflow_events` (subject_type "feedback"): `to_state` is its state,
`actor_id` its assignee, `from_state` its category, `public_message` its summary
("name phone"). Its transitions are a real TransitionTable.
"""

from enum import StrEnum

from sqlalchemy import select

from webapp.common.clock import to_local
from webapp.common.workflow import TransitionTable, WorkflowEvent
from webapp.extensions import db
from webapp.staff.inbox import (
    FigureTable,
    InboxActionRefused,
    InboxRow,
    InboxSource,
    SourceFigures,
    filter_select,
)
from webapp.staff.models import User
from webapp.staff.roles import Role

TYPE = "feedback"


class FeedbackState(StrEnum):
    SUBMITTED = "submitted"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


TRANSITIONS = TransitionTable(
    {
        FeedbackState.SUBMITTED: {FeedbackState.INVESTIGATING},
        FeedbackState.INVESTIGATING: {FeedbackState.CLOSED},
    }
)
OPEN = (FeedbackState.SUBMITTED, FeedbackState.INVESTIGATING)
STATES = [("submitted", "待受理"), ("investigating", "排查中"), ("closed", "已销号")]
CATEGORIES = [("guardrail", "护栏"), ("signal", "信号灯")]


def create_feedback(
    *,
    state="submitted",
    category="guardrail",
    summary="张三 13812345678",
    created_at=None,
    assignee=None,
    hours_to_close=0,
) -> WorkflowEvent:
    """One feedback row; `hours_to_close` is kept in subject_id for the figures."""
    row = WorkflowEvent(
        subject_type=TYPE,
        subject_id=hours_to_close,
        to_state=state,
        from_state=category,
        public_message=summary,
        actor_id=getattr(assignee, "id", None),
    )
    if created_at is not None:
        row.created_at = created_at
    db.session.add(row)
    db.session.commit()
    return row


def _select_rows(filters, user):
    return filter_select(
        select(WorkflowEvent).where(WorkflowEvent.subject_type == TYPE),
        filters=filters,
        user=user,
        state_column=WorkflowEvent.to_state,
        open_states=OPEN,
        created_column=WorkflowEvent.created_at,
        assignee_column=WorkflowEvent.actor_id,
        category_column=WorkflowEvent.from_state,
        search_columns=(WorkflowEvent.public_message,),
    )


def _to_row(event: WorkflowEvent) -> InboxRow:
    name, _, phone = event.public_message.partition(" ")
    masked = f"{phone[:3]}****{phone[-4:]}" if phone else ""
    assignee = db.session.get(User, event.actor_id) if event.actor_id else None
    return InboxRow(
        row_id=event.id,
        reference=f"FB-{event.id}",
        type=TYPE,
        type_label="意见反馈",
        category=dict(CATEGORIES).get(event.from_state, ""),
        summary=f"{name} {masked}".strip(),
        state=event.to_state,
        state_label=dict(STATES)[event.to_state],
        created_at=event.created_at,
        state_changed_at=event.created_at,
        assignee=assignee.name if assignee else "",
        detail_url=f"/staff/feedback/{event.id}",
        is_open=event.to_state in OPEN,
    )


def _load(row_id: int) -> WorkflowEvent:
    event = db.session.get(WorkflowEvent, row_id)
    if event is None or event.subject_type != TYPE:
        raise LookupError(row_id)
    return event


def _assign(row_id: int, assignee) -> None:
    event = _load(row_id)
    if event.to_state not in OPEN:
        raise InboxActionRefused("已销号的反馈不能指派。")
    event.actor_id = getattr(assignee, "id", None)


def _change_state(row_id: int, state: str, message: str, actor) -> None:
    event = _load(row_id)
    TRANSITIONS.check(event.to_state, state)
    event.to_state = state


def _figures(period) -> SourceFigures:
    events = db.session.scalars(
        select(WorkflowEvent).where(
            WorkflowEvent.subject_type == TYPE,
            WorkflowEvent.created_at >= period.start,
            WorkflowEvent.created_at < period.end,
        )
    ).all()
    by_state = [(label, sum(e.to_state == code for e in events)) for code, label in STATES]
    by_category = [(label, sum(e.from_state == code for e in events)) for code, label in CATEGORIES]
    months = [to_local(e.created_at) for e in events]  # months are Beijing months
    monthly = [sum((m.year, m.month) == month for m in months) for month in period.months]
    hours = [float(e.subject_id) for e in events if e.to_state == "closed"]
    return SourceFigures(
        by_state=by_state,
        by_category=by_category,
        hours_to_close=hours,
        monthly=monthly,
        tables=[FigureTable(title="转办单位", rows=[("市政公司", 2)])],
    )


SOURCE = InboxSource(
    type=TYPE,
    label="意见反馈",
    roles=frozenset({Role.HAZARD_OFFICER}),
    select_rows=_select_rows,
    to_row=_to_row,
    states=STATES,
    categories=CATEGORIES,
    assign=_assign,
    change_state=_change_state,
    figures=_figures,
)
