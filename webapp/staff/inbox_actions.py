"""Bulk actions on inbox rows: each row is done or refused with its reason (issue 7).

A bulk action is one `transaction()`; each row runs in a `savepoint()` of its own,
in which the feature's callback makes the change (with its event and the message
it queues) and this module writes the row's one audit entry. A refused row, or a
row the database would not save, is undone alone and never stops the others.
The callbacks never commit and never write an audit entry of their own.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError

from webapp.common.audit import record_audit, target_of
from webapp.common.workflow import STAFF_ONLY_KINDS, TransitionNotAllowed, WorkflowEvent
from webapp.extensions import db
from webapp.staff.inbox import InboxActionRefused, InboxSource, source_for
from webapp.transactions import savepoint, transactional

MAX_ROWS = 200

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BulkResult:
    key: str
    done: bool
    reason: str = ""
    reference: str = ""  # the row's reference, when its source hands back the row
    failed: bool = False  # not done because the database did not save it


def parse_key(key: str) -> tuple[str, int] | None:
    type_code, _, raw_id = key.partition(":")
    return (type_code, int(raw_id)) if raw_id.isdigit() and type_code else None


def _apply(
    keys: Sequence[str],
    *,
    actor,
    ip: str,
    action: str,
    detail: str | Callable[[object], str],
    run: Callable[[InboxSource, int], object],
    missing_callback: Callable[[InboxSource], bool],
) -> list[BulkResult]:
    results = []
    for key in list(dict.fromkeys(keys))[:MAX_ROWS]:
        parsed = parse_key(key)
        source = source_for(actor, parsed[0]) if parsed else None
        if source is None:
            results.append(BulkResult(key, False, str(_l("You may not change this submission."))))
        elif missing_callback(source):
            results.append(BulkResult(key, False, str(_l("This action is not available here."))))
        else:
            audit = {"action": action, "actor": actor, "ip": ip, "detail": detail}
            results.append(_one_row(key, source, parsed[1], run=run, audit=audit))
    return results


def _state_before(changed) -> str:
    """The state a row left, as its newest event has it ("" when it has none)."""
    if not hasattr(changed, "SUBJECT_TYPE"):
        return ""
    event = db.session.scalar(
        WorkflowEvent.history_of(changed.SUBJECT_TYPE, changed.id)
        .where(WorkflowEvent.kind.not_in(STAFF_ONLY_KINDS))
        .order_by(None)
        .order_by(WorkflowEvent.created_at.desc(), WorkflowEvent.id.desc())
        .limit(1)
    )
    return (event.from_state or "") if event else ""


def _one_row(key: str, source: InboxSource, row_id: int, *, run, audit: dict) -> BulkResult:
    """Change one row and write its audit entry, both saved or neither."""
    try:
        with savepoint():
            changed = run(source, row_id)
            reference = getattr(changed, "reference", None) or ""
            detail = audit["detail"]
            record_audit(
                target=target_of(changed) if reference else key,
                **(audit | {"detail": detail(changed) if callable(detail) else detail}),
            )
    except TransitionNotAllowed as refused:
        reason = _l(
            "It cannot move from “%(from_state)s” to “%(to_state)s”.",
            from_state=source.label_of_state(refused.from_state),
            to_state=source.label_of_state(refused.to_state),
        )
        return BulkResult(key, False, str(reason))
    except InboxActionRefused as refused:
        return BulkResult(key, False, str(refused.message))
    except LookupError:
        return BulkResult(key, False, str(_l("This submission was not found.")))
    except DBAPIError:
        log.exception("bulk %s: row %s not saved", audit["action"], key)
        reason = _l("It could not be saved, so nothing was changed. Try it again.")
        return BulkResult(key, False, str(reason), failed=True)
    return BulkResult(key, True, reference=reference)


@transactional
def bulk_assign(keys: Sequence[str], *, assignee, actor, ip: str) -> list[BulkResult]:
    """Assign each row to `assignee` (None: unassign)."""
    return _apply(
        keys,
        actor=actor,
        ip=ip,
        action="assign",
        detail=f"to {assignee.username}" if assignee else "unassigned",
        run=lambda source, row_id: source.assign(row_id, assignee),
        missing_callback=lambda source: source.assign is None,
    )


@transactional
def bulk_change_state(
    keys: Sequence[str], *, state: str, message: str, actor, ip: str
) -> list[BulkResult]:
    """Move each row to `state` with one public message, where its workflow allows."""
    return _apply(
        keys,
        actor=actor,
        ip=ip,
        action="state.change",
        detail=lambda changed: f"{_state_before(changed)} -> {state}",
        run=lambda source, row_id: source.change_state(row_id, state, message, actor),
        missing_callback=lambda source: source.change_state is None,
    )
