"""Two-factor login (TOTP): enrolment, the code step, replay and failures."""

from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.staff.reauth import confirm_password
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.roles import Role


def _now_code(secret: str, *, offset_steps: int = 0) -> str:
    moment = utcnow().replace(tzinfo=UTC) + timedelta(seconds=30 * offset_steps)
    return pyotp.TOTP(secret).at(moment)


def _actions() -> list[str]:
    db.session.rollback()  # see what the requests committed
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_admin_without_two_factor_is_sent_to_enrol_first(client, login_as):
    login_as(Role.ADMIN, totp_secret=None)
    for url in ("/staff/", "/staff/accounts/", "/staff/audit"):
        assert client.get(url).headers["Location"] == "/staff/account/two-factor"


def test_an_officer_is_not_forced_to_enrol(client, login_as):
    login_as(Role.HAZARD_OFFICER)
    assert client.get("/staff/").status_code == 200


def test_enrolment_shows_the_secret_and_is_confirmed_with_a_code(client, client_request, login_as):
    admin = login_as(Role.ADMIN, totp_secret=None)
    confirm_password(client_request)
    page = client_request.get("/staff/account/two-factor")
    secret = "".join(page.select_one("#secret").get_text().split())
    assert f"secret={secret}" in page.get_text() and "otpauth://totp/" in page.get_text()
    wrong = client_request.post("/staff/account/two-factor", {"code": "000000"})
    assert wrong.select_one("#code-error") is not None
    client_request.post(
        "/staff/account/two-factor", {"code": _now_code(secret)}, expected_status=302
    )
    db.session.rollback()  # see what the requests committed
    assert admin.totp_secret == secret
    assert client.get("/staff/").status_code == 200
    assert "totp.enrol" in _actions()


def _password_step(client_request, username):
    return client_request.post(
        "/staff/login", {"username": username, "password": DEFAULT_PASSWORD}, expected_status=302
    )


def test_login_asks_for_the_code_after_the_password(client, client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    response = _password_step(client_request, "chen")
    assert response.headers["Location"] == "/staff/login/code"
    # Not logged in yet: the back office still sends to the login page.
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")
    page = client_request.get("/staff/login/code")
    assert page.select_one("#code") is not None
    done = client_request.post(
        "/staff/login/code", {"code": _now_code(user.totp_secret)}, expected_status=302
    )
    assert done.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert _actions()[-2:] == ["login.password", "login.success"]


def test_a_used_code_cannot_be_replayed(client, client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    code = _now_code(user.totp_secret)
    _password_step(client_request, "chen")
    client_request.post("/staff/login/code", {"code": code}, expected_status=302)
    client.post("/staff/logout", data={"csrf_token": client_request.csrf_token()})
    _password_step(client_request, "chen")
    page = client_request.post("/staff/login/code", {"code": code})
    assert "已被使用" in page.select_one(".error-summary").get_text()
    assert client.get("/staff/").status_code == 302


def test_a_code_from_the_previous_step_is_accepted_but_not_one_from_long_ago(
    client_request, app_context
):
    user = create_user(username="chen", roles=[Role.ADMIN])
    _password_step(client_request, "chen")
    stale = _now_code(user.totp_secret, offset_steps=-4)
    client_request.post("/staff/login/code", {"code": stale}, expected_status=200)
    previous = _now_code(user.totp_secret, offset_steps=-1)
    client_request.post("/staff/login/code", {"code": previous}, expected_status=302)


def test_wrong_codes_count_towards_the_lockout(client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    _password_step(client_request, "chen")
    for _ in range(5):
        client_request.post("/staff/login/code", {"code": "999999"}, expected_status=200)
    db.session.rollback()  # see what the requests committed
    assert user.locked_until is not None
    response = client_request.post(
        "/staff/login/code", {"code": _now_code(user.totp_secret)}, expected_status=302
    )
    assert response.headers["Location"] == "/staff/login"
    assert "login.lockout" in _actions()


def test_the_code_step_without_a_password_step_goes_back_to_login(client, app_context):
    assert client.get("/staff/login/code").headers["Location"] == "/staff/login"


def test_the_code_step_expires_after_five_minutes(client, client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    _password_step(client_request, "chen")
    with client.session_transaction() as session:
        pending = session["pending_login"]
        pending["at"] = (datetime.now(UTC) - timedelta(minutes=6)).timestamp()
        session["pending_login"] = pending
    response = client_request.post(
        "/staff/login/code", {"code": _now_code(user.totp_secret)}, expected_status=302
    )
    assert response.headers["Location"] == "/staff/login"
