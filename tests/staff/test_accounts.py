"""Account management: admin only, audited, and never without an active admin."""

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.staff.reauth import confirm_password
from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role


def _audit(action: str) -> list[AuditEntry]:
    db.session.rollback()  # see what the requests committed
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.parametrize(
    "url",
    [
        "/staff/accounts/",
        "/staff/accounts/new",
        "/staff/audit",
        "/staff/responses/",
        "/staff/responses/new",
    ],
)
def test_officers_may_not_open_the_admin_pages(client, login_as, url):
    login_as(Role.HAZARD_OFFICER)
    assert client.get(url).status_code == 403


def test_an_officer_may_not_change_another_account(client_request, login_as):
    login_as(Role.EDUCATION_OFFICER)
    other = create_user(roles=[Role.BOOKING_CLERK])
    client_request.post(f"/staff/accounts/{other.id}/active", expected_status=403)
    client_request.post(
        f"/staff/accounts/{other.id}/roles", {"roles": "admin"}, expected_status=403
    )
    db.session.rollback()  # see what the requests committed
    assert other.active and other.roles == {Role.BOOKING_CLERK}


def test_an_admin_creates_an_account_that_must_change_its_password(client_request, login_as):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    response = client_request.post(
        "/staff/accounts/new",
        {
            "username": "liu",
            "display_name": "刘警官",
            "roles": ["hazard_officer", "booking_clerk"],
            "new_password": "temporary-pass-42",
        },
        expected_status=302,
    )
    user = db.session.scalar(select(User).where(User.username == "liu"))
    assert response.headers["Location"] == f"/staff/accounts/{user.id}"
    assert user.roles == {Role.HAZARD_OFFICER, Role.BOOKING_CLERK}
    assert user.must_change_password
    [entry] = _audit("user.create")
    assert entry.actor_id == admin.id and entry.target == f"user:{user.id}"
    listing = client_request.get("/staff/accounts/")
    assert "刘警官" in listing.get_text()


def test_a_weak_password_or_a_taken_name_is_answered_on_the_form(client_request, login_as):
    login_as(Role.ADMIN, username="boss")
    confirm_password(client_request)
    page = client_request.post(
        "/staff/accounts/new",
        {"username": "boss", "roles": ["hazard_officer"], "new_password": "temporary-pass-42"},
    )
    assert "该用户名已被使用" in page.select_one(".error-summary").get_text()
    page = client_request.post(
        "/staff/accounts/new",
        {"username": "zhou", "roles": ["hazard_officer"], "new_password": "short"},
    )
    assert page.select_one("#username")["value"] == "zhou"
    assert page.select_one("#new_password-error") is not None
    assert db.session.scalar(select(User).where(User.username == "zhou")) is None


def test_deactivating_an_account_ends_its_sessions(app, client_request, login_as):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    officer_client = app.test_client()
    with officer_client.session_transaction() as session:
        session["_user_id"] = officer.get_id()
    assert officer_client.get("/staff/").status_code == 200
    client_request.post(
        f"/staff/accounts/{officer.id}/active",
        {"active": "0", "confirmed": "1"},
        expected_status=302,
    )
    db.session.rollback()  # see what the requests committed
    assert not officer.active
    assert officer_client.get("/staff/").headers["Location"].startswith("/staff/login")
    [entry] = _audit("user.deactivate")
    assert entry.actor_id == admin.id


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(client_request, login_as):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    create_user(roles=[Role.ADMIN], active=False)  # an inactive admin does not count
    page = client_request.post(
        f"/staff/accounts/{admin.id}/active", {"active": "0", "confirmed": "1"}
    )
    assert "最后一位" in page.select_one(".error-summary").get_text()
    page = client_request.post(f"/staff/accounts/{admin.id}/roles", {"roles": ["hazard_officer"]})
    assert "最后一位" in page.select_one(".error-summary").get_text()
    db.session.rollback()  # see what the requests committed
    assert admin.active and admin.is_admin
    assert _audit("user.deactivate") == [] and _audit("user.roles") == []


def test_with_a_second_admin_the_first_may_be_demoted(client_request, login_as):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    other = create_user(roles=[Role.ADMIN])
    client_request.post(
        f"/staff/accounts/{other.id}/roles", {"roles": ["education_officer"]}, expected_status=302
    )
    db.session.rollback()  # see what the requests committed
    assert other.roles == {Role.EDUCATION_OFFICER}
    [entry] = _audit("user.roles")
    assert entry.actor_id == admin.id and entry.detail == "admin -> education_officer"


def test_a_reset_password_forces_a_change_before_anything_else(client_request, login_as, client):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    officer = create_user(username="zhao", roles=[Role.HAZARD_OFFICER])
    client_request.post(
        f"/staff/accounts/{officer.id}/password",
        {"new_password": "temporary-pass-42"},
        expected_status=302,
    )
    db.session.rollback()  # see what the requests committed
    assert officer.must_change_password and officer.check_password("temporary-pass-42")
    assert len(_audit("user.password_reset")) == 1
    # The officer logs in with the temporary password and is sent to the change screen.
    client.post("/staff/logout", data={"csrf_token": client_request.csrf_token()})
    client_request.post(
        "/staff/login", {"username": "zhao", "password": "temporary-pass-42"}, expected_status=302
    )
    assert client.get("/staff/").headers["Location"] == "/staff/account/password"
    assert client.get("/staff/dashboard").headers["Location"] == "/staff/account/password"
    client_request.post(
        "/staff/account/password",
        {
            "current_password": "temporary-pass-42",
            "new_password": "my-own-secret-77",
            "confirm_password": "my-own-secret-77",
        },
        expected_status=302,
    )
    assert client.get("/staff/").status_code == 200
    db.session.rollback()  # see what the requests committed
    assert not officer.must_change_password and officer.check_password("my-own-secret-77")


def test_changing_ones_password_needs_the_current_one(client_request, login_as):
    user = login_as(Role.BOOKING_CLERK)
    page = client_request.post(
        "/staff/account/password",
        {
            "current_password": "wrong-password-9",
            "new_password": "my-own-secret-77",
            "confirm_password": "my-own-secret-77",
        },
    )
    assert "密码不正确" in page.select_one(".error-summary").get_text()
    db.session.rollback()  # see what the requests committed
    assert user.check_password(DEFAULT_PASSWORD)


def test_every_back_office_page_opens_cleanly_for_an_admin(client_request, login_as):
    from tests.factories import create_response_template

    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    template = create_response_template()
    for url in (
        "/staff/",
        "/staff/dashboard",
        "/staff/reports/annual",
        "/staff/audit",
        "/staff/accounts/",
        "/staff/accounts/new",
        f"/staff/accounts/{admin.id}",
        "/staff/responses/",
        "/staff/responses/new",
        f"/staff/responses/{template.id}",
        "/staff/account/password",
        "/staff/account/two-factor",
    ):
        client_request.get(url)  # 200, one h1, no duplicate ids, no inline style or script


def test_a_deactivated_account_can_be_reactivated(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    officer = create_user(roles=[Role.HAZARD_OFFICER], active=False)
    client_request.post(
        f"/staff/accounts/{officer.id}/active", {"active": "1"}, expected_status=302
    )
    db.session.rollback()  # see what the request committed
    assert officer.active
    assert len(_audit("user.reactivate")) == 1


def test_an_admin_resets_a_lost_authenticator_and_its_owner_enrols_again(
    app, client_request, login_as
):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    other = create_user(roles=[Role.ADMIN])
    other_client = app.test_client()
    with other_client.session_transaction() as session:
        session["_user_id"] = other.get_id()
    db.session.commit()
    client_request.post(f"/staff/accounts/{other.id}/two-factor", expected_status=302)
    db.session.rollback()  # see what the request committed
    assert other.totp_secret is None and other.totp_last_step is None
    assert len(_audit("totp.reset")) == 1
    # Its sessions ended; once logged in again, it is sent to enrol first.
    assert other_client.get("/staff/").headers["Location"].startswith("/staff/login")
