"""Reading the audit log: filters and pages. There is deliberately no writer here."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from webapp.common.audit import AuditEntry
from webapp.common.clock import local_days_as_utc
from webapp.common.pagination import Page
from webapp.extensions import db

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_query(filters: AuditFilters):
    stmt = AuditEntry.newest_first()
    if filters.actor:
        stmt = stmt.where(func.lower(AuditEntry.actor_name) == filters.actor.lower())
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    start, end = local_days_as_utc(filters.date_from, filters.date_to)
    if start is not None:
        stmt = stmt.where(AuditEntry.created_at >= start)
    if end is not None:
        stmt = stmt.where(AuditEntry.created_at < end)
    return stmt


def audit_page(filters: AuditFilters, *, number: int) -> Page:
    stmt = audit_query(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(PER_PAGE).offset((number - 1) * PER_PAGE)))
    return Page(items=items, number=number, per_page=PER_PAGE, total=total)


def known_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
