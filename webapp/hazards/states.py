"""The life of a hazard report: 排查 → 整改 → 销号 (SPEC.md §2), in one table."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class HazardState(StrEnum):
    SUBMITTED = "submitted"
    INVESTIGATING = "investigating"
    RECTIFYING = "rectifying"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


TRANSITIONS = TransitionTable(
    {
        HazardState.SUBMITTED: (
            HazardState.INVESTIGATING,
            HazardState.REJECTED,
            HazardState.DUPLICATE,
        ),
        HazardState.INVESTIGATING: (
            HazardState.RECTIFYING,
            HazardState.REJECTED,
            HazardState.DUPLICATE,
        ),
        HazardState.RECTIFYING: (HazardState.CLOSED,),
        # Only the reporter reopens a closed report, within REOPEN_DAYS.
        HazardState.CLOSED: (HazardState.INVESTIGATING,),
    }
)

OPEN_STATES = frozenset({HazardState.SUBMITTED, HazardState.INVESTIGATING, HazardState.RECTIFYING})
REOPEN_DAYS = 30

STATE_LABELS = {
    HazardState.SUBMITTED: _l("Submitted"),
    HazardState.INVESTIGATING: _l("Investigating"),
    HazardState.RECTIFYING: _l("Rectifying"),
    HazardState.CLOSED: _l("Closed"),
    HazardState.REJECTED: _l("Rejected"),
    HazardState.DUPLICATE: _l("Duplicate"),
}


def state_label(code: str | None) -> str:
    try:
        return str(STATE_LABELS[HazardState(code)])
    except ValueError:
        return code or ""


def state_choices() -> list[tuple[str, str]]:
    return [(state.value, label) for state, label in STATE_LABELS.items()]
