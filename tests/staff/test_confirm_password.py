"""The confirmation page of "sudo mode": what an officer sees and where it leads."""

from tests.factories import DEFAULT_PASSWORD
from tests.staff.reauth import confirm_password
from webapp.staff.roles import Role


def test_the_page_explains_why_and_for_how_long(app, client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.get("/staff/confirm-password?next=/staff/account/two-factor")
    minutes = app.config["REAUTH_WINDOW_SECONDS"] // 60
    assert page.h1.get_text(strip=True) == "确认您的密码"
    assert f"{minutes} 分钟内不会再次询问" in page.get_text()
    assert page.select_one("#password")["autocomplete"] == "current-password"
    english = client_request.get("/staff/confirm-password?lang=en")
    assert f"You will not be asked again for {minutes} minutes" in english.get_text()


def test_an_empty_password_is_answered_on_the_form(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.post("/staff/confirm-password", {"password": ""})
    assert page.select_one("#password-error") is not None


def test_an_admin_made_to_enrol_can_confirm_and_then_enrol(client, client_request, login_as):
    login_as(Role.ADMIN, totp_secret=None)
    assert client.get("/staff/").headers["Location"] == "/staff/account/two-factor"
    response = client.get("/staff/account/two-factor")
    assert response.headers["Location"] == "/staff/confirm-password?next=/staff/account/two-factor"
    client_request.get("/staff/confirm-password?next=/staff/account/two-factor")
    answer = confirm_password(client_request, next_url="/staff/account/two-factor")
    assert answer.headers["Location"] == "/staff/account/two-factor"
    assert client_request.get("/staff/account/two-factor").select_one("#secret") is not None


def test_a_forced_password_change_needs_no_separate_confirmation(client, client_request, login_as):
    login_as(Role.BOOKING_CLERK, must_change_password=True)
    page = client_request.get("/staff/account/password")
    assert page.select_one("#current_password") is not None
    client_request.post(
        "/staff/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "my-own-secret-77",
            "confirm_password": "my-own-secret-77",
        },
        expected_status=302,
    )
    # Typing the current password there counts as a confirmation.
    assert client.get("/staff/account/two-factor").status_code == 200
