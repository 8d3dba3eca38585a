"""gunicorn with its database gone: a form gets the clear 503 page, and once the database
is back nothing of that form is in it, while a new submission is saved."""

import sqlite3

import pytest

from tests.database import build_schema
from tests.faults.http import Browser
from tests.live import serve_app
from tests.training.sample import request_form
from webapp import create_app
from webapp.config import TestingConfig

pytestmark = pytest.mark.slow


def _sqlite_database(directory):
    directory.mkdir()
    url = f"sqlite:///{directory / 'portal.sqlite3'}"
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    build_schema(create_app({**config, "SQLALCHEMY_DATABASE_URI": url}))
    return url


def _training_rows(directory) -> int:
    with sqlite3.connect(directory / "portal.sqlite3") as connection:
        return connection.execute("select count(*) from training_requests").fetchone()[0]


def test_a_form_sent_while_the_database_is_gone_is_answered_503_and_leaves_nothing(tmp_path):
    home = tmp_path / "db"
    url = _sqlite_database(home)
    away = tmp_path / "db-away"
    home.rename(away)  # the database's disk is gone
    with serve_app(
        database_url=url, upload_dir=str(tmp_path), workers=1, ready_path="/robots.txt"
    ) as base:
        browser = Browser(base)
        status, page = browser.post_form("/training/new", request_form())
        assert status == 503
        assert "服务暂时不可用" in page and "不会丢失" in page
        assert "OperationalError" not in page and "Traceback" not in page
        assert browser.open("/healthz")[0] == 503

        away.rename(home)  # the database is back
        assert _training_rows(home) == 0
        assert browser.open("/healthz")[0] == 200
        status, _ = browser.post_form("/training/new", request_form())
        assert status == 302
        assert _training_rows(home) == 1
