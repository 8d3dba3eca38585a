"""The app factory, configuration, health check and error pages."""

import pytest
from flask import abort

from webapp import create_app
from webapp.config import TestingConfig


def _testing_config(**overrides):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(overrides)
    return config


@pytest.mark.parametrize("key", ["", "dev", "changeme", "development-key"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app(_testing_config(NAME="production", SECRET_KEY=key))


def test_production_starts_with_a_real_secret_key():
    app = create_app(_testing_config(NAME="production", SECRET_KEY="x" * 64))
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "uploads": "ok"}


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite3'}"
    app = create_app(_testing_config(SQLALCHEMY_DATABASE_URI=unreachable))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_healthz_answers_503_when_postgresql_is_unreachable():
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    app = create_app(_testing_config(SQLALCHEMY_DATABASE_URI=unreachable))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "unavailable", "uploads": "ok"}


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    from webapp.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_unknown_page_is_the_404_page_in_chinese_with_a_request_id(client_request):
    page = client_request.get("/no-such-page", expected_status=404)
    assert page.h1.get_text(strip=True) == "页面不存在"
    assert "咨询时请提供编号" in page.get_text()


def test_unknown_page_is_the_404_page_in_english(client_request):
    page = client_request.get("/no-such-page?lang=en", expected_status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_method_not_allowed_has_its_page(client_request):
    page = client_request.post("/healthz", {}, expected_status=405)
    assert page.h1.get_text(strip=True) == "不允许此操作"


def test_a_crash_shows_the_500_page_without_a_stack_trace(caplog):
    app = create_app(_testing_config(PROPAGATE_EXCEPTIONS=False))

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    request_id = response.headers["X-Request-ID"]
    assert request_id in body
    assert any(request_id in record.getMessage() for record in caplog.records)


def test_a_request_body_over_the_limit_gets_the_413_page():
    app = create_app(_testing_config(MAX_CONTENT_LENGTH=1024, WTF_CSRF_ENABLED=False))

    @app.route("/upload", methods=["POST"])
    def upload():
        from flask import request

        return str(len(request.form))

    response = app.test_client().post("/upload", data={"x": "y" * 5000})
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)


@pytest.mark.parametrize("code", [400, 403, 429, 503])
def test_every_error_code_has_a_page_in_both_languages(code):
    app = create_app(_testing_config())

    @app.route("/fail")
    def fail():
        abort(code)

    client = app.test_client()
    chinese = client.get("/fail").get_data(as_text=True)
    english = client.get("/fail?lang=en").get_data(as_text=True)
    assert f"错误代码 {code}" in chinese
    assert f"Error {code}." in english
