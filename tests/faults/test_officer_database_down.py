"""A logged-in officer whose database is down gets the 503 page with its request id, on
staff pages and public ones, never a bare 500 (issue 16, item 9).

Loading the officer for the session is the first thing that needs the database; it
fails, and the error page must not try again to load them while it is drawn.
"""

import re

import pytest
from sqlalchemy import make_url

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.faults.http import Browser
from tests.faults.tcp_proxy import TcpProxy
from tests.faults.test_database_down import _app_without_database
from tests.faults.test_database_lost_live import SQLITE_REASON
from tests.live import serve_app
from webapp.staff.roles import Role


@pytest.fixture
def officer_client(tmp_path):
    app = _app_without_database(tmp_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: an error is a page
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"
        session["_fresh"] = True
        session["staff_seen"] = 2_000_000_000
    return client


@pytest.mark.parametrize("path", ["/staff/", "/staff/hazards/", "/hazards/", "/staff/login"])
def test_a_logged_in_officer_gets_the_503_page_with_the_request_id(officer_client, path):
    response = officer_client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:300]
    assert "服务暂时不可用" in body and "不会丢失" in body
    request_id = response.headers["X-Request-ID"]
    assert request_id in body
    assert "OperationalError" not in body and "Traceback" not in body


def test_a_form_sent_by_a_logged_in_officer_gets_the_503_page(officer_client):
    response = officer_client.post("/staff/logout")
    assert response.status_code == 503
    assert response.headers["X-Request-ID"] in response.get_data(as_text=True)


def test_the_503_page_is_never_kept(officer_client):
    response = officer_client.get("/staff/")
    assert "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.slow
def test_an_officer_logged_in_on_gunicorn_gets_the_503_page_when_the_database_goes(
    app, app_context, tmp_path
):
    """The database lost under a running server, with the officer's session open: the
    first thing each request reads is their account."""
    database_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if database_url.get_backend_name() != "postgresql":
        pytest.skip(SQLITE_REASON)
    username = create_user(roles=(Role.HAZARD_OFFICER,)).username
    with TcpProxy(database_url.host or "127.0.0.1", database_url.port or 5432) as proxy:
        proxied = database_url.set(host=proxy.host, port=proxy.port)
        with serve_app(
            database_url=proxied.render_as_string(hide_password=False),
            upload_dir=str(tmp_path),
            workers=1,
        ) as base:
            browser = Browser(base)
            form = {"username": username, "password": DEFAULT_PASSWORD}
            assert browser.post_form("/staff/login", form)[0] == 302
            assert browser.open("/staff/hazards/")[0] == 200
            proxy.cut()
            for path in ("/staff/hazards/", "/hazards/", "/staff/"):
                status, page = browser.open(path)
                assert status == 503, page[:300]
                assert "服务暂时不可用" in page and "不会丢失" in page
                assert re.search(r"[0-9a-f]{16}", page.split("不会丢失")[1]), "no request id"
            proxy.restore()
            assert browser.open("/staff/hazards/")[0] == 200  # still logged in
