"""Caching and health that tell the truth (issue 16, item 9).

Staff pages and public pages with personal data are never kept by a browser or a proxy;
a public photo is asked for again before each use, so that a report made private is
gone at once; /healthz says when photos could not be saved.
"""

import os
from pathlib import Path

import pytest

from tests.security.conftest import COMPANY_NAME, build_url, csrf_token, staff_rules
from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db
from webapp.security import PERSONAL_DATA_ENDPOINTS
from webapp.staff.roles import Role


def assert_not_kept(response) -> None:
    assert response.headers.get("Cache-Control") == "no-store", (
        f"{response.request.path}: {response.status_code} {response.headers.get('Cache-Control')}"
    )


def test_every_staff_page_is_never_kept(app, client_for, world):
    client = client_for(Role.ADMIN)
    values = world.url_values()
    opened = 0
    for rule in staff_rules(app):
        if "GET" not in rule.methods:
            continue
        response = client.get(build_url(rule, values))
        if response.status_code in (200, 302, 404):
            assert_not_kept(response)
            opened += 1
    assert opened > 30


def test_the_staff_login_and_a_staff_photo_are_never_kept(client, client_for, world):
    assert_not_kept(client.get("/staff/login"))
    hazard = world.hazard
    officer = client_for(Role.HAZARD_OFFICER)
    for kind in ("photos", "thumbnails"):
        response = officer.get(
            f"/staff/hazards/{hazard.reference}/{kind}/{hazard.photos[0].position}"
        )
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert_not_kept(response)


def test_a_found_booking_is_never_kept(app, client, world):
    response = client.post(
        "/appointments/manage",
        data={
            "reference": world.booking.reference,
            "id_number": world.booking.id_number,
            "csrf_token": csrf_token(app, client),
        },
    )
    assert_not_kept(response)
    page = client.get("/appointments/manage/booking")
    assert world.booking.reference in page.get_data(as_text=True)
    assert_not_kept(page)
    assert_not_kept(client.get("/appointments/manage"))


def test_a_booking_confirmation_and_its_calendar_file_are_never_kept(client, world):
    with client.session_transaction() as session:
        session["appointment_booking"] = world.booking.id
    page = client.get("/appointments/confirmation")
    assert page.status_code == 200 and world.booking.reference in page.get_data(as_text=True)
    assert_not_kept(page)
    calendar = client.get("/appointments/confirmation.ics")
    assert calendar.status_code == 200
    assert_not_kept(calendar)


def test_a_found_training_request_is_never_kept(app, client, world):
    response = client.post(
        "/training/manage",
        data={
            "reference": world.training.reference,
            "credit_code": world.training.credit_code,
            "csrf_token": csrf_token(app, client),
        },
        follow_redirects=True,
    )
    assert COMPANY_NAME in response.get_data(as_text=True)
    assert_not_kept(response)


def test_a_hazard_report_s_receipt_and_the_reopen_form_are_never_kept(client, world):
    assert_not_kept(client.get(f"/hazards/{world.hazard.reference}/received"))
    assert_not_kept(client.get("/hazards/reopen"))
    assert_not_kept(client.get("/hazards/new?danger=no"))


def test_a_form_answered_with_what_was_typed_is_never_kept(app, client):
    response = client.post(
        "/appointments/manage",
        data={
            "reference": "B20260101-XXXXXX",
            "id_number": "x",
            "csrf_token": csrf_token(app, client),
        },
    )
    assert response.status_code == 200
    assert_not_kept(response)


def test_every_personal_data_endpoint_exists(app):
    """A renamed view must not silently fall out of the list."""
    assert set(app.view_functions) >= PERSONAL_DATA_ENDPOINTS


def test_public_pages_without_personal_data_may_be_kept(client, world):
    for url in ("/", "/hazards/", f"/hazards/{world.hazard.reference}", "/static/css/site.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", ""), url


# --- Photos --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["photos", "thumbnails"])
def test_a_public_photo_is_checked_again_before_each_use(app, client, photo_store, world, kind):
    hazard = world.hazard
    url = f"/hazards/{hazard.reference}/{kind}/{hazard.photos[0].position}"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "image/jpeg"
    cache_control = {part.strip() for part in first.headers["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= cache_control
    assert not any(part.startswith(("max-age", "public", "s-maxage")) for part in cache_control)
    assert "Expires" not in first.headers
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    hazard.is_private = True  # an officer saw a face in it
    db.session.commit()
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}, {}):
        assert client.get(url, headers=headers).status_code == 404


# --- Health --------------------------------------------------------------------


def _app(upload_dir: Path):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "UPLOAD_DIR": str(upload_dir)})


def test_healthz_is_ok_with_a_writable_upload_directory_even_before_the_first_photo(tmp_path):
    response = _app(tmp_path / "uploads").test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["uploads"] == "ok"
    assert not (tmp_path / "uploads").exists()  # the check leaves nothing behind


@pytest.mark.parametrize("broken", ["upload directory is a file", "hazards directory is a file"])
def test_healthz_answers_503_when_photos_cannot_be_written(tmp_path, broken):
    uploads = tmp_path / "uploads"
    if broken == "upload directory is a file":
        uploads.write_text("not a directory")
    else:
        uploads.mkdir()
        (uploads / "hazards").write_text("not a directory")
    response = _app(uploads).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "degraded"
    assert response.json["uploads"] == "not writable"


def test_healthz_answers_503_when_the_upload_directory_is_read_only(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only directory anyway")
    uploads = tmp_path / "uploads"
    (uploads / "hazards").mkdir(parents=True)
    (uploads / "hazards").chmod(0o500)
    try:
        response = _app(uploads).test_client().get("/healthz")
    finally:
        (uploads / "hazards").chmod(0o700)
    assert response.status_code == 503 and response.json["uploads"] == "not writable"
