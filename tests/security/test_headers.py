"""The security headers on every kind of answer: pages, errors, files, downloads, JSON."""

import pytest

from tests.factories import create_booking
from tests.security.conftest import csrf_token
from webapp import create_app
from webapp.config import TestingConfig
from webapp.security import SECURITY_HEADERS
from webapp.staff.roles import Role


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{name} on a {response.status_code}"
    assert response.headers.get("X-Request-ID") is not None


@pytest.mark.parametrize(
    ("url", "status", "mimetype"),
    [
        ("/", 200, "text/html"),
        ("/healthz", 200, "application/json"),
        ("/static/css/site.css", 200, "text/css"),
        ("/static/favicon.svg", 200, "image/svg+xml"),
        ("/feed.xml", 200, None),
        ("/robots.txt", 200, "text/plain"),
        ("/sitemap.xml", 200, None),
        ("/no-such-page", 404, "text/html"),
        ("/static/no-such-file.css", 404, "text/html"),
        ("/appointments/confirmation", 404, "text/html"),
    ],
)
def test_a_get_answer_carries_the_headers(client, url, status, mimetype):
    response = client.get(url)
    assert response.status_code == status
    if mimetype:
        assert response.mimetype == mimetype
    assert_security_headers(response)


def test_the_400_403_405_413_and_429_pages_carry_the_headers(app, client, client_for, world):
    assert_security_headers(_expect(client.post("/staff/login", data={}), 400))
    assert_security_headers(_expect(client_for(Role.HAZARD_OFFICER).get("/staff/accounts/"), 403))
    assert_security_headers(_expect(client.delete("/"), 405))
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    too_large = client.post("/training/new", data=big, content_type="application/octet-stream")
    assert_security_headers(_expect(too_large, 413))
    limit = int(app.config["LOOKUP_RATE_LIMIT"].split()[0])
    token = csrf_token(app, client)
    for _ in range(limit + 1):
        response = client.post("/training/manage", data={"csrf_token": token})
    assert_security_headers(_expect(response, 429))


def _expect(response, status):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    return response


def test_a_server_error_page_carries_the_headers(tmp_path):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    app = create_app(config)

    @app.route("/broken")
    def broken():
        raise RuntimeError("a bug")

    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "RuntimeError" not in response.get_data(as_text=True)
    assert_security_headers(response)


def test_downloads_carry_the_headers(app, client, client_for, world):
    clerk = client_for(Role.BOOKING_CLERK)
    roster = clerk.get(f"/staff/appointments/sessions/{world.session.id}/roster.csv")
    assert roster.mimetype == "text/csv"
    assert_security_headers(roster)
    officer = client_for(Role.EDUCATION_OFFICER)
    for url in ("/staff/training/export.csv", "/staff/inbox.csv"):
        response = officer.get(url)
        assert response.mimetype == "text/csv", url
        assert_security_headers(response)


def test_the_calendar_file_carries_the_headers(app, client, app_context):
    booking = create_booking()
    with client.session_transaction() as session:
        session["appointment_booking"] = booking.id
    response = client.get("/appointments/confirmation.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert_security_headers(response)


def test_the_503_page_carries_the_headers(tmp_path):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    response = create_app(config).test_client().get("/healthz")
    assert response.status_code == 503
    assert_security_headers(response)


def test_photos_public_and_staff_carry_the_headers(client, client_for, world):
    reference, position = world.hazard.reference, world.hazard.photos[0].position
    answers = [
        client.get(f"/hazards/{reference}/photos/{position}"),
        client.get(f"/hazards/{reference}/thumbnails/{position}"),
        client_for(Role.HAZARD_OFFICER).get(f"/staff/hazards/{reference}/photos/{position}"),
    ]
    for response in answers:
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert_security_headers(response)
