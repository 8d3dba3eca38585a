"""The audit log in words: each action code as a phrase in the reader's language.

Entries keep their codes (`hazard.state_change`, `hazard:H20260315-7KQ2XM`,
`investigating -> rectifying`); this module turns them into "changed the state of
H20260315-7KQ2XM from 排查中 to 整改中" when the page is shown. A code with no
phrase here is shown as it is, so that nothing is ever hidden.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.inbox import all_sources
from webapp.staff.models import User

STATE_CHANGE = _l("changed the state of %(target)s from %(from)s to %(to)s")
VIEWED_PERSONAL_DATA = _l("viewed the personal data of %(target)s")
EXPORTED = _l("exported %(target)s")

PHRASES = {
    "login.success": _l("logged in"),
    "login.failure": _l("failed to log in"),
    "login.lockout": _l("was locked out after repeated failed logins"),
    "login.password": _l("gave the right password (second step to follow)"),
    "login.reauth": _l("confirmed their password"),
    "logout": _l("logged out"),
    "totp.enrol": _l("set up a second login step"),
    "totp.reset": _l("reset the second login step of %(target)s"),
    "user.create": _l("created the account %(target)s"),
    "user.password": _l("set the password of %(target)s"),
    "user.password_reset": _l("reset the password of %(target)s"),
    "user.password_change": _l("changed their password"),
    "user.roles": _l("changed the roles of %(target)s to %(detail)s"),
    "user.deactivate": _l("deactivated the account %(target)s"),
    "user.reactivate": _l("reactivated the account %(target)s"),
    "template.save": _l("saved the response template “%(detail)s”"),
    "template.delete": _l("deleted the response template “%(detail)s”"),
    "export": EXPORTED,
    "training.export": EXPORTED,
    "outbox_retry": _l("queued %(target)s to be sent again"),
    "open311.key_issue": _l("issued an Open311 API key"),
    "open311.key_revoke": _l("revoked an Open311 API key"),
    "session.created": _l("published sessions: %(detail)s"),
    "session.capacity": _l("changed the seats of %(target)s to %(detail)s"),
    "session.closed": _l("closed %(target)s to new bookings"),
    "session.cancelled": _l("cancelled %(target)s and its bookings"),
    "booking.checked_in": _l("checked in %(target)s"),
    "booking.result": _l("recorded the outcome of %(target)s: %(to)s"),
    "booking.result_corrected": _l(
        "corrected the outcome of %(target)s from %(from)s to %(to)s (reason: %(reason)s)"
    ),
    "booking.search": _l("searched the bookings (%(detail)s)"),
    "booking.viewed": VIEWED_PERSONAL_DATA,
    "personal_data.view": VIEWED_PERSONAL_DATA,
    "training.view_personal_data": VIEWED_PERSONAL_DATA,
    "hazard.submit": _l("submitted %(target)s"),
    "hazard.reopen": _l("reopened %(target)s"),
    "hazard.assign": _l("assigned %(target)s to %(to)s"),
    "assign": _l("assigned %(target)s to %(to)s"),
    "hazard.private": _l("took %(target)s off the public pages"),
    "hazard.public": _l("showed %(target)s on the public pages again"),
    "hazard.letter": _l("printed the referral letter of %(target)s"),
    "hazard.state_change": STATE_CHANGE,
    "training.state": STATE_CHANGE,
    "state.change": STATE_CHANGE,
}
NOBODY = _l("nobody")
TARGET_NAMES = {
    "session": _l("session %(number)s"),
    "outbox": _l("message %(number)s"),
    "template": _l("template %(number)s"),
}
# Outcomes of a booking that are not states of the inbox (pass, fail, came).
OUTCOMES = {"pass": _l("Pass"), "fail": _l("Fail"), "attended": _l("Attended")}


@dataclass(frozen=True)
class _Parts:
    kind: str
    key: str
    before: str
    after: str
    rest: str


def _parts(entry: AuditEntry) -> _Parts:
    kind, _, key = entry.target.partition(":")
    detail, rest = entry.detail, ""
    if ": " in detail and entry.action == "booking.result_corrected":
        detail, rest = detail.split(": ", 1)
    before, arrow, after = detail.partition("->") if "->" in detail else detail.partition("→")
    if not arrow:
        before, after = "", detail.removeprefix("to ")
    return _Parts(kind, key, before.strip(), after.strip(), rest)


def _value_label(kind: str, code: str) -> str:
    """A state or outcome code as its label, in the kind's own vocabulary."""
    if not code:
        return ""
    for source in all_sources():
        if source.type == kind and code in dict(source.states):
            return source.label_of_state(code)
    if code in OUTCOMES:
        return str(OUTCOMES[code])
    if code in ("nobody", "unassigned"):
        return str(NOBODY)
    return code


def _target_label(parts: _Parts, raw: str, users: dict[int, str]) -> str:
    if parts.kind == "user" and parts.key.isdigit():
        return users.get(int(parts.key), raw)
    if parts.kind in TARGET_NAMES:
        return str(TARGET_NAMES[parts.kind] % {"number": parts.key})
    return parts.key if parts.key and parts.kind.isalpha() and parts.key[:1].isalnum() else raw


def describe(entry: AuditEntry, *, users: dict[int, str] | None = None) -> str:
    """What the entry's actor did, as one phrase in the reader's language."""
    phrase = PHRASES.get(entry.action)
    if phrase is None:
        return " ".join(part for part in (entry.action, entry.target, entry.detail) if part)
    parts = _parts(entry)
    values = {
        "target": _target_label(parts, entry.target, users or {}),
        "from": _value_label(parts.kind, parts.before),
        "to": _value_label(parts.kind, parts.after),
        "detail": entry.detail,
        "reason": parts.rest,
    }
    if phrase is STATE_CHANGE and not values["from"]:
        return str(_l("changed the state of %(target)s to %(to)s", **values))
    return str(phrase % values)


def account_names(entries: Iterable[AuditEntry]) -> dict[int, str]:
    """The user names of the accounts the entries name as `user:<id>`, in one query."""
    ids = {
        int(key)
        for entry in entries
        for kind, _, key in [entry.target.partition(":")]
        if kind == "user" and key.isdigit()
    }
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def action_name(action: str) -> str:
    """An action for the filter's list: its phrase with the blanks left open."""
    phrase = PHRASES.get(action)
    if phrase is None:
        return action
    blanks = dict.fromkeys(("target", "from", "to", "detail", "reason"), "…")
    return str(phrase % blanks)
