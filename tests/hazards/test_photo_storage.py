"""The photo store: a local directory or an S3 bucket, chosen by PHOTO_STORAGE. Both
keep photos private to the app, and `flask photos migrate` moves them from one to the
other. (The photo tests in test_photos.py run on both stores.)"""

import pytest
from sqlalchemy import func, select

from tests.hazards.conftest import stored_image, stored_names, upload, valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.pages import text_of
from tests.s3 import create_bucket, s3_settings
from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.photo_storage import photo_storage, storage_of_kind


def _submit(client_request, count: int = 1) -> HazardReport:
    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(jpeg_bytes()) for _ in range(count)]},
        content_type="multipart/form-data",
        expected_status=302,
    )
    db.session.rollback()
    return db.session.scalars(select(HazardReport).order_by(HazardReport.id.desc())).first()


def _names(photo) -> tuple[str, str]:
    return photo.file_name, photo.thumbnail_name


@pytest.fixture
def bucket_settings(app, s3_endpoint, monkeypatch):
    """S3 settings of a new empty bucket, put in the app's config; PHOTO_STORAGE stays local."""
    settings = s3_settings(s3_endpoint, create_bucket(s3_endpoint))
    for key, value in settings.items():
        if key != "PHOTO_STORAGE":
            monkeypatch.setitem(app.config, key, value)
    return settings


def test_photos_in_the_bucket_are_private_objects(client_request, app_context, bucket_settings):
    client_request.app.config["PHOTO_STORAGE"] = "s3"
    try:
        report = _submit(client_request)
        store = photo_storage()
        for name in (report.photos[0].file_name, report.photos[0].thumbnail_name):
            acl = store.client.get_object_acl(Bucket=store.bucket, Key=f"hazards/{name}")
            grantees = [grant["Grantee"] for grant in acl["Grants"]]
            assert all(grantee.get("Type") == "CanonicalUser" for grantee in grantees), grantees
        # The page links to the app's own address, which checks the report each time.
        page = client_request.get(f"/hazards/{report.reference}")
        sources = [image["src"] for image in page.select(".photo-list img")]
        assert sources == [f"/hazards/{report.reference}/thumbnails/1"]
    finally:
        client_request.app.config["PHOTO_STORAGE"] = "local"


def test_migrate_copies_every_photo_to_the_bucket_and_can_be_run_again(
    client_request, app_context, runner, hazard_dir, bucket_settings
):
    first, second = _submit(client_request, 2), _submit(client_request)
    hazard_dir.joinpath("orphan.jpg").write_bytes(jpeg_bytes())  # owned by no report
    names = sorted(
        name for report in (first, second) for photo in report.photos for name in _names(photo)
    )
    result = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert result.exit_code == 0, result.output
    assert "6 file(s) copied, 0 already there, 0 missing" in result.output
    bucket = storage_of_kind(client_request.app, "s3")
    assert stored_names(bucket) == names
    assert all(bucket.read(name) == (hazard_dir / name).read_bytes() for name in names)

    # Interrupted half-way, or run again after new reports: only what is missing is copied.
    bucket.delete(names[:2])
    again = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert again.exit_code == 0, again.output
    assert "2 file(s) copied, 4 already there, 0 missing" in again.output
    assert stored_names(bucket) == names

    # Switched over: the site serves the photos from the bucket, the old folder emptied.
    client_request.app.config["PHOTO_STORAGE"] = "s3"
    try:
        for path in hazard_dir.iterdir():
            path.unlink()
        answer = client_request.client.get(f"/hazards/{first.reference}/photos/2")
        assert answer.status_code == 200
        assert stored_image(bucket, first.photos[1].file_name).size == (640, 480)
    finally:
        client_request.app.config["PHOTO_STORAGE"] = "local"


def test_migrate_back_to_the_local_folder_names_photos_missing_everywhere(
    client_request, app_context, runner, hazard_dir, bucket_settings
):
    report = _submit(client_request)
    bucket = storage_of_kind(client_request.app, "s3")
    for name in _names(report.photos[0]):
        bucket.put(name, (hazard_dir / name).read_bytes())
        (hazard_dir / name).unlink()
    bucket.delete([report.photos[0].thumbnail_name])
    result = runner.invoke(args=["photos", "migrate", "--to", "local"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) copied, 0 already there, 1 missing" in result.output
    assert f"missing {report.photos[0].thumbnail_name}" in result.output
    assert sorted(path.name for path in hazard_dir.iterdir()) == [report.photos[0].file_name]


def test_a_bucket_that_cannot_be_reached_keeps_nothing_and_says_so(
    client_request, app_context, s3_endpoint, monkeypatch
):
    for key, value in s3_settings(s3_endpoint, "no-such-bucket").items():
        monkeypatch.setitem(client_request.app.config, key, value)
    page = client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(jpeg_bytes())]},
        content_type="multipart/form-data",
    )
    assert "照片暂时无法保存" in text_of(page.find(id="photos-error"))
    assert db.session.scalar(select(func.count(HazardReport.id))) == 0
    health = client_request.client.get("/healthz")
    assert health.status_code == 503 and health.json["uploads"] == "not writable"


def test_healthz_asks_the_bucket(app, client, s3_endpoint, monkeypatch):
    for key, value in s3_settings(s3_endpoint, create_bucket(s3_endpoint)).items():
        monkeypatch.setitem(app.config, key, value)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["uploads"] == "ok"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"PHOTO_STORAGE": "ftp"}, "PHOTO_STORAGE='ftp' is not known; use one of: local, s3"),
        ({"PHOTO_STORAGE": "s3", "S3_BUCKET": ""}, "PHOTO_STORAGE=s3 needs S3_BUCKET"),
        (
            {"PHOTO_STORAGE": "s3", "S3_BUCKET": "photos", "S3_ADDRESSING_STYLE": "dns"},
            "S3_ADDRESSING_STYLE='dns' is not known; use one of: auto, path, virtual",
        ),
    ],
)
def test_a_photo_store_that_cannot_work_stops_the_start(settings, message):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    with pytest.raises(SystemExit, match=message.replace("(", r"\(")):
        create_app({**config, **settings})
