"""The life of an outbox message: pending -> sending -> sent, or back to pending, or failed."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


# sending -> pending: a failed attempt waits for its retry, or an abandoned claim is released.
# failed -> pending: an administrator asks for another try.
MESSAGE_TRANSITIONS = TransitionTable(
    {
        MessageStatus.PENDING: [MessageStatus.SENDING],
        MessageStatus.SENDING: [MessageStatus.SENT, MessageStatus.PENDING, MessageStatus.FAILED],
        MessageStatus.FAILED: [MessageStatus.PENDING],
    }
)

STATUS_LABELS = {
    MessageStatus.PENDING: _l("Waiting to be sent"),
    MessageStatus.SENDING: _l("Being sent"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Failed"),
}
