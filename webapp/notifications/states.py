"""The life of an outbox message: pending -> sending -> sent, or back to pending, or failed.

A message over the per-recipient cap is `suppressed` when it is queued: it is kept, with
its reason, for the back office, and never sent (no transition leaves it).
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from webapp.common.workflow import TransitionTable


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


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
    MessageStatus.SUPPRESSED: _l("Not sent: over the limit"),
}


class SuppressionReason(StrEnum):
    RECIPIENT_DAILY_LIMIT = "recipient_daily_limit"


SUPPRESSION_REASONS = {
    SuppressionReason.RECIPIENT_DAILY_LIMIT: _l(
        "This number or address had already been sent the most messages allowed in 24 hours."
    ),
}
