"""Time-based one-time passwords (RFC 6238, any authenticator app) for staff logins.

A code is accepted within one 30-second step either side of now, and never twice:
the last accepted step is stored. Wrong codes count towards the login lockout, and a
right password does not forget them: only a right code completes the login and resets
the count, so that codes cannot be guessed by starting the login again and again.
"""

import hmac
from datetime import UTC

import pyotp
from flask_babel import lazy_gettext as _l

from webapp.common.audit import record_audit
from webapp.common.clock import utcnow
from webapp.staff.models import User
from webapp.staff.services import AccountError, LoginRefused, count_failure, login_completed
from webapp.transactions import transaction, transactional

VALID_WINDOW = 1  # steps either side of now


class WrongCode(AccountError):
    def __init__(self):
        super().__init__(_l("This code is not correct or has already been used. Enter a new code."))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, *, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def _normalise(code: str) -> str:
    return "".join((code or "").split())


def matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time-step the code belongs to (now ± the window, later than `after`), or None."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow().replace(tzinfo=UTC))
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@transactional
def confirm_enrolment(user: User, *, secret: str, code: str, ip: str) -> None:
    """Keep the secret once the user proves their app shows its codes."""
    step = matching_step(secret, code, after=None)
    if step is None:
        raise WrongCode()
    user.totp_secret = secret
    user.totp_last_step = step
    record_audit("totp.enrol", actor=user, target=f"user:{user.id}", ip=ip)


def verify_login_code(user: User, code: str, *, ip: str) -> None:
    """Complete a login's second step, or raise LoginRefused (and count the failure).

    The attempt is written and saved first, so that a refused code still counts.
    """
    with transaction():
        refusal = _code_attempt(user, code, ip=ip)
    if refusal is not None:
        raise refusal


def _code_attempt(user: User, code: str, *, ip: str) -> AccountError | None:
    """Check the code and write the outcome: None when accepted, else the refusal to raise."""
    now = utcnow()
    if not user.active or user.is_locked(now) or not user.totp_secret:
        record_audit("login.failure", actor=user, ip=ip, detail="second step refused")
        return LoginRefused(_l("This login cannot be completed. Log in again."))
    step = matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is None:
        count_failure(user, now=now, ip=ip, reason="wrong code")
        return WrongCode()
    user.totp_last_step = step
    login_completed(user, now=now)
    record_audit("login.success", actor=user, target=f"user:{user.id}", ip=ip, detail="two-factor")
    return None
