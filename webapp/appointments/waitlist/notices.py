"""Messages to people on a waiting list, through the outbox, in the language they joined in.

Each goes by SMS to their phone and, when they gave one, by e-mail too; it is
queued in the caller's transaction.
"""

from webapp.appointments.rules import service_rule
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.common.links import absolute_url
from webapp.notifications.messages import MessageKind
from webapp.notifications.services import queue_message


def wanted_label(entry: WaitlistEntry) -> str:
    """The session asked for, or the days any session of which will do (Beijing time)."""
    if entry.session_id is not None:
        session = entry.session
        return f"{session.day.isoformat()} {session.starts_at:%H:%M}"
    return f"{entry.first_day.isoformat()} – {entry.last_day.isoformat()}"


def offer_link(entry: WaitlistEntry) -> str:
    """The address of the page where the offer is confirmed, as the applicant reaches it."""
    return absolute_url("appointments.waitlist_offer", ref=entry.reference)


def tell_entry(entry: WaitlistEntry, kind: MessageKind, **context) -> None:
    """Queue one message about this place in line, by SMS and e-mail if given."""
    rule = service_rule(entry.service)
    context = {
        "reference": entry.reference,
        "service": rule.label if rule else entry.service,  # lazy: rendered in their language
        **context,
    }
    for channel, recipient in (("sms", entry.phone), ("email", entry.email)):
        queue_message(
            kind=kind,
            channel=channel,
            recipient=recipient,
            language=entry.language,
            subject_type=entry.SUBJECT_TYPE,
            subject_id=entry.id,
            context=context,
        )
