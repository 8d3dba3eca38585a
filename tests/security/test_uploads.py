"""Hostile uploads on the hazard form: polyglots, SVG, oversized files and bombs are
refused with a message and leave nothing; a photo carrying a script is re-encoded clean."""

import pytest
from sqlalchemy import func, select

from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import bomb_png_bytes, jpeg_bytes
from tests.pages import text_of
from tests.security.conftest import csrf_token
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto, HazardReport

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"

HOSTILE_FILES = [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + SCRIPT, "jpeg-html.jpg", "不是"),
    (b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(1);//" + SCRIPT, "gif-js.jpg", "不是"),
    (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "drawing.svg",
        "不是",
    ),
    (b"%PDF-1.4\n" + SCRIPT, "scan.png", "不是"),
    (jpeg_bytes() + b"\0" * (10 * 1024 * 1024), "huge.jpg", "10 MB"),
    (bomb_png_bytes(), "bomb.png", "超过 50 百万像素"),
]


def _counts() -> tuple[int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count()).select_from(HazardReport)),
        db.session.scalar(select(func.count()).select_from(HazardPhoto)),
    )


@pytest.mark.parametrize(
    ("content", "name", "message"), HOSTILE_FILES, ids=[f[1] for f in HOSTILE_FILES]
)
def test_a_hostile_file_is_refused_with_a_message_and_nothing_is_stored(
    client_request, app_context, hazard_dir, content, name, message
):
    page = client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(content, name)]},
        content_type="multipart/form-data",
    )
    error = text_of(page.find(id="photos-error"))
    assert name in error and message in error, error
    assert _counts() == (0, 0)
    assert list(hazard_dir.iterdir()) == []


def test_a_request_over_the_size_limit_is_refused_with_the_413_page(app, client, hazard_dir):
    too_big = b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/hazards/new",
        data={
            **valid_report_data(),
            "photos": upload(too_big),
            "csrf_token": csrf_token(app, client),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)
    with app.app_context():
        assert _counts() == (0, 0)
    assert list(hazard_dir.iterdir()) == []


def test_a_real_photo_carrying_a_script_is_stored_re_encoded_without_it(
    app, client, app_context, hazard_dir
):
    polyglot = jpeg_bytes() + SCRIPT
    response = client.post(
        "/hazards/new",
        data={
            **valid_report_data(),
            "photos": upload(polyglot),
            "csrf_token": csrf_token(app, client),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _counts() == (1, 1)
    stored = sorted(hazard_dir.iterdir())
    assert len(stored) == 2
    for path in stored:
        content = path.read_bytes()
        assert content.startswith(b"\xff\xd8") and b"<script>" not in content
    reference = db.session.query(HazardReport).one().reference
    served = client.get(
        f"/hazards/{reference}/photos/{db.session.query(HazardPhoto).one().position}"
    )
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in served.data
