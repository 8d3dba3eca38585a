"""Sensitive changes ask for the password again ("sudo mode"): a live session alone
cannot replace the second factor, change the password, issue or revoke an API key,
or change an account. A wrong password there counts towards the lockout."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

import pyotp
import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, create_api_key, create_user
from tests.staff.reauth import confirm_password
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.open311.models import ApiKey
from webapp.staff.access import CONFIRMED_KEY
from webapp.staff.models import User
from webapp.staff.roles import Role

CONFIRM = "/staff/confirm-password"


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(utcnow().replace(tzinfo=UTC))


def _reload(model, row_id):
    db.session.rollback()  # see what the requests committed
    return db.session.get(model, row_id)


@dataclass
class Change:
    """A sensitive change: how to ask for it, and whether it happened."""

    method: str
    url: str
    data: dict
    happened: Callable[[], bool]
    back: str  # where the confirmation leads


def _new_authenticator(client, me: User) -> Change:
    # The session holds a secret of the attacker's app, as if the set-up page had been seen.
    secret = pyotp.random_base32()
    with client.session_transaction() as session:
        session["totp_enrol_secret"] = secret
    return Change(
        "POST",
        "/staff/account/two-factor",
        {"code": _code(secret)},
        lambda: _reload(User, me.id).totp_secret == secret,
        "/staff/account/two-factor",
    )


def _issue_key(client, me: User) -> Change:
    return Change(
        "POST",
        "/staff/open311/keys/new",
        {"name": "某合作方"},
        lambda: db.session.rollback() or db.session.scalar(select(ApiKey)) is not None,
        "/staff/open311/keys/new",
    )


def _revoke_key(client, me: User) -> Change:
    key, _token = create_api_key()
    return Change(
        "POST",
        f"/staff/open311/keys/{key.id}/revoke",
        {},
        lambda: _reload(ApiKey, key.id).revoked_at is not None,
        "/staff/open311/keys/",
    )


def _create_account(client, me: User) -> Change:
    return Change(
        "POST",
        "/staff/accounts/new",
        {"username": "backdoor", "roles": ["admin"], "new_password": "temporary-pass-42"},
        lambda: (
            db.session.rollback()
            or db.session.scalar(select(User).where(User.username == "backdoor")) is not None
        ),
        "/staff/accounts/new",
    )


def _grant_admin(client, me: User) -> Change:
    other = create_user(roles=[Role.HAZARD_OFFICER])
    return Change(
        "POST",
        f"/staff/accounts/{other.id}/roles",
        {"roles": ["admin"]},
        lambda: _reload(User, other.id).is_admin,
        f"/staff/accounts/{other.id}",
    )


def _reset_colleagues_password(client, me: User) -> Change:
    other = create_user(roles=[Role.ADMIN])
    return Change(
        "POST",
        f"/staff/accounts/{other.id}/password",
        {"new_password": "temporary-pass-42"},
        lambda: _reload(User, other.id).check_password("temporary-pass-42"),
        f"/staff/accounts/{other.id}",
    )


def _reset_colleagues_second_factor(client, me: User) -> Change:
    other = create_user(roles=[Role.ADMIN])
    return Change(
        "POST",
        f"/staff/accounts/{other.id}/two-factor",
        {},
        lambda: _reload(User, other.id).totp_secret is None,
        f"/staff/accounts/{other.id}",
    )


def _reactivate_account(client, me: User) -> Change:
    other = create_user(roles=[Role.ADMIN], active=False)
    return Change(
        "POST",
        f"/staff/accounts/{other.id}/active",
        {"active": "1"},
        lambda: _reload(User, other.id).active,
        f"/staff/accounts/{other.id}",
    )


CHANGES = [
    _new_authenticator,
    _issue_key,
    _revoke_key,
    _create_account,
    _grant_admin,
    _reset_colleagues_password,
    _reset_colleagues_second_factor,
    _reactivate_account,
]


def _ask(client_request, change: Change):
    data = dict(change.data)
    data["csrf_token"] = client_request.csrf_token()
    return client_request.client.open(change.url, method=change.method, data=data)


@pytest.mark.parametrize("make_change", CHANGES, ids=lambda make: make.__name__.strip("_"))
def test_a_live_session_is_asked_for_the_password_first(
    client, client_request, login_as, make_change
):
    me = login_as(Role.ADMIN)
    change = make_change(client, me)
    response = _ask(client_request, change)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{CONFIRM}?next=")
    assert not change.happened()
    # Once the password is typed, the confirmation leads back to the form.
    answer = client_request.client.get(response.headers["Location"])
    assert answer.status_code == 200
    back = confirm_password(client_request, next_url=change.back)
    assert back.headers["Location"] == change.back
    response = _ask(client_request, change)
    assert response.status_code in (200, 302)
    assert change.happened()


def test_the_set_up_page_shows_no_secret_before_the_password(client, client_request, login_as):
    login_as(Role.HAZARD_OFFICER, totp_secret=pyotp.random_base32())
    response = client.get("/staff/account/two-factor")
    assert response.headers["Location"] == f"{CONFIRM}?next=/staff/account/two-factor"
    with client.session_transaction() as session:
        assert "totp_enrol_secret" not in session
    confirm_password(client_request)
    page = client_request.get("/staff/account/two-factor")
    assert page.select_one("#secret") is not None


def test_the_confirmation_lasts_the_window_and_is_then_asked_again(
    app, client, client_request, login_as
):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    window = app.config["REAUTH_WINDOW_SECONDS"]

    def confirmed_ago(seconds):
        with client.session_transaction() as session:
            confirmed = session[CONFIRMED_KEY]
            confirmed["at"] = utcnow().replace(tzinfo=UTC).timestamp() - seconds
            session[CONFIRMED_KEY] = confirmed

    confirmed_ago(window - 30)
    assert client.get("/staff/open311/keys/new").status_code == 200
    confirmed_ago(window + 1)
    response = client.get("/staff/open311/keys/new")
    assert response.headers["Location"] == f"{CONFIRM}?next=/staff/open311/keys/new"


def test_a_confirmation_in_another_session_does_not_count(app, client_request, login_as):
    me = login_as(Role.ADMIN)
    confirm_password(client_request)
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = me.get_id()
    assert other.get("/staff/open311/keys/new").headers["Location"].startswith(CONFIRM)


def _failures(user: User) -> list[str]:
    db.session.rollback()
    stmt = select(AuditEntry.detail).where(
        AuditEntry.action == "login.failure", AuditEntry.actor_id == user.id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def test_a_wrong_password_is_refused_on_the_page_and_counts_towards_the_lockout(
    app, client, client_request, login_as
):
    me = login_as(Role.ADMIN, username="chen")
    limit = app.config["LOGIN_MAX_FAILURES"]
    url = f"{CONFIRM}?next=/staff/open311/keys/new"
    page = client_request.post(url, {"password": "not-my-password"})
    summary = page.select_one(".error-summary").get_text()
    assert "密码不正确" in summary and f"再错 {limit - 1} 次" in summary
    assert page.select_one("#password").get("value") in (None, "")
    english = client_request.post(url + "&lang=en", {"password": "not-my-password"})
    assert "The password is not correct" in english.select_one(".error-summary").get_text()
    url += "&lang=zh"
    assert _reload(User, me.id).failed_logins == 2
    assert _failures(me) == ["reauth: wrong password (1)", "reauth: wrong password (2)"]

    for _ in range(limit - 2):
        page = client_request.post(url, {"password": "not-my-password"})
    assert "锁定" in page.select_one(".error-summary").get_text()
    assert _reload(User, me.id).is_locked(utcnow())
    # Locked: the right password is refused here, and the change is still asked for it.
    page = client_request.post(url, {"password": DEFAULT_PASSWORD})
    assert "锁定" in page.select_one(".error-summary").get_text()
    assert client.get("/staff/open311/keys/new").headers["Location"].startswith(CONFIRM)
    # And the login form refuses the account too.
    client.post("/staff/logout", data={"csrf_token": client_request.csrf_token()})
    page = client_request.post("/staff/login", {"username": "chen", "password": DEFAULT_PASSWORD})
    assert page.select_one(".error-summary") is not None


def test_a_right_confirmation_does_not_forget_earlier_failures(client_request, login_as):
    me = login_as(Role.ADMIN)
    client_request.post(CONFIRM, {"password": "not-my-password"})
    confirm_password(client_request)
    assert _reload(User, me.id).failed_logins == 1


def test_changing_the_password_always_asks_for_the_current_one(client_request, login_as):
    """The change form has its own current-password field: even a recent confirmation
    does not waive it, and a wrong one counts towards the lockout."""
    me = login_as(Role.BOOKING_CLERK)
    confirm_password(client_request)
    new = {"new_password": "my-own-secret-77", "confirm_password": "my-own-secret-77"}
    page = client_request.post("/staff/account/password", new)
    assert page.select_one("#current_password-error") is not None
    page = client_request.post(
        "/staff/account/password", {**new, "current_password": "not-my-password"}
    )
    assert "密码不正确" in page.select_one("#current_password-error").get_text()
    user = _reload(User, me.id)
    assert user.check_password(DEFAULT_PASSWORD) and user.failed_logins == 1
    assert _failures(me) == ["reauth: wrong password (1)"]
    client_request.post(
        "/staff/account/password",
        {**new, "current_password": DEFAULT_PASSWORD},
        expected_status=302,
    )
    assert _reload(User, me.id).check_password("my-own-secret-77")


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_confirmation_leads_only_to_local_pages(client_request, login_as, target):
    login_as(Role.HAZARD_OFFICER)
    response = confirm_password(client_request, next_url=target)
    assert response.headers["Location"] == "/staff/"


def test_a_login_counts_as_a_recent_confirmation(client, client_request, app_context):
    user = create_user(username="chen", roles=[Role.ADMIN])
    client_request.post(
        "/staff/login", {"username": "chen", "password": DEFAULT_PASSWORD}, expected_status=302
    )
    client_request.post("/staff/login/code", {"code": _code(user.totp_secret)}, expected_status=302)
    assert client.get("/staff/open311/keys/new").status_code == 200
    assert client.get("/staff/account/two-factor").status_code == 200


SENSITIVE_ENDPOINTS = {
    "staff.totp_enrol",
    "open311_staff.key_new",
    "open311_staff.key_revoke",
    "staff.account_new",
    "staff.account_roles",
    "staff.account_password",
    "staff.account_active",
    "staff.account_two_factor",
}


def test_every_sensitive_route_asks_for_the_password(app):
    missing = {
        endpoint
        for endpoint in SENSITIVE_ENDPOINTS
        if not getattr(app.view_functions[endpoint], "requires_recent_password", False)
    }
    assert not missing
