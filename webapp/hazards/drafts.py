"""A checked report form, the resident's or a partner's, as the draft submit_report takes."""

from webapp.hazards.forms import HazardReportForm
from webapp.hazards.services import ReportDraft


def report_draft(
    form: HazardReportForm, *, language: str, submission_token: str | None = None
) -> ReportDraft:
    """Read a validated report form into a ReportDraft.

    The Open311 form is this form filled from GeoReport arguments, so both read
    the same fields. A name or phone left out is empty; only the web form has a
    one-time token, which makes the same form sent twice one report.
    """
    coordinates = form.coordinates()
    return ReportDraft(
        category=form.category.data,
        location=form.location.data,
        description=form.description.data,
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
        reporter_name=form.reporter_name.data or "",
        reporter_phone=form.reporter_phone.data or "",
        submission_token=submission_token or None,
        language=language,
    )
