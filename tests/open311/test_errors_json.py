"""Errors raised outside the API's own views still answer in the GeoReport error format."""

from webapp import create_app
from webapp.config import TestingConfig


def test_a_method_the_api_does_not_accept_answers_json(client):
    response = client.put("/open311/v2/services.json")
    assert response.status_code == 405
    assert response.json == [{"code": 405, "description": "不允许此操作"}]


def test_the_api_answers_json_503_when_the_database_is_down(tmp_path):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    response = create_app(config).test_client().get("/open311/v2/requests.json")
    assert response.status_code == 503
    assert response.json[0]["code"] == 503
