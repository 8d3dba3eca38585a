"""Image bombs: a small file that decodes to a huge image is refused from its header,
before anything is decoded, with a message on the form in the user's language."""

from io import BytesIO

import pytest
from PIL import Image, ImageFile, WebPImagePlugin
from sqlalchemy import func, select

from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import bomb_png_bytes, large_jpeg_bytes, solid_png_bytes
from tests.pages import text_of
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto, HazardReport


def _webp(size) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "green").save(buffer, "WEBP", quality=10, method=0)
    return buffer.getvalue()


BOMBS = {
    # More pixels than PHOTO_MAX_PIXELS (64 megapixels in a few kilobytes).
    "bomb.png": (bomb_png_bytes, "50"),
    # The review's file: 6,300 × 6,300 colour pixels in a small PNG, decoded whole.
    "review.png": (lambda: solid_png_bytes(6300, 6300), "19"),
    "review-alpha.png": (lambda: solid_png_bytes(6300, 6300, channels=4), "19"),
    # WebP is decoded whole, at about 16 bytes a pixel.
    "wide.webp": (lambda: _webp((3000, 3000)), "4"),
    # A progressive JPEG holds every coefficient of the whole image while it decodes.
    "layers.jpg": (lambda: large_jpeg_bytes(size=(4100, 4100), progressive=True), "11"),
}


@pytest.fixture
def decoded(monkeypatch) -> list:
    """The sizes of the images Pillow decodes from now on."""
    sizes = []
    for cls in (Image.Image, ImageFile.ImageFile, WebPImagePlugin.WebPImageFile):
        real = cls.__dict__["load"]

        def load(self, real=real):
            sizes.append(self.size)
            return real(self)

        monkeypatch.setattr(cls, "load", load)
    return sizes


def _counts() -> tuple[int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count()).select_from(HazardReport)),
        db.session.scalar(select(func.count()).select_from(HazardPhoto)),
    )


@pytest.mark.parametrize("name", list(BOMBS))
def test_an_image_bomb_is_refused_before_decoding_with_a_message_and_the_form_kept(
    client_request, app_context, hazard_dir, decoded, name
):
    make, megapixels = BOMBS[name]
    content = make()
    assert len(content) < 2 * 1024 * 1024  # small on the wire
    decoded.clear()
    page = client_request.post(
        "/hazards/new?lang=en",
        {**valid_report_data(), "photos": [upload(content, name)]},
        content_type="multipart/form-data",
    )
    assert text_of(page.find(id="photos-error")) == (
        f"{name} has more than {megapixels} megapixels. Send a smaller photo."
    )
    assert decoded == []
    assert page.find("textarea", attrs={"name": "description"}).get_text().strip()
    assert page.find("input", attrs={"name": "location"})["value"] == "北大街邮局门前"
    assert _counts() == (0, 0)
    assert list(hazard_dir.iterdir()) == []


def test_the_refusal_is_in_chinese_for_a_chinese_reader(
    client_request, app_context, hazard_dir, decoded
):
    bomb = bomb_png_bytes()
    decoded.clear()
    page = client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(bomb, "炸弹.png")]},
        content_type="multipart/form-data",
    )
    assert text_of(page.find(id="photos-error")) == (
        "炸弹.png 超过 50 百万像素，请发送较小的照片。"
    )
    assert decoded == []
    assert _counts() == (0, 0)


def test_the_pixel_limit_is_a_setting(client_request, app, app_context, hazard_dir, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_PIXELS", 1_000_000)
    page = client_request.post(
        "/hazards/new?lang=en",
        {
            **valid_report_data(),
            "photos": [upload(large_jpeg_bytes(size=(1600, 1000)), "road.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert "road.jpg has more than 1 megapixels." in text_of(page.find(id="photos-error"))
    assert _counts() == (0, 0)
