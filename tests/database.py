"""The test database: built once from the real migrations, emptied after each test.

`DATABASE_URL` selects PostgreSQL (its schema is dropped and rebuilt at the
start of the run, so it must name a database whose name contains "test");
otherwise an SQLite file in a temporary directory is used, so that a gunicorn
started by a test can share it.
"""

import os

from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from webapp.extensions import db


def test_database_url(tmp_dir) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    if "test" not in (make_url(url).database or ""):
        raise SystemExit(f"Refusing to empty {url}: the test database's name must contain 'test'.")
    return url


def reset_postgresql_schema(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_schema(app) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        reset_postgresql_schema(url)
    with app.app_context():
        upgrade()


def empty_all_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
