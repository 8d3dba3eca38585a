"""The brigade's lists of training requests: the filtered queue, sessions, the CSV export.

The queue is the unified inbox's training rows (`inbox.SOURCE.select_rows`), filtered
by the same `InboxFilters`: the inbox's category is the request's industry.
"""

from dataclasses import fields

from webapp.common.audit import record_audit
from webapp.common.clock import to_local
from webapp.common.pagination import Page
from webapp.extensions import db
from webapp.staff.inbox import ALL_STATES, InboxFilters, source_page
from webapp.training.inbox import SOURCE
from webapp.training.models import TrainingRequest
from webapp.training.vocabulary import industry_label, topic_label
from webapp.transactions import transactional

PER_PAGE = 25
EXPORT_LIMIT = 10_000


def queue_page(filters: InboxFilters, *, user, number: int) -> Page:
    """One page of the requests matching the filters, oldest first."""
    return source_page(SOURCE, filters, user, number=number, per_page=PER_PAGE)


def scheduled_sessions() -> list[TrainingRequest]:
    return list(db.session.scalars(TrainingRequest.scheduled_in_date_order()))


EXPORT_HEADER = (
    "reference",
    "received",
    "state",
    "company_name",
    "credit_code",
    "industry",
    "contact_name",
    "contact_phone",
    "audience_size",
    "topics",
    "preferred_dates",
    "venue",
    "session_starts_at",
    "attendance",
)


@transactional
def export_rows(filters: InboxFilters, *, actor, ip: str = "") -> list[list]:
    """The filtered queue as CSV rows, phones masked; the export goes to the audit log."""
    requests = db.session.scalars(SOURCE.select_rows(filters, actor).limit(EXPORT_LIMIT)).all()
    rows = [_export_row(training) for training in requests]
    record_audit(
        "training.export",
        actor=actor,
        target=TrainingRequest.SUBJECT_TYPE,  # the kind only: the export names no one request
        ip=ip,
        detail=f"{len(rows)} rows; filters: {_describe(filters)}",
    )
    return rows


def _export_row(training: TrainingRequest) -> list:
    start = training.local_session_start
    return [
        training.reference,
        to_local(training.created_at).strftime("%Y-%m-%d %H:%M"),
        training.state_label,
        training.company_name,
        training.credit_code,
        industry_label(training.industry),
        training.contact_name,
        training.masked_phone,
        training.audience_size,
        "; ".join(topic_label(code) for code in training.topics),
        " ".join(day.isoformat() for day in training.preferred_dates),
        training.venue_label,
        start.strftime("%Y-%m-%d %H:%M") if start else "",
        "" if training.attendance is None else training.attendance,
    ]


def _describe(filters: InboxFilters) -> str:
    """The filters chosen, e.g. `state=submitted, category=food_delivery`."""
    chosen = ((field.name, getattr(filters, field.name)) for field in fields(filters))
    return ", ".join(
        f"{name}={value}" for name, value in chosen if value not in ("", None, False, ALL_STATES)
    )
