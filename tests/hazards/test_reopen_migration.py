"""Migration 0013 takes the fixed-language prefix out of stored reopen messages."""

from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db

REVISION = "0013_workbench_rules"


def test_stored_reopen_prefixes_become_an_event_kind(tmp_path):
    app = create_app(
        {
            **{key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()},
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'before.sqlite3'}",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    with app.app_context():
        upgrade(revision=f"{REVISION}-1")
        with db.engine.begin() as connection:
            for number, message in enumerate(
                [
                    "报告人反映隐患仍然存在：护栏还是坏的",
                    "The reporter says the hazard is still there: still broken",
                    "已受理，报告人反映隐患仍然存在：见现场",  # not at the start: left alone
                ],
                start=1,
            ):
                connection.execute(
                    text(
                        "INSERT INTO workflow_events (subject_type, subject_id, created_at,"
                        " to_state, public_message) VALUES ('hazard', :id, '2026-11-01',"
                        " 'investigating', :message)"
                    ),
                    {"id": number, "message": message},
                )
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT kind, public_message FROM workflow_events ORDER BY subject_id")
            ).all()
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("reopen", "护栏还是坏的"),
        ("reopen", "still broken"),
        ("", "已受理，报告人反映隐患仍然存在：见现场"),
    ]
