"""Login starts a new session (no fixation); `next=` only leads to local pages."""

import pytest

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.security.conftest import csrf_token
from webapp.extensions import db
from webapp.staff.roles import Role


def _session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _log_in(app, client, user, next_url=None):
    return client.post(
        "/staff/login",
        query_string={"next": next_url} if next_url is not None else None,
        data={
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token(app, client),
        },
    )


def test_logging_in_replaces_the_session_and_drops_what_it_held(app, client, app_context):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["appointment_booking"] = 12345
    before = _session_cookie(client)
    response = _log_in(app, client, user)
    assert response.status_code == 302
    assert _session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session and "appointment_booking" not in session
        assert session["_user_id"] == user.get_id()


def test_a_session_cookie_from_before_the_login_is_not_logged_in(app, client, app_context):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    client.get("/staff/login")
    before = _session_cookie(client)
    _log_in(app, client, user)
    assert client.get("/staff/").status_code == 200
    stranger = app.test_client()
    stranger.set_cookie("session", before)
    assert stranger.get("/staff/").status_code == 302


def test_a_logged_in_cookie_is_dead_after_logout(app, client, app_context):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    _log_in(app, client, user)
    stolen = _session_cookie(client)
    client.post("/staff/logout", data={"csrf_token": csrf_token(app, client)})
    db.session.rollback()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


HOSTILE_NEXT = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "http:evil.example",
    "%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_login_with_a_foreign_next_lands_on_a_local_page(app, client, app_context, target):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    response = _log_in(app, client, user, next_url=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/staff/", location


def test_a_login_with_a_local_next_goes_there(app, client, app_context):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    response = _log_in(app, client, user, next_url="/staff/appointments/")
    assert response.headers["Location"] == "/staff/appointments/"


# The login lockout after repeated failures is tested in tests/staff/test_login.py.
