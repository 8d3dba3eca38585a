"""Staff accounts: create, authenticate, lock out, log out everywhere."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.common.audit import FAILED_LOGIN, UNKNOWN_USERNAME, record_audit
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.transactions import transaction, transactional

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou123",
        "admin12345",
        "administrator",
        "abcdefghij",
        "0123456789",
        "1qaz2wsx3edc",
    }
)
# Compared against when the user is unknown, so that both answers take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")
# The one answer to an unknown name, a wrong password and a locked account.
LOGIN_REFUSED = _l(
    "The user name or password is not correct, or the account is locked. "
    "After 5 failed attempts an account is locked for 15 minutes."
)


class AccountError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class LoginRefused(AccountError):
    pass


class UsernameTaken(AccountError):
    pass


class WrongPassword(AccountError):
    """A logged-in user's password, asked again, is not right."""

    def __init__(self, attempts_left: int):
        super().__init__(
            _l(
                "The password is not correct. Attempts left before your account is locked: "
                "%(count)d.",
                count=attempts_left,
            )
        )


class AccountLocked(AccountError):
    """Too many failed attempts: the account refuses every password until the lockout ends."""

    def __init__(self):
        minutes = int(current_app.config["LOGIN_LOCKOUT"].total_seconds() // 60)
        super().__init__(
            _l(
                "Too many failed attempts: your account is locked for %(minutes)d minutes. "
                "Try again later.",
                minutes=minutes,
            )
        )


def password_problem(password: str, *, username: str = "") -> str | None:
    """Why a password is too weak, or None when it passes the policy."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _l("A password needs at least %(count)d characters.", count=minimum)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _l("This password is too easy to guess. Choose another.")
    if username and username.lower() in password.lower():
        return _l("A password must not contain the user name.")
    return None


@transactional
def create_user(
    username: str,
    *,
    password: str,
    roles,
    display_name: str = "",
    actor=None,
    ip: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a staff account; raise AccountError for a taken name or a weak password."""
    username = username.strip()
    if not username or db.session.scalar(User.by_username(username)) is not None:
        raise UsernameTaken(_l("This user name is already taken."))
    problem = password_problem(password, username=username)
    if problem:
        raise AccountError(problem)
    user = User(
        username=username,
        display_name=display_name or username,
        must_change_password=must_change_password,
    )
    user.roles = [Role(role) for role in roles]
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit(
        "user.create",
        actor=actor,
        actor_name="cli",
        target=f"user:{user.id}",
        ip=ip,
        detail=user.roles_text,
    )
    return user


@transactional
def set_password(
    user: User,
    password: str,
    *,
    actor=None,
    ip: str = "",
    must_change: bool = False,
    action: str = "user.password",
) -> None:
    """Set a new password and end every session of the account."""
    problem = password_problem(password, username=user.username)
    if problem:
        raise AccountError(problem)
    user.set_password(password)
    user.must_change_password = must_change
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    record_audit(action, actor=actor, actor_name="cli", target=f"user:{user.id}", ip=ip)


def authenticate(username: str, password: str, *, ip: str) -> User:
    """Return the user for a correct name and password, or raise LoginRefused.

    The same message answers an unknown name, a wrong password and a
    locked account. After LOGIN_MAX_FAILURES failures the account is
    locked for LOGIN_LOCKOUT. Every outcome is audited, and the failures
    are counted and saved before the refusal is raised. For an account with
    a second factor the count is reset by the code step, not here.
    """
    with transaction():
        user = _password_attempt(username, password, ip=ip)
    if user is None:
        raise LoginRefused(LOGIN_REFUSED)
    return user


def _password_attempt(username: str, password: str, *, ip: str) -> User | None:
    """Check a name and password and write the outcome: the user, or None when refused."""
    now = utcnow()
    user = db.session.scalar(User.by_username(username or ""))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        # What was typed names no account: it may be a password, so it is not kept.
        record_audit(FAILED_LOGIN, actor_name=UNKNOWN_USERNAME, ip=ip, detail="unknown user")
        return None
    if user.is_locked(now) or not user.active:
        record_audit(
            "login.failure", actor=user, ip=ip, detail="locked" if user.active else "inactive"
        )
        return None
    if not user.check_password(password):
        count_failure(user, now=now, ip=ip)
        return None
    if user.has_totp:
        # Only the code step completes the login: the failures counted so far (wrong
        # codes included) stay counted until the code is right too.
        record_audit("login.password", actor=user, target=f"user:{user.id}", ip=ip)
        return user
    login_completed(user, now=now)
    record_audit("login.success", actor=user, target=f"user:{user.id}", ip=ip)
    return user


def login_completed(user: User, *, now) -> None:
    """The whole login succeeded (password, and code when enrolled): forget the failures."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now


def count_failure(user: User, *, now, ip: str, reason: str = "wrong password") -> None:
    """Count a failed attempt and lock the account after too many; the caller's verb saves it."""
    user.failed_logins += 1
    record_audit(
        "login.failure",
        actor=user,
        target=f"user:{user.id}",
        ip=ip,
        detail=f"{reason} ({user.failed_logins})",
    )
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
        user.failed_logins = 0
        record_audit("login.lockout", actor=user, target=f"user:{user.id}", ip=ip)


def confirm_password(user: User, password: str, *, ip: str) -> None:
    """Re-authentication of a logged-in user before a sensitive change ("sudo mode").

    Raise WrongPassword (or AccountLocked) when refused. A wrong password counts
    towards the lockout like a failed login and is saved before the refusal is raised.
    A right one does not forget earlier failures: only a whole login does.
    """
    with transaction():
        refusal = password_check(user, password, ip=ip)
    if refusal is not None:
        raise refusal


def password_check(user: User, password: str, *, ip: str) -> AccountError | None:
    """Check a logged-in user's password and write the outcome (the caller's verb saves it):
    None when right, else the refusal to raise after saving."""
    now = utcnow()
    if user.is_locked(now):
        record_audit(
            "login.failure", actor=user, target=f"user:{user.id}", ip=ip, detail="reauth: locked"
        )
        return AccountLocked()
    if not user.check_password(password or ""):
        count_failure(user, now=now, ip=ip, reason="reauth: wrong password")
        if user.is_locked(now):
            return AccountLocked()
        left = current_app.config["LOGIN_MAX_FAILURES"] - user.failed_logins
        return WrongPassword(left)
    record_audit("login.reauth", actor=user, target=f"user:{user.id}", ip=ip)
    return None


@transactional
def end_all_sessions(user: User, *, ip: str, action: str = "logout") -> None:
    """Log the account out everywhere: every cookie with the old version stops working."""
    user.session_version += 1
    record_audit(action, actor=user, target=f"user:{user.id}", ip=ip)
