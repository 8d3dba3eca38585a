from io import BytesIO
from pathlib import Path

import pytest


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
