"""With the database unreachable, users get a clear 503 page, never a stack trace."""

from webapp import create_app
from webapp.config import TestingConfig


def _app_without_database(tmp_path):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        WTF_CSRF_ENABLED=False,
    )
    return create_app(config)


def test_a_form_sent_while_the_database_is_down_gets_the_503_page(tmp_path):
    client = _app_without_database(tmp_path).test_client()
    response = client.post("/staff/login", data={"username": "wang", "password": "whatever-1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "服务暂时不可用" in body
    assert "不会丢失" in body
    assert "OperationalError" not in body and "Traceback" not in body


def test_public_pages_that_need_no_database_still_answer(tmp_path):
    client = _app_without_database(tmp_path).test_client()
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 503
