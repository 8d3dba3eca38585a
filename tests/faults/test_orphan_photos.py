"""A worker killed in the middle of a report with photos leaves no file that a row
does not own: the photos wait under pending names, which `flask photos sweep` removes
once they are an hour old."""

import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from tests.faults.http import Browser
from tests.faults.test_worker_killed import WAIT_SECONDS, _wait_for
from tests.hazards.conftest import valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.live import serve_app
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto

pytestmark = pytest.mark.slow
FORM = "/hazards/new?danger=no"


def _post_report(browser: Browser) -> int:
    hidden = browser.form_fields(FORM)
    status, _html = browser.post_multipart(
        "/hazards/new",
        {**valid_report_data(), **hidden},
        [("photos", "road.jpg", jpeg_bytes())],
        timeout=WAIT_SECONDS,
    )
    return status


def _owned() -> set[str]:
    db.session.rollback()
    rows = db.session.execute(select(HazardPhoto.file_name, HazardPhoto.thumbnail_name)).all()
    db.session.rollback()
    return {name for row in rows for name in row}


def test_a_worker_killed_mid_upload_leaves_only_pending_files_which_the_sweep_removes(
    app, app_context, runner, tmp_path, monkeypatch
):
    marker = tmp_path / "paused-worker"
    uploads = tmp_path / "uploads"
    photos = uploads / "hazards"
    with serve_app(
        database_url=app.config["SQLALCHEMY_DATABASE_URI"],
        upload_dir=str(uploads),
        env={"PAUSE_MARKER": str(marker)},
        app_module="tests.faults.paused_wsgi:app",
    ) as url:
        outcome = {}

        def submit():
            try:
                outcome["status"] = _post_report(Browser(url))
            except OSError as error:  # the connection dies with the worker
                outcome["error"] = error

        sender = threading.Thread(target=submit)
        sender.start()
        pid = int(_wait_for(lambda: marker.exists() and marker.read_text(), "the paused worker"))
        os.kill(pid, signal.SIGKILL)
        sender.join(WAIT_SECONDS)
        assert not sender.is_alive()
        assert outcome.get("status", 500) >= 500

    left = sorted(path.name for path in photos.iterdir())
    assert db.session.scalar(select(func.count(HazardPhoto.id))) == 0
    # The photo and its thumbnail were written before the commit, under pending names
    # only: no file with a final name that no row owns.
    assert len(left) == 2
    assert [name for name in left if name not in _owned() and not name.endswith(".pending")] == []

    # An hour later the sweep removes them; a pending file of an upload still going is kept.
    hour_ago = time.time() - 3601
    for name in left:
        os.utime(photos / name, (hour_ago, hour_ago))
    fresh = photos / "fresh-upload.jpg.pending"
    fresh.write_bytes(jpeg_bytes())
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(uploads))
    result = runner.invoke(args=["photos", "sweep"])
    assert result.exit_code == 0, result.output
    for name in left:
        assert f"removed {name}" in result.output
    assert sorted(path.name for path in photos.iterdir()) == ["fresh-upload.jpg.pending"]
