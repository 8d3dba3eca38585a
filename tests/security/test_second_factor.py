"""The second factor cannot be guessed around the lockout: a right password does not
forget the wrong codes typed after it; only a whole login (password and code) does."""

from datetime import UTC, timedelta

import pyotp
from sqlalchemy import select, update

from tests.factories import DEFAULT_PASSWORD, create_user
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(utcnow().replace(tzinfo=UTC))


def _wrong_code(secret: str) -> str:
    """A well-formed code that is none of the three the server would accept now."""
    totp, now = pyotp.TOTP(secret), utcnow().replace(tzinfo=UTC)
    accepted = {totp.at(now + timedelta(seconds=30 * step)) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def _password_step(client_request, username, password=DEFAULT_PASSWORD, *, expected_status=302):
    return client_request.post(
        "/staff/login",
        {"username": username, "password": password},
        expected_status=expected_status,
    )


def _fresh(user: User) -> User:
    db.session.rollback()  # see what the requests committed
    return db.session.get(User, user.id)


def _failures_audited(user: User) -> list[str]:
    db.session.rollback()
    stmt = select(AuditEntry.detail).where(
        AuditEntry.action == "login.failure", AuditEntry.actor_id == user.id
    )
    return list(db.session.scalars(stmt))


def test_wrong_codes_across_password_steps_lock_the_account(
    app, client, client_request, app_context
):
    user = create_user(
        username="chen", roles=[Role.HAZARD_OFFICER], totp_secret=pyotp.random_base32()
    )
    limit = app.config["LOGIN_MAX_FAILURES"]
    # The attacker knows the password: a new password step before each wrong code.
    for attempt in range(limit):
        response = _password_step(client_request, "chen")
        assert response.headers["Location"] == "/staff/login/code", f"attempt {attempt + 1}"
        page = client_request.post("/staff/login/code", {"code": _wrong_code(user.totp_secret)})
        assert page.select_one("#code-error") is not None
    assert _fresh(user).is_locked(utcnow())
    assert len([d for d in _failures_audited(user) if d.startswith("wrong code")]) == limit

    # Locked: the right password and the right code do not log in.
    page = _password_step(client_request, "chen", expected_status=200)
    assert "锁定" in page.select_one(".error-summary").get_text()
    # Nor does the right code on the step begun before the lockout.
    response = client_request.post(
        "/staff/login/code", {"code": _code(user.totp_secret)}, expected_status=302
    )
    assert response.headers["Location"] == "/staff/login"
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")

    # When the lockout ends, the password and the code log in again.
    db.session.rollback()  # end the read before writing
    db.session.execute(
        update(User).where(User.id == user.id).values(locked_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    _password_step(client_request, "chen")
    client_request.post("/staff/login/code", {"code": _code(user.totp_secret)}, expected_status=302)
    assert client.get("/staff/").status_code == 200


def test_a_right_password_keeps_the_failures_and_only_the_code_clears_them(
    client_request, app_context
):
    user = create_user(username="chen", roles=[Role.ADMIN])
    _password_step(client_request, "chen", "not-the-password-1", expected_status=200)
    _password_step(client_request, "chen")
    client_request.post("/staff/login/code", {"code": _wrong_code(user.totp_secret)})
    _password_step(client_request, "chen")
    assert _fresh(user).failed_logins == 2  # the right password did not forget them
    client_request.post("/staff/login/code", {"code": _code(user.totp_secret)}, expected_status=302)
    assert _fresh(user).failed_logins == 0


def test_wrong_passwords_and_wrong_codes_count_together(app, client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    limit = app.config["LOGIN_MAX_FAILURES"]
    for attempt in range(limit):
        if attempt % 2:
            _password_step(client_request, "chen", "not-the-password-1", expected_status=200)
        else:
            _password_step(client_request, "chen")
            client_request.post("/staff/login/code", {"code": _wrong_code(user.totp_secret)})
    assert _fresh(user).is_locked(utcnow())


def test_without_a_second_factor_a_right_password_is_the_whole_login(client_request, app_context):
    user = create_user(username="li", roles=[Role.BOOKING_CLERK])
    _password_step(client_request, "li", "not-the-password-1", expected_status=200)
    assert _fresh(user).failed_logins == 1
    _password_step(client_request, "li")
    assert _fresh(user).failed_logins == 0
