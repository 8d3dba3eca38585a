"""Data retention: features register anonymisers; `flask retention apply` runs them all.

An anonymiser is a function `anonymiser(cutoff) -> int`: it blanks the personal
data (names, ID numbers, phones, e-mail addresses, plates, contact details typed
anywhere) of its submissions closed before `cutoff` (a naive UTC datetime), keeps
every row and the columns the statistics need, does not commit, and returns how
many rows it changed. It must be idempotent: a second run changes nothing and
returns 0. It hands its submissions to `forget_around`, which takes their personal
data out of the rows around them: the public messages of their events, staff
notes, outbox messages and audit entries.

Every text column of every table is declared in a package's retention.py: in
`ANONYMISED` (what retention does to it) or in `NOT_PERSONAL` (why it holds no
one's personal data). tests/test_conventions.py fails on a column in neither, so
that a new column cannot be forgotten.
"""

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, case, literal, select, update

import webapp
from webapp.common.audit import (
    AuditEntry,
    mask_entries_about,
    mask_entries_before,
    purge_failed_logins,
)
from webapp.common.clock import utcnow
from webapp.common.workflow import (
    NOTE_REMOVED,
    WorkflowEvent,
    WorkflowNote,
    mask_public_messages,
    remove_notes,
)
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage, mask_contacts_in_text
from webapp.notifications.states import MessageStatus
from webapp.transactions import transaction

Anonymiser = Callable[[datetime], int]

# Filled by the packages' `register(app)` (webapp/features.py), by name, in the order
# they register: the outbox's first.
ANONYMISERS: dict[str, Anonymiser] = {}

# What else the nightly run removes once the anonymisers are done (files no row owns,
# say), by name. Each function opens its own transaction if it needs one and returns
# a line saying what it did.
NIGHTLY_CLEAN_UPS: dict[str, Callable[[], str]] = {}


@dataclass(frozen=True)
class Anonymised:
    name: str
    count: int


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=current_app.config["RETENTION_DAYS"])


def apply_retention(*, now: datetime | None = None) -> list[Anonymised]:
    """Run every anonymiser (the outbox's first, the audit log's last) with the cutoff,
    each in its own transaction.

    An anonymiser that fails is undone whole and stops the run; those before it stay done.
    """
    cutoff = retention_cutoff(now)
    results = []
    for name, function in [*ANONYMISERS.items(), ("audit log", anonymise_audit_log)]:
        with transaction():
            count = function(cutoff)
        results.append(Anonymised(name=name, count=count))
    return results


@dataclass(frozen=True)
class CleanedUp:
    name: str
    said: str


def run_nightly_clean_ups() -> list[CleanedUp]:
    """Run every registered clean-up, in the order the packages registered them."""
    return [CleanedUp(name=name, said=function()) for name, function in NIGHTLY_CLEAN_UPS.items()]


# --- what retention does to text ------------------------------------------------------

# What a name of an anonymised submission becomes in the text that stays.
NAME_REMOVED = "***"
# At least this long to be removed from text: a one-character "name" would take
# that character out of every word.
_SHORTEST_VALUE = 2


def scrub(text: str, values: Iterable[str] = ()) -> str:
    """The text with phones, ID numbers, plates and e-mail addresses masked, and these
    values (a person's name, phone, ID number, e-mail) removed wherever they remain."""
    text = mask_contacts_in_text(text or "")
    wanted = {value.strip() for value in values if value and value.strip()}
    for value in sorted(wanted, key=len, reverse=True):
        if len(value) >= _SHORTEST_VALUE:
            text = re.sub(re.escape(value), NAME_REMOVED, text, flags=re.IGNORECASE)
    return text


def scrub_attribute(row, name: str, values: Iterable[str] = ()) -> bool:
    """Scrub one text attribute of a row (cut to its column's length); True if it changed."""
    before = getattr(row, name)
    length = getattr(type(row).__table__.c[name].type, "length", None)
    after = scrub(before, values)[:length]
    if after == before:
        return False
    setattr(row, name, after)
    return True


@dataclass(frozen=True)
class Submissions:
    """The anonymised submissions of one kind (this run's and earlier ones), for the
    rows around them. Build it with `submissions_of`."""

    subject_type: str
    ids: Select  # their ids
    targets: Select  # (target, id): how the audit log names each one (`target_of`)
    # id -> the personal values (name, phone, ID number, e-mail) blanked in this run
    personal: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def mask(self, subject_id: int, text: str) -> str:
        return scrub(text, self.personal.get(subject_id, ()))


def submissions_of(model, *where, personal: Mapping[int, tuple[str, ...]]) -> Submissions:
    """The submissions of `model` (a WorkflowSubject with a reference) that match `where`."""
    target = (literal(f"{model.SUBJECT_TYPE}:") + model.reference).label("target")
    return Submissions(
        subject_type=model.SUBJECT_TYPE,
        ids=select(model.id).where(*where),
        targets=select(target, model.id.label("id")).where(*where),
        personal=personal,
    )


def forget_around(submissions: Submissions) -> int:
    """Take the personal data of these submissions out of the rows around them.

    The public messages of their events are masked (their own names removed),
    staff notes are replaced by NOTE_REMOVED, outbox messages about them are
    blanked whatever their status, and audit entries about them are masked. Rows
    stay. Returns how many rows changed (0 on a second run). Does not commit.
    """
    kind, ids = submissions.subject_type, submissions.ids
    return (
        mask_public_messages(kind, ids, submissions.mask)
        + remove_notes(kind, ids)
        + _blank_messages(OutboxMessage.subject_type == kind, OutboxMessage.subject_id.in_(ids))
        + mask_entries_about(submissions.targets, submissions.mask)
    )


# --- the outbox's and the audit log's own anonymisers ----------------------------------


def _blank_messages(*where) -> int:
    """Blank recipient, subject, body and error of these messages; one never sent is
    given up (failed). A message being sent right now is left for the next run."""
    return db.session.execute(
        update(OutboxMessage)
        .where(
            *where,
            OutboxMessage.status != MessageStatus.SENDING,
            OutboxMessage.anonymised_at.is_(None),
        )
        .values(
            recipient="",
            recipient_key="",
            subject="",
            body="",
            last_error="",
            status=case(
                (OutboxMessage.status == MessageStatus.PENDING, MessageStatus.FAILED.value),
                else_=OutboxMessage.status,
            ),
            anonymised_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def anonymise_outbox(cutoff: datetime) -> int:
    """Blank recipient, subject, body and error of every message queued before the cutoff.

    Sent, failed and suppressed ones alike; one still waiting is given up (failed):
    it is no use to anyone a retention period late. Kind, channel, language, dates
    and the submission they concern stay, so that the counts of messages are
    unchanged. A message being sent right now is left for the next run.
    """
    return _blank_messages(OutboxMessage.created_at < cutoff)


def anonymise_audit_log(cutoff: datetime) -> int:
    """Failed logins older than the cutoff lose the name typed and the address; any
    phone, ID number, plate or e-mail typed into an older entry is masked."""
    return purge_failed_logins(cutoff) + mask_entries_before(cutoff, mask_contacts_in_text)


# --- what retention does to each text column ------------------------------------------

BLANKED = "blanked"
MASKED = "masked: the submission's own name, phone, ID number and e-mail removed, any other masked"
REPLACED = f"replaced by {NOTE_REMOVED}"
BLANKED_OR_MASKED = "blanked in failed logins and citizens' own acts, masked in the others"

ANONYMISED = {
    OutboxMessage.recipient: BLANKED,
    OutboxMessage.recipient_key: BLANKED,
    OutboxMessage.subject: BLANKED,
    OutboxMessage.body: BLANKED,
    OutboxMessage.last_error: BLANKED,
    WorkflowEvent.public_message: MASKED,
    WorkflowEvent.detail: MASKED,
    WorkflowNote.body: REPLACED,
    AuditEntry.actor_name: BLANKED_OR_MASKED,
    AuditEntry.target: MASKED,
    AuditEntry.detail: MASKED,
    AuditEntry.ip: BLANKED_OR_MASKED,
}

STAFF_ACCOUNT = "a staff account, kept while the account is (not a citizen's data)"
NOT_PERSONAL = {
    OutboxMessage.channel: "sms or email",
    OutboxMessage.language: "a language code",
    OutboxMessage.subject_type: "a kind of submission",
    OutboxMessage.kind: "a kind of message",
    OutboxMessage.status: "a status",
    OutboxMessage.claimed_by: "a worker's host, process and random id",
    OutboxMessage.dedupe_key: "made of a kind and a row id",
    OutboxMessage.suppressed_reason: "the limit that held a message back, in fixed words",
    WorkflowEvent.subject_type: "a kind of submission",
    WorkflowEvent.from_state: "a state",
    WorkflowEvent.to_state: "a state",
    WorkflowEvent.kind: "a kind of event",
    WorkflowNote.subject_type: "a kind of submission",
    AuditEntry.action: "a kind of act",
    # Tables of packages without an anonymiser of their own.
    "users.username": STAFF_ACCOUNT,
    "users.display_name": STAFF_ACCOUNT,
    "users.password_hash": STAFF_ACCOUNT,
    "users.roles": STAFF_ACCOUNT,
    "users.totp_secret": STAFF_ACCOUNT,
    "response_templates.subject_type": "a kind of submission",
    "response_templates.state": "a state",
    "response_templates.title": "a staff template's title, about no one",
    "response_templates.body_zh": "a staff template's text, about no one",
    "response_templates.body_en": "a staff template's text, about no one",
    "open311_api_keys.name": "the name of a partner system",
    "open311_api_keys.key_hash": "a SHA-256 of a random token",
}


@dataclass(frozen=True)
class Declaration:
    column: str  # table.column
    module: str  # the retention module that declares it
    anonymised: str  # what retention does to it; "" when it holds no personal data
    why: str = ""  # why it holds none


def column_name(column) -> str:
    """`table.column` of a mapped attribute (HazardReport.location) or of such a string."""
    if isinstance(column, str):
        return column
    mapped = column.property.columns[0]
    return f"{mapped.table.name}.{mapped.name}"


def declared_columns() -> list[Declaration]:
    """What every package's retention.py declares about the text columns of its tables."""
    declarations = []
    for package in pkgutil.iter_modules(webapp.__path__):
        name = f"webapp.{package.name}.retention"
        if not package.ispkg or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for column, treatment in getattr(module, "ANONYMISED", {}).items():
            declarations.append(Declaration(column_name(column), name, treatment))
        for column, why in getattr(module, "NOT_PERSONAL", {}).items():
            declarations.append(Declaration(column_name(column), name, "", why))
    return declarations
