"""Languages: choice, persistence, <html lang>, and complete catalogues."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_chinese_is_the_default(client_request):
    page = client_request.get("/")
    assert page.html["lang"].startswith("zh")
    assert "网上服务" in page.get_text()


def test_accept_language_english_gives_english(client_request):
    page = client_request.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.html["lang"] == "en"


def test_lang_parameter_sets_the_language_and_the_session_keeps_it(client_request):
    page = client_request.get("/?lang=en")
    assert page.html["lang"] == "en"
    assert "Online services" in page.get_text()
    again = client_request.get("/", headers={"Accept-Language": "zh-CN"})
    assert again.html["lang"] == "en"
    back = client_request.get("/?lang=zh")
    assert back.html["lang"].startswith("zh")


def test_an_unknown_language_is_ignored(client_request):
    page = client_request.get("/?lang=fr")
    assert page.html["lang"].startswith("zh")


def test_the_language_link_keeps_the_page_and_its_query(client_request):
    page = client_request.get("/?page=2")
    link = page.find("a", hreflang="en")
    assert link["href"] in ("/?page=2&lang=en", "/?lang=en&page=2")


def test_large_text_mode_is_kept_in_the_session(client_request):
    page = client_request.get("/?text=large")
    assert "large-text" in page.html.get("class", [])
    assert "large-text" in client_request.get("/").html.get("class", [])
    assert "large-text" not in client_request.get("/?text=normal").html.get("class", [])


def _catalogue(language):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    problems = []
    for message in _catalogue("zh"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"untranslated or fuzzy: {problems[:10]}"


def test_the_catalogue_is_not_stale(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "translations/babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(fresh),
            "webapp",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(fresh, "rb") as file:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue("zh") if m.id}
    missing = sorted(extracted - known)
    assert not missing, f"run `make translations-update`; not in the catalogue: {missing[:10]}"


def test_templates_follow_force_locale_and_switch_back(app):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Home') }}") == "Home"
        with force_locale("zh"):
            assert render_template_string("{{ _('Home') }}") == "首页"
        assert render_template_string("{{ _('Home') }}") == "Home"


def test_the_navigation_marks_the_current_section(client_request):
    page = client_request.get("/campaigns/")
    current = page.select("nav a[aria-current=page]")
    assert [link["href"] for link in current] == ["/campaigns/"]
