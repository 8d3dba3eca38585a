"""Data retention for hazard reports: personal data goes, the facts and figures stay."""

from datetime import datetime

from sqlalchemy import select

from webapp.common.identifiers import mask_personal_data_in_text
from webapp.common.workflow import mask_personal_data_in_notes
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import OPEN_STATES


def anonymise_reports(cutoff: datetime) -> int:
    """Blank the reporter's name and phone of reports finished before `cutoff`.

    ID numbers, phones and plates typed into the description, the location and
    staff notes are masked too. Rows, states, dates, places and categories stay.
    Does not commit; a second run changes nothing and returns 0.
    """
    reports = db.session.scalars(
        select(HazardReport).where(
            HazardReport.state.not_in([state.value for state in OPEN_STATES]),
            HazardReport.state_changed_at < cutoff,
        )
    )
    return sum(_anonymise(report) for report in reports)


def _anonymise(report: HazardReport) -> bool:
    before = (report.reporter_name, report.reporter_phone, report.description, report.location)
    report.reporter_name, report.reporter_phone = "", ""
    report.description = mask_personal_data_in_text(report.description)
    report.location = mask_personal_data_in_text(report.location)
    changed = before != (
        report.reporter_name,
        report.reporter_phone,
        report.description,
        report.location,
    )
    notes_changed = mask_personal_data_in_notes(report.SUBJECT_TYPE, [report.id])
    return changed or bool(notes_changed)
