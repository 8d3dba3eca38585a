"""Staff login: lockout, same answer for unknown users, sessions, redirects, audit."""

from datetime import timedelta

from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, create_user
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role


def _log_in(
    client_request, username, password=DEFAULT_PASSWORD, *, next_url=None, expected_status=302
):
    url = "/staff/login" + (f"?next={next_url}" if next_url else "")
    return client_request.post(
        url, {"username": username, "password": password}, expected_status=expected_status
    )


def _actions():
    return [
        entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def test_an_officer_logs_in_and_lands_on_the_back_office(client_request, app_context):
    create_user(username="wang", roles=[Role.HAZARD_OFFICER])
    response = _log_in(client_request, "wang")
    assert response.headers["Location"] == "/staff/"
    page = client_request.get("/staff/")
    assert page.h1.get_text(strip=True) == "待办事项"
    assert _actions() == ["login.success"]


def test_unknown_user_and_wrong_password_get_the_same_answer(client_request, app_context):
    create_user(username="wang")
    unknown = _log_in(client_request, "nobody", "wrong-password-1", expected_status=200)
    wrong = _log_in(client_request, "wang", "wrong-password-1", expected_status=200)
    message = unknown.select_one(".error-summary").get_text(" ", strip=True)
    assert message == wrong.select_one(".error-summary").get_text(" ", strip=True)
    assert "用户名或密码不正确" in message
    assert unknown.select_one("#username")["value"] == "nobody"


def test_five_failures_lock_the_account_for_fifteen_minutes(client_request, app_context):
    user = create_user(username="wang")
    for _ in range(5):
        _log_in(client_request, "wang", "wrong-password-1", expected_status=200)
    db.session.refresh(user)
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
    refused = _log_in(client_request, "wang", "wrong-password-1", expected_status=200)
    assert "账号已被锁定" in refused.get_text()
    # Even the right password is refused while the lock lasts.
    client_request.post(
        "/staff/login", {"username": "wang", "password": DEFAULT_PASSWORD}, expected_status=200
    )
    assert _actions().count("login.lockout") == 1
    assert "login.success" not in _actions()


def test_the_lock_ends_after_fifteen_minutes(client_request, app_context):
    user = create_user(username="wang", locked_until=utcnow() - timedelta(seconds=1))
    _log_in(client_request, "wang")
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_login_is_rate_limited_per_address(app, client_request, app_context):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = []
    for _ in range(limit + 1):
        response = client_request.client.post(
            "/staff/login",
            data={"username": "x", "password": "y", "csrf_token": client_request.csrf_token()},
        )
        statuses.append(response.status_code)
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429


def test_next_only_leads_to_local_paths(client_request, app_context):
    create_user(username="wang")
    response = _log_in(client_request, "wang", next_url="https://evil.example/")
    assert response.headers["Location"] == "/staff/"


def test_next_leads_back_to_the_page_asked_for(client_request, app_context):
    create_user(username="wang")
    response = _log_in(client_request, "wang", next_url="/staff/%3Fx%3D1")
    assert response.headers["Location"] == "/staff/?x=1"


def test_the_session_changes_at_login(client_request, app_context):
    create_user(username="wang")
    client_request.client.get("/staff/login")
    with client_request.client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _log_in(client_request, "wang")
    with client_request.client.session_transaction() as session:
        assert "planted" not in session


def test_logging_out_ends_every_session_of_the_account(app, client_request, app_context):
    create_user(username="wang")
    other_device = app.test_client()
    _log_in(client_request, "wang")
    with client_request.client.session_transaction() as session:
        stolen = dict(session)
    with other_device.session_transaction() as session:
        session.update(stolen)
    assert other_device.get("/staff/").status_code == 200
    client_request.post("/staff/logout", {}, expected_status=302)
    assert other_device.get("/staff/").status_code == 302
    assert _actions()[-1] == "logout"


def test_a_password_change_ends_every_session(client_request, app_context):
    from webapp.staff.services import set_password

    user = create_user(username="wang")
    _log_in(client_request, "wang")
    set_password(user, "another-good-passphrase")
    response = client_request.client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_a_deactivated_account_is_logged_out(client_request, app_context):
    user = create_user(username="wang")
    _log_in(client_request, "wang")
    user.active = False
    db.session.commit()
    assert client_request.client.get("/staff/").status_code == 302


def test_a_staff_session_ends_after_eight_idle_hours(client_request, app_context):
    create_user(username="wang")
    _log_in(client_request, "wang")
    assert client_request.client.get("/staff/").status_code == 200
    with client_request.client.session_transaction() as session:
        session["staff_seen"] -= 8 * 3600 + 1
    assert client_request.client.get("/staff/").status_code == 302


def test_passwords_are_stored_hashed_with_scrypt(app_context):
    user = create_user(username="wang")
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("scrypt:")
    assert DEFAULT_PASSWORD not in stored
