"""Content files are checked when the app starts; a fault names the file and the field."""

import re
from datetime import date
from pathlib import Path

import pytest

from tests.education.conftest import FIXTURE_CONTENT
from tests.education.writing import write_article, write_tags
from webapp import create_app
from webapp.common.clock import local_today
from webapp.config import TestingConfig
from webapp.education.loader import load_library
from webapp.education.schema import ContentError

TODAY = date(2026, 11, 27)
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


def load(root: Path):
    return load_library(root, today=TODAY)


@pytest.fixture
def root(tmp_path):
    write_tags(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("section", "changes", "field", "problem"),
    [
        ("campaigns", {"title": None}, "title", "is missing"),
        ("campaigns", {"title": "x" * 121}, "title", "limit is 120"),
        ("campaigns", {"date": "2025-13-01"}, "date", "not a real date"),
        ("campaigns", {"date": "1 March 2025"}, "date", "YYYY-MM-DD"),
        ("campaigns", {"date": "2027-01-01"}, "date", "outside"),
        ("knowledge", {"summary": ""}, "summary", "non-empty"),
        ("knowledge", {"tags": ["no-such-tag"]}, "tags", "'no-such-tag' is not a known code"),
        ("notices", {"sumary": "typo"}, "sumary", "is not a field"),
        ("notices", {"cover": "images/missing.svg"}, "cover", "not an image file"),
        ("notices", {"cover": "../secret.svg"}, "cover", "not an image file"),
        ("notices", {"lesson": "only for exposures"}, "lesson", "is not a field"),
        ("exposures", {"causes": ["texting"]}, "causes", "'texting' is not a known code"),
        ("exposures", {"causes": []}, "causes", "1 to 4 items"),
        ("exposures", {"lesson": None}, "lesson", "is missing"),
        ("exposures", {"road_type": "motorway"}, "road_type", "is not one of"),
        ("exposures", {"vehicles": []}, "vehicles", "1 to 5 items"),
        ("exposures", {"casualties": {"deaths": -1, "injuries": 0}}, "casualties", ">= 0"),
        ("exposures", {"casualties": {"deaths": 1}}, "casualties", "mapping"),
        ("exposures", {"accident_date": "2025-04-01"}, "accident_date", "outside"),
    ],
)
def test_a_bad_field_stops_loading_with_the_file_and_the_field(
    root, section, changes, field, problem
):
    write_article(root, section, "good-one")
    write_article(root, section, "bad-one", **changes)
    with pytest.raises(ContentError) as raised:
        load(root)
    message = str(raised.value)
    assert f"{section}/bad-one.zh.md" in message
    assert f"field '{field}'" in message
    assert problem in message


def test_an_english_file_must_carry_the_same_facts_as_the_chinese_one(root):
    write_article(root, "exposures", "crash")
    write_article(root, "exposures", "crash", lang="en", causes=["speeding"], title="Crash")
    with pytest.raises(ContentError, match=r"exposures/crash\.en\.md: field 'causes': differs"):
        load(root)


def test_an_english_file_without_a_chinese_one_is_refused(root):
    write_article(root, "campaigns", "lonely", lang="en")
    with pytest.raises(ContentError, match=r"campaigns/lonely\.zh\.md: is missing"):
        load(root)


@pytest.mark.parametrize("name", ["Helmet.zh.md", "helmet.fr.md", "helmet.md", "helmet_x.zh.md"])
def test_a_wrongly_named_file_is_refused(root, name):
    (root / "campaigns").mkdir()
    (root / "campaigns" / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    with pytest.raises(ContentError, match=rf"campaigns/{name}: is not named"):
        load(root)


def test_broken_yaml_front_matter_is_refused(root):
    path = write_article(root, "campaigns", "broken")
    path.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"campaigns/broken\.zh\.md: front matter is not valid"):
        load(root)


def test_a_bad_tags_file_is_refused(tmp_path):
    write_tags(tmp_path, {"Bad Code": {"zh": "坏", "en": "bad"}})
    with pytest.raises(ContentError, match=r"data/tags\.yaml: field 'Bad Code'"):
        load(tmp_path)


def test_a_figure_without_a_number_is_refused(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "figures-2025.yaml").write_text(
        "year: 2025\nsource: {zh: 总结, en: report}\n"
        "figures:\n  - {key: cases, value: many, label: {zh: 案件, en: cases}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"figures-2025\.yaml: field 'figures\[0\]\.value'"):
        load(tmp_path)


def test_an_empty_content_folder_loads_as_an_empty_site(tmp_path):
    library = load(tmp_path)
    assert library.newest["zh"] == []
    assert library.figures is None


def test_the_app_refuses_to_start_on_bad_content_and_says_where(tmp_path):
    write_tags(tmp_path)
    write_article(tmp_path, "notices", "hours", title=None)
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    with pytest.raises(SystemExit, match=r"notices/hours\.zh\.md: field 'title': is missing"):
        create_app({**config, "CONTENT_DIR": str(tmp_path)})


def test_markdown_is_rendered_once_at_load(fixture_library):
    article = fixture_library.article("en", "campaigns", "helmet-campaign")
    assert "<strong>wear a helmet</strong>" in article.html
    assert "wear a helmet" in article.text_key


def test_the_test_content_itself_is_valid():
    assert load(FIXTURE_CONTENT).newest["zh"]


@pytest.mark.skipif(not (REAL_CONTENT / "campaigns").is_dir(), reason="no site content yet")
def test_the_sites_own_content_is_valid():
    library = load_library(REAL_CONTENT, today=local_today())
    for section in ("campaigns", "exposures", "knowledge", "notices"):
        assert library.sections["zh"][section], f"content/{section} is empty"
    paths = {article.path for article in library.newest["zh"]}
    for article in library.newest["zh"] + library.newest["en"]:
        for link in re.findall(
            r'href="(/(?:campaigns|exposures|knowledge|notices)/[^"?#]+)"', article.html
        ):
            assert link in paths, f"{article.path} ({article.lang}) links to missing {link}"
