"""Life cycle of a place on a waiting list."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class EntryState(StrEnum):
    WAITING = "waiting"  # in line
    OFFERED = "offered"  # a seat is held for them until the offer expires
    BOOKED = "booked"  # they confirmed: an ordinary booking now holds the seat
    DECLINED = "declined"  # they turned the offer down
    EXPIRED = "expired"  # the offer went unanswered
    LEFT = "left"  # they left the list
    CLOSED = "closed"  # the list was closed, its sessions passed, they booked another way,
    # or they could no longer take the seat offered


ACTIVE_STATES = (EntryState.WAITING, EntryState.OFFERED)

ENTRY_TRANSITIONS = TransitionTable(
    {
        EntryState.WAITING: {EntryState.OFFERED, EntryState.LEFT, EntryState.CLOSED},
        EntryState.OFFERED: {
            EntryState.BOOKED,
            EntryState.DECLINED,
            EntryState.EXPIRED,
            EntryState.LEFT,
            EntryState.CLOSED,
            EntryState.WAITING,  # the session of the offer was cancelled: back in line
        },
    }
)
ENTRY_STATE_LABELS = {
    EntryState.WAITING: _l("Waiting"),
    EntryState.OFFERED: _l("Seat offered"),
    EntryState.BOOKED: _l("Booked from the waiting list"),
    EntryState.DECLINED: _l("Offer declined"),
    EntryState.EXPIRED: _l("Offer expired"),
    EntryState.LEFT: _l("Left the waiting list"),
    EntryState.CLOSED: _l("Waiting list closed"),
}
