"""Photos: checked by content, limited, stripped of metadata, stored under server names."""

import os
import time
import weakref
from io import BytesIO

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select

from tests.hazards.conftest import stored_image, stored_names, upload, valid_report_data
from tests.hazards.images import (
    INSIDE,
    bomb_png_bytes,
    jpeg_bytes,
    large_jpeg_bytes,
    png_bytes,
    webp_bytes,
)
from tests.pages import text_of
from webapp.extensions import db
from webapp.hazards import photos as photo_files
from webapp.hazards.models import HazardPhoto, HazardReport
from webapp.hazards.photo_storage import LocalStorage
from webapp.hazards.services import ReportDraft, Upload, submit_report
from webapp.transactions import transaction


def _post(client_request, files, **changes):
    data = valid_report_data(**changes)
    data["photos"] = files
    return client_request.post("/hazards/new?lang=en", data, content_type="multipart/form-data")


def _reports():
    return db.session.scalar(select(func.count(HazardReport.id)))


def test_a_report_with_three_photos_stores_them_stripped_with_thumbnails(
    client_request, app_context, photo_store
):
    files = [
        upload(jpeg_bytes(gps=INSIDE), "道路照片.jpg"),
        upload(png_bytes(), "second.png"),
        upload(webp_bytes(), "third.webp"),
    ]
    response = client_request.client.post(
        "/hazards/new",
        data={**valid_report_data(), "photos": files, "csrf_token": client_request.csrf_token()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report = db.session.scalar(select(HazardReport))
    assert [photo.position for photo in report.photos] == [1, 2, 3]
    on_disk = stored_names(photo_store)
    assert len(on_disk) == 6
    assert not any("道路" in name or name in ("jpg", "second.png") for name in on_disk)
    for photo in report.photos:
        stored = stored_image(photo_store, photo.file_name)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
        thumbnail = stored_image(photo_store, photo.thumbnail_name)
        assert max(thumbnail.size) <= 320
    page = client_request.get(f"/hazards/{report.reference}")
    for image in page.select(".photo-list img"):
        answer = client_request.client.get(image["src"])
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        assert max(Image.open(BytesIO(answer.data)).size) <= 320
    full = client_request.client.get(page.select_one(".photo-list a")["href"])
    assert full.status_code == 200 and b"TestCam" not in full.data
    assert Image.open(BytesIO(full.data)).size == (640, 480)


def test_gps_from_the_first_photo_fills_the_position_and_is_then_stripped(
    client_request, app_context, photo_store
):
    files = [upload(jpeg_bytes(gps=INSIDE), "with-gps.jpg")]
    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": files},
        content_type="multipart/form-data",
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    assert report.location_from_photo
    assert report.latitude == pytest.approx(INSIDE[0], abs=1e-5)
    assert report.longitude == pytest.approx(INSIDE[1], abs=1e-5)
    stored = stored_image(photo_store, report.photos[0].file_name)
    assert not stored.getexif().get_ifd(0x8825)


def test_a_photo_taken_sideways_is_stored_upright_and_its_thumbnail_too(photo_store):
    # EXIF orientation 6: the camera was turned; the picture is to be turned 90° to show.
    sideways = jpeg_bytes(size=(640, 480), orientation=6)
    prepared = photo_files.prepare_photo(BytesIO(sideways), filename="side.jpg")
    stored = photo_files.store_photo(prepared, photo_store)
    photo_files.publish(photo_store, [stored])
    assert (stored.width, stored.height) == (480, 640)
    assert stored_image(photo_store, stored.file_name).size == (480, 640)
    assert stored_image(photo_store, stored.thumbnail_name).size == (240, 320)


def test_typed_coordinates_win_over_the_photo_gps(client_request, app_context, hazard_dir):
    typed = (37.90, 113.60)
    client_request.post(
        "/hazards/new",
        {
            **valid_report_data(latitude=str(typed[0]), longitude=str(typed[1])),
            "photos": [upload(jpeg_bytes(gps=INSIDE))],
        },
        content_type="multipart/form-data",
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    assert (report.latitude, report.longitude) == typed
    assert not report.location_from_photo


def test_coordinates_the_forms_script_took_from_the_photo_still_count_as_the_photos(
    client_request, app_context, hazard_dir
):
    client_request.post(
        "/hazards/new",
        {
            **valid_report_data(latitude=f"{INSIDE[0]:.6f}", longitude=f"{INSIDE[1]:.6f}"),
            "photos": [upload(jpeg_bytes(gps=INSIDE))],
        },
        content_type="multipart/form-data",
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    assert (report.latitude, report.longitude) == INSIDE
    assert report.location_from_photo


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"This is just text pretending to be a photo.\n" * 10, "road.jpg", "is not a JPEG"),
        (jpeg_bytes() + b"\0" * (10 * 1024 * 1024), "huge.jpg", "larger than 10 MB"),
        (bomb_png_bytes(), "bomb.png", "more than 50 megapixels"),
        (b"GIF89a" + b"\0" * 100, "anim.gif", "is not a JPEG"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_it_and_nothing_is_stored(
    client_request, app_context, photo_store, content, name, message
):
    page = _post(client_request, [upload(jpeg_bytes(), "good.jpg"), upload(content, name)])
    error = text_of(page.find(id="photos-error"))
    assert name in error and message in error
    assert page.find("textarea", attrs={"name": "description"}).get_text().strip()
    assert _reports() == 0
    assert stored_names(photo_store) == []


def test_a_real_gif_is_refused(client_request, app_context, hazard_dir):
    buffer = BytesIO()
    Image.new("RGB", (50, 50), "blue").save(buffer, "GIF")
    page = _post(client_request, [upload(buffer.getvalue(), "pic.jpg")])
    assert "pic.jpg is not a JPEG, PNG or WebP photo." in text_of(page)
    assert _reports() == 0


def test_more_than_three_photos_are_refused(client_request, app_context, hazard_dir):
    page = _post(client_request, [upload(jpeg_bytes(), f"p{n}.jpg") for n in range(4)])
    assert "at most 3 photos" in text_of(page)
    assert _reports() == 0


def test_a_failure_while_saving_leaves_neither_a_record_nor_a_file(
    client_request, app_context, photo_store, monkeypatch
):
    real_store = photo_files.store_photo
    calls = []

    def store_then_fail(photo, storage):
        calls.append(photo)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_store(photo, storage)

    monkeypatch.setattr(photo_files, "store_photo", store_then_fail)
    response = client_request.client.post(
        "/hazards/new",
        data={
            **valid_report_data(),
            "photos": [upload(jpeg_bytes(), "a.jpg"), upload(jpeg_bytes(), "b.jpg")],
            "csrf_token": client_request.csrf_token(),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "照片暂时无法保存" in response.get_data(as_text=True)
    assert _reports() == 0
    assert db.session.scalar(select(func.count(HazardPhoto.id))) == 0
    assert stored_names(photo_store) == []


def test_two_sends_of_one_form_keep_one_report_and_no_extra_files(
    client_request, app_context, photo_store
):
    # Nothing is looked up first: the token's unique index decides, so that two
    # sends at the same moment cannot both find it free.
    data = {**valid_report_data(form_token="raced-token"), "photos": [upload(jpeg_bytes())]}
    client_request.post(
        "/hazards/new", data, content_type="multipart/form-data", expected_status=302
    )
    files_after_first = stored_names(photo_store)
    data["photos"] = [upload(jpeg_bytes())]
    response = client_request.post(
        "/hazards/new", data, content_type="multipart/form-data", expected_status=302
    )
    assert _reports() == 1
    report = db.session.scalar(select(HazardReport))
    assert response.headers["Location"].endswith(f"/hazards/{report.reference}/received")
    assert stored_names(photo_store) == files_after_first


def test_a_large_photo_is_decoded_at_the_size_kept_and_stored_upright(
    client_request, app_context, photo_store, monkeypatch
):
    # 24 megapixels taken sideways (EXIF orientation 6): the red block is top-left as taken.
    sideways = large_jpeg_bytes(size=(6000, 4000), orientation=6)
    decoded = []
    real_load = ImageFile.ImageFile.load

    def load(image):
        decoded.append(image.size)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(sideways, "big.jpg")]},
        content_type="multipart/form-data",
        expected_status=302,
    )
    # libjpeg decoded it at half its size, and it was never held whole.
    assert decoded[0] == (3000, 2000)
    assert max(width * height for width, height in decoded) == 3000 * 2000
    monkeypatch.undo()
    [photo] = db.session.scalar(select(HazardReport)).photos
    stored = stored_image(photo_store, photo.file_name)
    assert stored.size == (photo.width, photo.height) == (1707, 2560)
    # Turned a quarter clockwise to be shown: the top-left block is now top-right.
    assert _near(stored.getpixel((1600, 100)), (255, 0, 0))
    assert _near(stored.getpixel((100, 100)), (255, 165, 0))
    thumbnail = stored_image(photo_store, photo.thumbnail_name)
    assert thumbnail.size == (213, 320)
    assert _near(thumbnail.getpixel((200, 10)), (255, 0, 0))
    assert stored_names(photo_store) == sorted([photo.file_name, photo.thumbnail_name])


def _near(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_photos_are_handled_one_at_a_time(client_request, app_context, hazard_dir, monkeypatch):
    real_prepare = photo_files.prepare_photo
    earlier: list[weakref.ref] = []
    alive_at_each_start = []

    def prepare(*args, **kwargs):
        alive_at_each_start.append([ref() is not None for ref in earlier])
        prepared = real_prepare(*args, **kwargs)
        earlier.append(weakref.ref(prepared.image))
        return prepared

    monkeypatch.setattr(photo_files, "prepare_photo", prepare)
    files = [upload(jpeg_bytes(), "a.jpg"), upload(png_bytes(), "b.png"), upload(jpeg_bytes())]
    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": files},
        content_type="multipart/form-data",
        expected_status=302,
    )
    # Each decoded photo is written and let go before the next is read.
    assert alive_at_each_start == [[], [False], [False, False]]


def test_files_take_their_final_names_only_when_the_report_is_committed(
    app, app_context, photo_store
):
    draft = ReportDraft(category="guardrail", location="北大街", description="护栏断了。")
    seen_in_transaction = []
    with pytest.raises(RuntimeError), transaction():
        report = submit_report(draft, uploads=[Upload(BytesIO(jpeg_bytes()), "a.jpg")])
        seen_in_transaction = stored_names(photo_store)
        raise RuntimeError("the caller's unit of work fails after the report was added")
    assert len(seen_in_transaction) == 2
    assert all(name.endswith(".pending") for name in seen_in_transaction)
    assert stored_names(photo_store) == []  # rolled back: the pending files went too

    with transaction():
        report = submit_report(draft, uploads=[Upload(BytesIO(jpeg_bytes()), "a.jpg")])
        assert all(name.endswith(".pending") for name in stored_names(photo_store))
    [photo] = report.photos
    assert stored_names(photo_store) == sorted([photo.file_name, photo.thumbnail_name])


def test_the_sweep_removes_old_files_no_row_owns_and_keeps_the_rest(tmp_path):
    now = time.time()
    old = now - 2 * 3600

    def file(name, mtime):
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (mtime, mtime))
        return path

    file("owned.jpg", old)
    file("orphan.jpg", old)
    file("orphan.jpg.pending", old)
    file("young.jpg.pending", now - 60)
    file("late.jpg.pending", old)  # saved, but its worker died before the rename
    swept = photo_files.sweep(LocalStorage(tmp_path), {"owned.jpg", "late.jpg"}, now=now)
    assert swept.removed == ["orphan.jpg", "orphan.jpg.pending"]
    assert swept.published == ["late.jpg"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "late.jpg",
        "owned.jpg",
        "young.jpg.pending",
    ]


def test_the_sweep_works_alike_on_each_store(photo_store):
    for name in ("owned.jpg", "orphan.jpg", "orphan.jpg.pending", "late.jpg.pending"):
        photo_store.put(name, b"x")
    owned = {"owned.jpg", "late.jpg"}
    written = max(file.modified for file in photo_store.files())
    # Younger than an hour: perhaps an upload still being saved.
    assert photo_files.sweep(photo_store, owned, now=written + 3500) == photo_files.Swept([], [])
    swept = photo_files.sweep(photo_store, owned, now=written + 7200)
    assert swept == photo_files.Swept(["orphan.jpg", "orphan.jpg.pending"], ["late.jpg"])
    assert stored_names(photo_store) == ["late.jpg", "owned.jpg"]
    assert photo_store.read("late.jpg") == b"x"


def test_the_nightly_retention_run_sweeps_photo_files_too(
    app, app_context, runner, photo_store, monkeypatch
):
    photo_store.put("left-by-a-killed-worker.jpg.pending", jpeg_bytes())
    monkeypatch.setattr(photo_files, "SWEEP_AGE_SECONDS", 0)  # as if an hour had passed
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "hazard photo files without a report: 1 file(s) removed, 0 renamed" in result.output
    assert "anonymised" not in result.output.split("hazard photo files")[1]
    assert stored_names(photo_store) == []
