"""A reader on a phone: from the home page to an accident case, a cause filter and a search."""

import pytest

from tests.browser.helpers import has_no_horizontal_scroll
from tests.education.conftest import FIXTURE_CONTENT
from tests.live import serve_app


@pytest.fixture(scope="module")
def education_server(app):
    """gunicorn serving the small test content folder (the site's own may still be empty)."""
    with serve_app(
        database_url=app.config["SQLALCHEMY_DATABASE_URI"],
        upload_dir=app.config["UPLOAD_DIR"],
        workers=1,
        env={"CONTENT_DIR": str(FIXTURE_CONTENT)},
    ) as url:
        yield url


def test_a_reader_on_a_phone_finds_a_case_filters_by_cause_and_searches(education_server, phone):
    phone.goto(f"{education_server}/")
    assert phone.is_visible("#newest-exposures")
    assert "1,500余" in phone.inner_text(".figures")
    assert has_no_horizontal_scroll(phone)

    phone.click("text=全部事故曝光")
    assert phone.inner_text("h1") == "事故曝光"
    phone.click("text=酒后驾车夜间追尾")
    assert phone.inner_text("h1") == "酒后驾车夜间追尾"
    assert "喝酒不开车" in phone.inner_text(".lesson")
    assert has_no_horizontal_scroll(phone)

    phone.go_back()
    phone.select_option("#cause", "no_helmet")
    phone.click("button:has-text('筛选')")
    titles = phone.locator(".article-list .card-title").all_inner_texts()
    assert titles == ["未戴头盔摔倒受伤"]
    assert "cause=no_helmet" in phone.url
    assert has_no_horizontal_scroll(phone)

    phone.fill("#q", "酒驾")
    phone.press("#q", "Enter")
    phone.wait_for_url("**/search?q=*")
    assert phone.inner_text(".excerpt mark") == "酒驾"
    assert phone.locator(".article-list .card-title").all_inner_texts() == ["夏季夜查行动"]
    assert has_no_horizontal_scroll(phone)
