"""Bulk actions on inbox rows: each row is done or refused with its reason (issue 7).

Rows are handled one at a time: a refused row is rolled back alone and never
stops the others. The feature's own callback does the change (and its event);
each row done gets an audit entry naming the bulk action.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.common.audit import record_audit
from webapp.common.workflow import TransitionNotAllowed
from webapp.extensions import db
from webapp.staff.inbox import InboxActionRefused, InboxSource, source_for

MAX_ROWS = 200


@dataclass(frozen=True)
class BulkResult:
    key: str
    done: bool
    reason: str = ""


def parse_key(key: str) -> tuple[str, int] | None:
    type_code, _, raw_id = key.partition(":")
    return (type_code, int(raw_id)) if raw_id.isdigit() and type_code else None


def _apply(
    keys: Sequence[str],
    *,
    actor,
    ip: str,
    action: str,
    detail: str,
    run: Callable[[InboxSource, int], None],
    missing_callback: Callable[[InboxSource], bool],
) -> list[BulkResult]:
    results = []
    for key in list(dict.fromkeys(keys))[:MAX_ROWS]:
        parsed = parse_key(key)
        source = source_for(actor, parsed[0]) if parsed else None
        if source is None:
            results.append(BulkResult(key, False, str(_l("You may not change this submission."))))
            continue
        if missing_callback(source):
            results.append(BulkResult(key, False, str(_l("This action is not available here."))))
            continue
        try:
            run(source, parsed[1])
        except TransitionNotAllowed as refused:
            db.session.rollback()
            reason = _l(
                "It cannot move from “%(from_state)s” to “%(to_state)s”.",
                from_state=source.label_of_state(refused.from_state),
                to_state=source.label_of_state(refused.to_state),
            )
            results.append(BulkResult(key, False, str(reason)))
        except InboxActionRefused as refused:
            db.session.rollback()
            results.append(BulkResult(key, False, str(refused.message)))
        except LookupError:
            db.session.rollback()
            results.append(BulkResult(key, False, str(_l("This submission was not found."))))
        else:
            record_audit(action, actor=actor, target=key, ip=ip, detail=detail)
            db.session.commit()
            results.append(BulkResult(key, True))
    return results


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


def bulk_change_state(
    keys: Sequence[str], *, state: str, message: str, actor, ip: str
) -> list[BulkResult]:
    """Move each row to `state` with one public message, where its workflow allows."""
    return _apply(
        keys,
        actor=actor,
        ip=ip,
        action="state.change",
        detail=f"to {state}",
        run=lambda source, row_id: source.change_state(row_id, state, message, actor),
        missing_callback=lambda source: source.change_state is None,
    )
