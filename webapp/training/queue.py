"""The brigade's lists of training requests: the filtered queue, sessions, the CSV export."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webapp.common.audit import record_audit
from webapp.common.clock import local_to_utc, to_local
from webapp.common.pagination import Page
from webapp.extensions import db
from webapp.training.models import TrainingRequest
from webapp.training.vocabulary import industry_label, topic_label
from webapp.transactions import transactional

PER_PAGE = 25
EXPORT_LIMIT = 10_000


def filtered_requests(filters: dict):
    """A select of the requests matching the queue's filters, oldest first."""
    query = select(TrainingRequest)
    if filters.get("state"):
        query = query.where(TrainingRequest.state == filters["state"])
    if filters.get("industry"):
        query = query.where(TrainingRequest.industry == filters["industry"])
    if filters.get("received_from"):
        query = query.where(TrainingRequest.created_at >= _utc_start_of(filters["received_from"]))
    if filters.get("received_to"):
        next_day = filters["received_to"] + timedelta(days=1)
        query = query.where(TrainingRequest.created_at < _utc_start_of(next_day))
    return query.order_by(TrainingRequest.created_at, TrainingRequest.id)


def _utc_start_of(day: date) -> datetime:
    """Midnight of a Beijing calendar day, as stored (UTC)."""
    return local_to_utc(datetime.combine(day, time()))


def queue_page(filters: dict, *, number: int) -> Page:
    query = filtered_requests(filters)
    total = db.session.scalar(select(db.func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    return Page(items=list(items), number=number, per_page=PER_PAGE, total=total or 0)


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
def export_rows(filters: dict, *, actor, ip: str = "") -> list[list]:
    """The filtered queue as CSV rows, phones masked; the export goes to the audit log."""
    requests = db.session.scalars(filtered_requests(filters).limit(EXPORT_LIMIT)).all()
    rows = [_export_row(training) for training in requests]
    record_audit(
        "training.export",
        actor=actor,
        target="training",
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


def _describe(filters: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in filters.items() if value)
