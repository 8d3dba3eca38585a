"""Following a report by text message: ask with a number, confirm it by a code, stop.

Residents who follow a report, and its reporter, are texted when its state
changes (SPEC.md §7, "anyone may follow a report by a confirmed mobile number").
The texts are queued by `tell_about_state_change`, which `change_state` calls
after every change of a hazard's state, whatever path made it (one officer's
form, a bulk action, the reporter's reopening).
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from webapp.common.clock import utcnow
from webapp.common.links import absolute_url
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.errors import FollowRefused
from webapp.hazards.models import HazardFollower, HazardReport
from webapp.hazards.services import tell_reporter
from webapp.hazards.states import STATE_LABELS, HazardState
from webapp.notifications.messages import MessageKind
from webapp.notifications.models import OutboxMessage, recipient_key
from webapp.notifications.services import queue_message
from webapp.transactions import transactional

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
_STOP_SALT = "hazard-texts-stop"


# --- Asking to follow ---------------------------------------------------------


@transactional
def request_follow(report: HazardReport, *, phone: str, language: str) -> HazardFollower:
    """Send a code to this number to follow the report; the number is not followed yet.

    Asking again (a lost code, or after stopping) sends a new code for the same row.
    Refused when the report can no longer change, when it has as many followers as
    HAZARD_FOLLOWERS_PER_REPORT, or when FOLLOW_CODES_PER_NUMBER_PER_DAY codes have
    gone to this number in the last 24 hours. Raises FollowRefused.
    """
    now = utcnow()
    _lock(report)
    if not report.can_be_followed(now):
        raise FollowRefused(_l("This report is finished: there is nothing more to follow."))
    follower = db.session.scalars(HazardFollower.by_number(report.id, phone)).first()
    if not (follower and follower.is_active) and _followers(report) >= _most_followers():
        raise FollowRefused(
            _l("This report has as many followers as we can text. Its page shows every change.")
        )
    if _codes_sent_to(phone, since=now - timedelta(hours=24)) >= _most_codes():
        raise FollowRefused(
            _l("We have sent as many codes to this number as we can today. Try again tomorrow.")
        )
    if follower is None:
        follower = HazardFollower(report_id=report.id, phone=phone, created_at=now)
        db.session.add(follower)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    follower.language = language
    follower.code_hash = _code_hash(report.id, phone, code)
    follower.code_sent_at = now
    follower.attempts = 0
    db.session.flush()
    queue_message(
        kind=MessageKind.FOLLOW_CODE,
        channel="sms",
        recipient=phone,
        language=language,
        subject_type=report.SUBJECT_TYPE,
        subject_id=report.id,
        context={"reference": report.reference, "code": code},
    )
    return follower


def _lock(report: HazardReport) -> None:
    """Take the report's row until the commit: two numbers asking at once take turns
    (the limit of followers holds). SQLite's writers already do."""
    db.session.execute(
        select(HazardReport.id).where(HazardReport.id == report.id).with_for_update()
    )


def _followers(report: HazardReport) -> int:
    active = HazardFollower.active_of(report.id).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(active)) or 0


def _codes_sent_to(phone: str, *, since: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.kind == MessageKind.FOLLOW_CODE,
                OutboxMessage.recipient_key == recipient_key("sms", phone),
                OutboxMessage.created_at >= since,
            )
        )
        or 0
    )


def _most_followers() -> int:
    return current_app.config["HAZARD_FOLLOWERS_PER_REPORT"]


def _most_codes() -> int:
    return current_app.config["FOLLOW_CODES_PER_NUMBER_PER_DAY"]


def _code_hash(report_id: int, phone: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{report_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


# --- Confirming the number -------------------------------------------------------


def pending_follower(report: HazardReport, follower_id: int | None) -> HazardFollower | None:
    """The follower this browser asked to be, if it belongs to this report."""
    if not follower_id:
        return None
    follower = db.session.get(HazardFollower, follower_id)
    if follower is None or follower.report_id != report.id or not follower.phone:
        return None
    return follower


def confirm_follow(follower: HazardFollower, code: str) -> HazardFollower:
    """Confirm the number with the code it was sent: from now on it is texted.

    A wrong code counts (and the count is saved); after MAX_CODE_ATTEMPTS wrong
    ones, or CODE_VALID after sending, the code is spent and a new one must be
    asked for. Raises FollowRefused.
    """
    refusal = _check_code(follower.id, code)
    if refusal is not None:
        raise FollowRefused(refusal)
    return follower


@transactional
def _check_code(follower_id: int, code: str):
    """None when the code is right (the follower is confirmed), else why not; a wrong
    code's attempt is saved either way."""
    follower = db.session.get(
        HazardFollower, follower_id, with_for_update=True, populate_existing=True
    )
    now = utcnow()
    if not follower.code_hash or follower.attempts >= MAX_CODE_ATTEMPTS:
        return _l("This code can no longer be used. Ask for a new code.")
    if follower.code_sent_at is None or now - follower.code_sent_at > CODE_VALID:
        return _l("This code has expired. Ask for a new code.")
    expected = _code_hash(follower.report_id, follower.phone, code)
    if not hmac.compare_digest(expected, follower.code_hash):
        follower.attempts += 1
        left = MAX_CODE_ATTEMPTS - follower.attempts
        if left <= 0:
            return _l("This code is wrong, and it cannot be tried again. Ask for a new code.")
        return _l("This code is wrong. You can try %(left)d more times.", left=left)
    _lock(follower.report)
    if not follower.is_active and _followers(follower.report) >= _most_followers():
        return _l("This report has as many followers as we can text. Its page shows every change.")
    follower.confirmed_at = now
    follower.unsubscribed_at = None
    follower.code_hash = ""
    follower.attempts = 0
    return None


# --- Stopping the texts ----------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STOP_SALT)


def stop_token(*, follower: HazardFollower | None = None, report: HazardReport | None = None):
    """The signed token of a stop link: for one follower, or for a report's reporter."""
    if follower is not None:
        return _serializer().dumps(["f", follower.id])
    return _serializer().dumps(["r", report.id])


def stop_link(**whom) -> str:
    return absolute_url("hazards.stop_texts", token=stop_token(**whom))


def stop_target(token: str) -> HazardFollower | HazardReport | None:
    """Whose texts a stop link stops (a follower or a report's reporter); None when the
    token is not one of ours."""
    try:
        kind, row_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    model = {"f": HazardFollower, "r": HazardReport}.get(kind)
    if model is None or not isinstance(row_id, int):
        return None
    return db.session.get(model, row_id)


@transactional
def stop_texts(target: HazardFollower | HazardReport) -> None:
    """No more texts about this report to this follower, or to its reporter."""
    now = utcnow()
    if isinstance(target, HazardFollower):
        target.unsubscribed_at = target.unsubscribed_at or now
    else:
        target.reporter_texts_stopped_at = target.reporter_texts_stopped_at or now


def report_of(target: HazardFollower | HazardReport) -> HazardReport:
    return target.report if isinstance(target, HazardFollower) else target


# --- Telling them ------------------------------------------------------------------


def active_followers(report: HazardReport) -> list[HazardFollower]:
    return list(db.session.scalars(HazardFollower.active_of(report.id)))


def tell_about_state_change(report: HazardReport, event: WorkflowEvent) -> None:
    """Queue a text to the reporter and to each follower, in their language, with the
    report's link and a stop link (a state-change listener: no commit).

    Followers of a report made private are not texted: its page is gone for them.
    """
    state = STATE_LABELS[HazardState(event.to_state)]
    link = absolute_url("hazards.report_detail", reference=report.reference)
    if report.tells_reporter:
        tell_reporter(
            report,
            MessageKind.STATE_CHANGED,
            state=state,
            message=event.public_message,
            link=link,
            stop=stop_link(report=report),
        )
    if report.is_private:
        return
    for follower in active_followers(report):
        if report.tells_reporter and follower.phone == report.reporter_phone:
            continue  # the reporter following their own report has one text already
        queue_message(
            kind=MessageKind.FOLLOWED_STATE_CHANGED,
            channel="sms",
            recipient=follower.phone,
            language=follower.language,
            subject_type=report.SUBJECT_TYPE,
            subject_id=report.id,
            context={
                "reference": report.reference,
                "state": state,
                "link": link,
                "stop": stop_link(follower=follower),
            },
        )
