"""Data retention for training requests: the contact person goes, the figures stay."""

from datetime import datetime

from sqlalchemy import select, update

from webapp.common.workflow import mask_personal_data_in_notes
from webapp.extensions import db
from webapp.training.models import TrainingRequest
from webapp.training.states import CLOSED_STATES


def anonymise_closed_requests(cutoff: datetime) -> int:
    """Blank the contact person's data of requests closed before `cutoff`.

    Keeps the company, the dates, the topics and the attendance that the
    statistics need; does not commit (the retention command does).
    """
    closed_before = (
        TrainingRequest.state.in_(CLOSED_STATES),
        TrainingRequest.state_changed_at < cutoff,
    )
    result = db.session.execute(
        update(TrainingRequest)
        .where(*closed_before, TrainingRequest.contact_phone != "")
        .values(contact_name="", contact_phone="", contact_email="", notes="")
    )
    notes_changed = mask_personal_data_in_notes(
        TrainingRequest.SUBJECT_TYPE, select(TrainingRequest.id).where(*closed_before)
    )
    return result.rowcount + notes_changed
