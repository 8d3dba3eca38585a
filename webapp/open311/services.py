"""Open311 use cases: partners' API keys, reports sent by a partner, public requests read."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from webapp.common.audit import record_audit
from webapp.common.clock import utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.services import ReportDraft, submit_report
from webapp.hazards.states import OPEN_STATES
from webapp.open311.models import ApiKey, hash_token
from webapp.transactions import transactional

TOKEN_BYTES = 32
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


class KeyRefused(Exception):
    """No API key, or one that is unknown or revoked."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class KeyNotFound(Exception):
    pass


# --- API keys (back office) ------------------------------------------------------


def list_keys() -> list[ApiKey]:
    return list(db.session.scalars(ApiKey.newest_first()))


@transactional
def issue_key(*, name: str, actor, ip: str = "") -> tuple[ApiKey, str]:
    """Make a key for a partner and return it with its token, which is shown once.

    Only the token's SHA-256 is stored: a lost token is revoked and a new one issued.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    key = ApiKey(name=name, key_hash=hash_token(token), created_by_id=getattr(actor, "id", None))
    db.session.add(key)
    db.session.flush()
    record_audit(
        "open311.key_issue", actor=actor, target=f"open311_key:{key.id}", ip=ip, detail=name
    )
    return key, token


@transactional
def revoke_key(key_id: int, *, actor, ip: str = "") -> ApiKey:
    """Refuse the key from now on; revoking a revoked key changes nothing. Raises KeyNotFound."""
    key = db.session.get(ApiKey, key_id)
    if key is None:
        raise KeyNotFound(key_id)
    if key.is_active:
        key.revoked_at = utcnow()
        record_audit(
            "open311.key_revoke",
            actor=actor,
            target=f"open311_key:{key.id}",
            ip=ip,
            detail=key.name,
        )
    return key


# --- Reports sent by a partner ---------------------------------------------------


def authenticate(token: str | None) -> ApiKey:
    """The active key with this token. Raises KeyRefused."""
    if not token:
        raise KeyRefused(_l("An api_key is required to create a service request."))
    key = db.session.scalar(ApiKey.active_with_token(token))
    if key is None:
        raise KeyRefused(_l("This api_key is not valid, or has been revoked."))
    return key


@transactional
def submit_partner_report(draft: ReportDraft, *, key: ApiKey, ip: str = "") -> HazardReport:
    """Create a hazard report for a partner, as the web form does, and mark the key used.

    The key's last use is saved with the report (submit_report joins this
    transaction), so a refused submission leaves no trace, not even the key's
    use. Raises what submit_report raises.
    """
    key.last_used_at = utcnow()
    return submit_report(draft, uploads=[], ip=ip, actor_name=f"open311:{key.name}"[:80])


# --- Reading public requests -----------------------------------------------------


@dataclass(frozen=True)
class RequestQuery:
    """What a GET of requests.json asks for; times are naive UTC as stored."""

    ids: tuple[str, ...] | None = None  # None: no filter; empty: nothing matches
    service_code: str = ""
    statuses: frozenset[str] = frozenset()
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class RequestPage:
    items: list[HazardReport]
    notes: dict[int, str]
    number: int
    has_next: bool


def _public_reports():
    return HazardReport.public().options(
        selectinload(HazardReport.photos), lazyload(HazardReport.assignee)
    )


def _filtered(query: RequestQuery):
    statement = _public_reports()
    if query.ids is not None:
        # GeoReport v2: with service_request_id, the other filters are ignored.
        return statement.where(HazardReport.reference.in_(query.ids))
    if query.service_code:
        statement = statement.where(HazardReport.category == query.service_code)
    if query.statuses == {"open"}:
        statement = statement.where(HazardReport.state.in_(OPEN_STATES))
    elif query.statuses == {"closed"}:
        statement = statement.where(HazardReport.state.not_in(OPEN_STATES))
    if query.start is not None:
        statement = statement.where(HazardReport.created_at >= query.start)
    if query.end is not None:
        statement = statement.where(HazardReport.created_at <= query.end)
    return statement


def find_public_requests(query: RequestQuery) -> RequestPage:
    """One page of public reports, newest first; private reports are never read."""
    statement = _filtered(query).order_by(HazardReport.created_at.desc(), HazardReport.id.desc())
    offset = (query.page - 1) * query.page_size
    rows = list(db.session.scalars(statement.offset(offset).limit(query.page_size + 1)))
    items = rows[: query.page_size]
    return RequestPage(
        items=items,
        notes=latest_public_messages([report.id for report in items]),
        number=query.page,
        has_next=len(rows) > query.page_size,
    )


def find_public_request(reference: str) -> RequestPage | None:
    report = db.session.scalar(_public_reports().where(HazardReport.reference == reference))
    if report is None:
        return None
    notes = latest_public_messages([report.id])
    return RequestPage(items=[report], notes=notes, number=1, has_next=False)


def latest_public_messages(report_ids: list[int]) -> dict[int, str]:
    """The newest non-empty public message of each report, read in one query."""
    if not report_ids:
        return {}
    events = db.session.execute(
        select(WorkflowEvent.subject_id, WorkflowEvent.public_message)
        .where(
            WorkflowEvent.subject_type == HazardReport.SUBJECT_TYPE,
            WorkflowEvent.subject_id.in_(report_ids),
            WorkflowEvent.public_message != "",
        )
        .order_by(WorkflowEvent.created_at, WorkflowEvent.id)
    )
    return {row.subject_id: row.public_message for row in events}
