"""The life of a training request (SPEC.md §4), in one transition table."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class TrainingState(StrEnum):
    SUBMITTED = "submitted"
    REVIEWING = "reviewing"
    SCHEDULED = "scheduled"
    DELIVERED = "delivered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


S = TrainingState

# A scheduled session may be moved (scheduled -> scheduled) or called off (declined).
TRAINING_TRANSITIONS = TransitionTable(
    {
        S.SUBMITTED: {S.REVIEWING, S.DECLINED, S.WITHDRAWN},
        S.REVIEWING: {S.SCHEDULED, S.DECLINED, S.WITHDRAWN},
        S.SCHEDULED: {S.SCHEDULED, S.DELIVERED, S.DECLINED, S.WITHDRAWN},
    }
)

STATE_LABELS = {
    S.SUBMITTED: _l("Submitted"),
    S.REVIEWING: _l("Being reviewed"),
    S.SCHEDULED: _l("Scheduled"),
    S.DELIVERED: _l("Delivered"),
    S.DECLINED: _l("Declined"),
    S.WITHDRAWN: _l("Withdrawn"),
}

OPEN_STATES = frozenset({S.SUBMITTED, S.REVIEWING, S.SCHEDULED})
CLOSED_STATES = frozenset({S.DELIVERED, S.DECLINED, S.WITHDRAWN})
