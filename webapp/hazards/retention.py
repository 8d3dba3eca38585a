"""Data retention for hazard reports: personal data goes, the facts and figures stay."""

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from webapp.extensions import db
from webapp.hazards.models import HazardFollower, HazardPhoto, HazardReport
from webapp.hazards.states import OPEN_STATES
from webapp.notifications.retention import (
    BLANKED,
    MASKED,
    forget_around,
    scrub_attribute,
    submissions_of,
)

# What retention does to each text column (see webapp/notifications/retention.py).
ANONYMISED = {
    HazardReport.reporter_name: BLANKED,
    HazardReport.reporter_phone: BLANKED,
    HazardReport.description: MASKED,
    HazardReport.location: MASKED,
    HazardReport.responsible_party: MASKED,
    HazardReport.finding: MASKED,
    HazardReport.rectification_request: MASKED,
    HazardFollower.phone: BLANKED,
}
NOT_PERSONAL = {
    HazardReport.reference: "the report's public reference",
    HazardReport.submission_token: "a random token of the form that made the report",
    HazardReport.category: "a category code",
    HazardReport.language: "a language code",
    HazardReport.state: "a state",
    HazardFollower.language: "a language code",
    HazardFollower.code_hash: "an HMAC of a one-time code (blanked with the number all the same)",
    HazardPhoto.file_name: "made by the server from random bytes",
    HazardPhoto.thumbnail_name: "made by the server from random bytes",
}
# Masked with the reporter's name and phone removed.
_TEXTS = ("description", "location", "responsible_party", "finding", "rectification_request")


def anonymise_reports(cutoff: datetime) -> int:
    """Blank the reporter's name and phone of reports finished before `cutoff`.

    The reporter's name and phone, and any ID number, phone, plate or e-mail, are
    taken out of the description, the location, the responsible party, the finding
    and the rectification request, and out of the rows around the report (public
    messages, staff notes, outbox, audit log: `forget_around`). Rows, states,
    dates, places and categories stay. Does not commit; a second run changes
    nothing and returns 0.
    """
    finished = (
        HazardReport.state.not_in([state.value for state in OPEN_STATES]),
        HazardReport.state_changed_at < cutoff,
    )
    personal, changed = {}, 0
    for report in db.session.scalars(select(HazardReport).where(*finished)):
        personal[report.id] = (report.reporter_name, report.reporter_phone)
        changed += _anonymise(report, personal[report.id])
    return changed + forget_around(submissions_of(HazardReport, *finished, personal=personal))


def _anonymise(report: HazardReport, personal: tuple[str, ...]) -> bool:
    blanked = bool(report.reporter_name or report.reporter_phone)
    report.reporter_name, report.reporter_phone = "", ""
    scrubbed = [scrub_attribute(report, name, personal) for name in _TEXTS]
    return blanked or any(scrubbed)


def anonymise_followers(cutoff: datetime) -> int:
    """Blank the numbers of followers whose use has ended before `cutoff`.

    Those of a report finished before it (as `anonymise_reports` finds them), those
    who stopped the texts before it, and those who never confirmed their number and
    asked before it. The rows stay (how many followed a report); their texts in the
    outbox go with the report's (`forget_around`) or with age. Does not commit; a
    second run changes nothing and returns 0.
    """
    finished = select(HazardReport.id).where(
        HazardReport.state.not_in([state.value for state in OPEN_STATES]),
        HazardReport.state_changed_at < cutoff,
    )
    ended = or_(
        HazardFollower.report_id.in_(finished),
        HazardFollower.unsubscribed_at < cutoff,
        and_(HazardFollower.confirmed_at.is_(None), HazardFollower.created_at < cutoff),
    )
    return db.session.execute(
        update(HazardFollower)
        .where(HazardFollower.phone != "", ended)
        .values(phone="", code_hash="")
        .execution_options(synchronize_session="fetch")
    ).rowcount
