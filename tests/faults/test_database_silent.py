"""A database server that accepts connections and then never answers (a frozen host, a
black-holed network) must not hang the site: connecting gives up after
DATABASE_CONNECT_TIMEOUT and the user gets the clear 503 page."""

import socket

import pytest

from tests.training.sample import request_form
from webapp import create_app
from webapp.config import TestingConfig, engine_options


@pytest.fixture
def silent_server():
    """A listening socket that the kernel completes connections for, and nobody reads."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def _app_on(url: str):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=None,  # made from the URL, as in production
        DATABASE_CONNECT_TIMEOUT=2,  # libpq's smallest
        WTF_CSRF_ENABLED=False,
    )
    return create_app(config)


def test_a_form_sent_to_a_silent_database_server_gets_the_503_page(silent_server):
    app = _app_on(f"postgresql+psycopg://portal@127.0.0.1:{silent_server}/portal")
    client = app.test_client()

    response = client.post("/training/new", data=request_form())
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "服务暂时不可用" in body and "不会丢失" in body
    assert client.get("/healthz").status_code == 503


def test_server_databases_get_a_connect_timeout_and_keepalives_and_sqlite_nothing():
    options = engine_options("postgresql+psycopg://portal@db/portal", 5)
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["connect_timeout"] == 5
    assert options["connect_args"]["keepalives"] == 1
    assert engine_options("sqlite:///portal.sqlite3", 5) == {}
