"""Static files linked by a fingerprint of their content: kept a year under that name,
asked for again under any other (issue 19, item 2)."""

import hashlib
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from webapp.static_files import fingerprint_of, split_fingerprint

NGINX_SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "portal.conf"
STATIC = Path(__file__).resolve().parent.parent / "webapp" / "static"
FINGERPRINTED_URL = re.compile(
    r"/static/(?P<stem>.+)\.(?P<fingerprint>[0-9a-f]{12})(?P<suffix>\.\w+)"
)
KEPT_A_YEAR = "public, max-age=31536000, immutable"
ASKED_AGAIN = "public, no-cache"


def _sha256_start(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@pytest.fixture
def static_folder(app, tmp_path, monkeypatch):
    """A static folder of the test's own, with one stylesheet in it."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: black; }\n")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    return tmp_path


def _static_url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def _rewrite(path: Path, text: str) -> None:
    """Change the file as an edit or a release would, its modification time with it."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_a_pages_stylesheets_scripts_and_icon_are_linked_by_their_contents_fingerprint(client):
    response = client.get("/hazards/new?danger=no")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    urls = [link["href"] for link in soup.select("link[rel=stylesheet], link[rel=icon]")]
    urls += [script["src"] for script in soup.select("script[src]")]
    assert len(urls) >= 5  # site.css, print.css, the icon, site.js, hazards.js
    for url in urls:
        match = FINGERPRINTED_URL.fullmatch(url)
        assert match, url
        source = STATIC / f"{match['stem']}{match['suffix']}"
        assert match["fingerprint"] == _sha256_start(source), url


def test_a_url_built_in_python_is_fingerprinted_too(app):
    url = _static_url(app, "js/site.js")
    assert url == f"/static/js/site.{_sha256_start(STATIC / 'js' / 'site.js')}.js"


def test_the_fingerprinted_url_is_kept_a_year_and_the_plain_one_is_asked_for_again(app, client):
    url = _static_url(app, "css/site.css")
    kept = client.get(url)
    assert kept.status_code == 200 and kept.mimetype == "text/css"
    assert kept.data == (STATIC / "css" / "site.css").read_bytes()
    assert kept.headers["Cache-Control"] == KEPT_A_YEAR
    assert "Expires" not in kept.headers
    again = client.get(url, headers={"If-None-Match": kept.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == KEPT_A_YEAR

    plain = client.get("/static/css/site.css")
    assert plain.status_code == 200 and plain.data == kept.data
    assert plain.headers["Cache-Control"] == ASKED_AGAIN


def test_changing_a_file_changes_its_fingerprint_and_the_old_url_is_no_longer_kept(
    app, client, static_folder
):
    stylesheet = static_folder / "css" / "site.css"
    old_url = _static_url(app, "css/site.css")
    assert client.get(old_url).headers["Cache-Control"] == KEPT_A_YEAR

    _rewrite(stylesheet, "body { color: navy; }\n")
    new_url = _static_url(app, "css/site.css")
    assert new_url != old_url
    assert split_fingerprint(new_url)[1] == _sha256_start(stylesheet)
    fresh = client.get(new_url)
    assert fresh.data == b"body { color: navy; }\n"
    assert fresh.headers["Cache-Control"] == KEPT_A_YEAR
    # A page kept from before the change still gets a file, the current one, never kept.
    stale = client.get(old_url)
    assert stale.status_code == 200 and stale.data == b"body { color: navy; }\n"
    assert stale.headers["Cache-Control"] == ASKED_AGAIN


def test_a_fingerprint_of_a_missing_file_or_outside_the_folder_is_not_found(
    app, client, static_folder
):
    assert client.get("/static/css/gone.0123456789ab.css").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    assert fingerprint_of(static_folder, "../outside.css") is None
    assert _static_url(app, "css/gone.css") == "/static/css/gone.css"


def test_static_collect_writes_each_file_under_the_name_pages_link(app, runner, tmp_path):
    result = runner.invoke(args=["static", "collect", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for filename in ("css/site.css", "js/hazards.js", "favicon.svg"):
        copy = tmp_path / _static_url(app, filename).lstrip("/")
        assert copy.read_bytes() == (STATIC / filename).read_bytes(), filename
    assert not (tmp_path / "static" / "css" / "site.css").exists()  # plain names stay with the code


def test_nginx_keeps_a_year_exactly_the_names_the_app_links(app):
    """The site's pattern for fingerprinted names takes the app's and nothing plain."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    pattern = re.search(r'location ~ "(\^/static/[^"]+)"', site).group(1)
    assert re.match(pattern, _static_url(app, "css/site.css"))
    assert re.match(pattern, _static_url(app, "favicon.svg"))
    assert not re.match(pattern, "/static/css/site.css")
