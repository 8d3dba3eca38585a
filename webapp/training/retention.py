"""Data retention for training requests: the contact person goes, the figures stay."""

from datetime import datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.notifications.retention import (
    BLANKED,
    MASKED,
    forget_around,
    scrub_attribute,
    submissions_of,
)
from webapp.training.models import TrainingRequest
from webapp.training.states import CLOSED_STATES

# What retention does to each text column (see webapp/notifications/retention.py).
ANONYMISED = {
    TrainingRequest.contact_name: BLANKED,
    TrainingRequest.contact_phone: BLANKED,
    TrainingRequest.contact_email: BLANKED,
    TrainingRequest.notes: BLANKED,
    TrainingRequest.address: MASKED,
    TrainingRequest.session_address: MASKED,
    TrainingRequest.delivery_notes: MASKED,
    TrainingRequest.decline_reason: MASKED,
}
NOT_PERSONAL = {
    TrainingRequest.reference: "the request's reference",
    TrainingRequest.company_name: "a company, kept for the statistics",
    TrainingRequest.credit_code: "a company's unified social credit code",
    TrainingRequest.industry: "an industry code",
    TrainingRequest.topics_text: "topic codes",
    TrainingRequest.preferred_dates_text: "dates",
    TrainingRequest.venue: "a venue code",
    TrainingRequest.language: "a language code",
    TrainingRequest.session_venue: "a venue code",
    TrainingRequest.officer_name: "the officer who gave the session (staff)",
    TrainingRequest.state: "a state",
}
_CONTACT = ("contact_name", "contact_phone", "contact_email", "notes")
# Masked with the contact's name, phone and e-mail removed.
_TEXTS = ("address", "session_address", "delivery_notes", "decline_reason")


def anonymise_closed_requests(cutoff: datetime) -> int:
    """Blank the contact person's data of requests closed before `cutoff`.

    The contact's name, phone and e-mail, and any ID number, phone, plate or
    e-mail, are taken out of the addresses, the delivery notes, the reason for a
    decline and the rows around the request (`forget_around`). Keeps the company,
    the dates, the topics and the attendance that the statistics need; does not
    commit (the retention command does). A second run changes nothing.
    """
    closed_before = (
        TrainingRequest.state.in_(CLOSED_STATES),
        TrainingRequest.state_changed_at < cutoff,
    )
    personal, changed = {}, 0
    for training in db.session.scalars(select(TrainingRequest).where(*closed_before)):
        personal[training.id] = (
            training.contact_name,
            training.contact_phone,
            training.contact_email,
        )
        changed += _anonymise(training, personal[training.id])
    return changed + forget_around(
        submissions_of(TrainingRequest, *closed_before, personal=personal)
    )


def _anonymise(training: TrainingRequest, personal: tuple[str, ...]) -> bool:
    blanked = any(getattr(training, name) for name in _CONTACT)
    for name in _CONTACT:
        setattr(training, name, "")
    scrubbed = [scrub_attribute(training, name, personal) for name in _TEXTS]
    return blanked or any(scrubbed)
