"""The life of a hazard report: 排查 → 整改 → 销号 (SPEC.md §2), in one table."""

from enum import StrEnum
from functools import lru_cache

from flask_babel import get_locale
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
        # Reopened when the reporter says it is still not fixed (within REOPEN_DAYS).
        HazardState.CLOSED: (HazardState.INVESTIGATING,),
    }
)

# Moves only the reporter makes (SPEC.md §2: "still not fixed" within 30 days).
REPORTER_ONLY_MOVES = frozenset({(HazardState.CLOSED, HazardState.INVESTIGATING)})

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


@lru_cache(maxsize=8)
def _translated(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((state.value, str(label)) for state, label in STATE_LABELS.items())


def state_choices() -> list[tuple[str, str]]:
    """(code, label) pairs in the reader's language, translated once per language."""
    return list(_translated(str(get_locale())))


@lru_cache(maxsize=8)
def _label_map(locale: str) -> dict[str, str]:
    return dict(_translated(locale))


def state_label(code: str | None) -> str:
    return _label_map(str(get_locale())).get(code or "", code or "")
