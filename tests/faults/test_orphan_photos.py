"""A worker killed in the middle of a report with photos leaves no file that a row
does not own: the photos wait under pending names, which `flask photos sweep` removes
once they are an hour old."""

import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from bs4 import BeautifulSoup
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


def _multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post_report(browser: Browser) -> int:
    status, html = browser.open(FORM)
    assert status == 200
    page = BeautifulSoup(html, "html.parser")
    hidden = {
        field["name"]: field.get("value", "")
        for field in page.select("form input[type=hidden]")
        if field.get("name")
    }
    body, content_type = _multipart(
        {**valid_report_data(), **hidden}, [("photos", "road.jpg", jpeg_bytes())]
    )
    request = urllib.request.Request(  # noqa: S310  (the served test app)
        f"{browser.base_url}/hazards/new",
        data=body,
        headers={"Content-Type": content_type},
        method="POST",
    )
    try:
        with browser.opener.open(request, timeout=WAIT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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
