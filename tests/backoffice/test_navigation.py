"""The back office's menu lists, for each role, exactly the screens it may open."""

from tests.factories import create_user
from webapp.staff.roles import Role


def _menu(client_request):
    page = client_request.get("/staff/?lang=en")
    return [link.get_text(strip=True) for link in page.select("nav.staff-nav a")]


def test_a_hazard_officer_sees_the_hazard_queue_but_no_other_roles_screens(
    client_request, login_as
):
    login_as(Role.HAZARD_OFFICER)
    menu = _menu(client_request)
    assert menu[:4] == ["Inbox", "Dashboard", "Annual report", "Hazard reports"]
    for other in ("Sessions", "Training requests", "Accounts", "Audit log", "Outbox"):
        assert other not in menu


def test_an_education_officer_sees_the_training_queue(client_request, login_as):
    login_as(Role.EDUCATION_OFFICER)
    menu = _menu(client_request)
    assert "Training requests" in menu
    assert "Hazard reports" not in menu and "Sessions" not in menu


def test_a_booking_clerk_sees_the_sessions(client_request, login_as):
    login_as(Role.BOOKING_CLERK)
    menu = _menu(client_request)
    assert "Sessions" in menu and "Training requests" not in menu


def test_an_admin_sees_every_screen_and_each_link_opens(client, client_request, login_as):
    create_user(roles=[Role.HAZARD_OFFICER])
    login_as(Role.ADMIN)
    page = client_request.get("/staff/?lang=en")
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.staff-nav a")}
    for label in (
        "Inbox",
        "Dashboard",
        "Annual report",
        "Hazard reports",
        "Sessions",
        "Training requests",
        "Accounts",
        "Audit log",
        "Response templates",
        "Outbox",
        "Open311 API keys",
    ):
        assert label in links, label
        assert client.get(links[label]).status_code == 200, links[label]
    assert page.select_one("nav.staff-nav a[aria-current=page]").get_text(strip=True) == "Inbox"
