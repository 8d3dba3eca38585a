"""Photos that cannot be written (disk full, directory not writable): a clear message,
no record, no file left behind."""

import errno
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.pages import text_of
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto, HazardReport
from webapp.notifications.models import OutboxMessage

MESSAGE = "照片暂时无法保存"


def _post_two_photos(client_request):
    return client_request.post(
        "/hazards/new",
        {
            **valid_report_data(),
            "photos": [upload(jpeg_bytes(), "a.jpg"), upload(jpeg_bytes(), "b.jpg")],
        },
        content_type="multipart/form-data",
    )


def _assert_nothing_kept(directory) -> None:
    db.session.rollback()
    for model in (HazardReport, HazardPhoto, OutboxMessage):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    leftovers = [path.name for path in directory.rglob("*") if path.is_file()]
    assert leftovers == []


def test_a_full_disk_while_saving_photos_gives_a_clear_message_and_keeps_nothing(
    client_request, app_context, hazard_dir, monkeypatch
):
    real_write = Path.write_bytes
    writes = []

    def write_until_the_disk_is_full(path, data):
        writes.append(path)
        if len(writes) < 3:  # the first photo and its thumbnail fit
            return real_write(path, data)
        real_write(path, data[:20])  # half a photo
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", write_until_the_disk_is_full)
    page = _post_two_photos(client_request)
    assert len(writes) == 3
    assert MESSAGE in text_of(page.find(id="photos-error"))
    assert page.find("textarea", attrs={"name": "description"}).get_text().strip()
    _assert_nothing_kept(hazard_dir)


@pytest.fixture
def unwritable_upload_dir(app, tmp_path, monkeypatch):
    """An upload directory whose `hazards` folder cannot be made (a file holds its name):
    unwritable even for root, who ignores permission bits."""
    (tmp_path / "hazards").write_text("not a directory")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    return tmp_path


def test_an_unwritable_upload_directory_gives_a_clear_message_and_keeps_nothing(
    client_request, app_context, unwritable_upload_dir
):
    page = _post_two_photos(client_request)
    assert MESSAGE in text_of(page.find(id="photos-error"))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(HazardReport)) == 0
    assert [path.name for path in unwritable_upload_dir.iterdir()] == ["hazards"]
