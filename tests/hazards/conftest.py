from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from tests.s3 import create_bucket, s3_settings
from webapp.hazards.photo_storage import photo_storage


def valid_report_data(**changes) -> dict:
    data = {
        "category": "guardrail",
        "location": "北大街邮局门前",
        "latitude": "",
        "longitude": "",
        "description": "护栏被车撞断，断口朝向人行道，很危险。",
        "reporter_name": "张三",
        "reporter_phone": "138 0013 8000",
        "consent": "y",
    }
    data.update(changes)
    return data


def upload(content: bytes, name: str = "photo.jpg"):
    return (BytesIO(content), name)


@pytest.fixture
def hazard_dir(app) -> Path:
    path = Path(app.config["UPLOAD_DIR"]) / "hazards"
    path.mkdir(parents=True, exist_ok=True)
    for file in path.iterdir():
        file.unlink()
    return path


@pytest.fixture(params=["local", "s3"])
def photo_store(request, app, monkeypatch, hazard_dir):
    """The app's photo store, empty: first the upload directory, then a new bucket on a
    real S3 API served on loopback. A test that takes it runs on both."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        for key, value in s3_settings(endpoint, create_bucket(endpoint)).items():
            monkeypatch.setitem(app.config, key, value)
    return photo_storage(app)


def stored_names(store) -> list[str]:
    return [file.name for file in store.files()]


def stored_image(store, name: str) -> Image.Image:
    return Image.open(BytesIO(store.read(name)))
