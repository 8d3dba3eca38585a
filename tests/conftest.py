import pytest
from flask.testing import FlaskClient

from tests.database import build_schema, empty_all_tables, test_database_url
from tests.factories import create_user
from tests.pages import ClientRequest
from tests.s3 import serve_s3
from webapp import create_app
from webapp.common import references
from webapp.config import TestingConfig
from webapp.extensions import db, limiter


@pytest.fixture(scope="session")
def _test_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal")
    (root / "uploads").mkdir()
    return root


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and database session),
    as in a real server, even while the test holds an app context open."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a real S3 API on loopback, started once when a test first needs it."""
    with serve_s3() as url:
        yield url


@pytest.fixture(scope="session")
def app(_test_dirs):
    app = create_app(
        {
            **{key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()},
            "SQLALCHEMY_DATABASE_URI": test_database_url(_test_dirs),
            "UPLOAD_DIR": str(_test_dirs / "uploads"),
        }
    )
    app.test_client_class = FreshContextClient
    build_schema(app)
    return app


@pytest.fixture(autouse=True)
def _clean_state(app):
    yield
    empty_all_tables(app)
    limiter.reset()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def client_request(app, client):
    return ClientRequest(app, client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app, client, app_context):
    """Log the test client in as a new staff user with these roles; return the user."""

    def login(*roles, **fields):
        user = create_user(roles=roles, **fields)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        db.session.commit()  # end the read that get_id() began: later reads see new rows
        return user

    return login


@pytest.fixture
def reference_draws(monkeypatch):
    """The references drawn next, in turn, as a list to fill; then `<prefix><day>-FRESH2`."""
    queue: list[str] = []

    def draw(prefix, day):
        return queue.pop(0) if queue else f"{prefix}{day:%Y%m%d}-FRESH2"

    monkeypatch.setattr(references, "make_reference", draw)
    return queue


@pytest.fixture
def cached_app(app, tmp_path):
    """The site as served in production: pages kept for 60 s, the test database."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    cached = create_app(
        {
            **config,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "PAGE_CACHE_SECONDS": 60,
            "PAGE_CACHE_STAMP": str(tmp_path / "data-changed"),
        }
    )
    cached.test_client_class = FreshContextClient
    yield cached
    with cached.app_context():
        db.engine.dispose()
