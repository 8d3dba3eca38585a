"""Search finds Chinese words inside running text and English words in any case."""

from markupsafe import Markup

from tests.pages import text_of
from webapp.education.loader import plain_text
from webapp.education.search import excerpt, highlight, query_terms


def result_titles(page) -> list[str]:
    return [link.get_text() for link in page.select(".article-card .card-title a")]


def test_chinese_search_finds_a_word_in_the_middle_of_a_sentence(client_request):
    page = client_request.get("/search?q=酒驾&lang=zh")
    assert result_titles(page) == ["夏季夜查行动"]
    assert [mark.get_text() for mark in page.select(".excerpt mark")] == ["酒驾"]
    assert "严查酒驾和醉驾行为" in page.select_one(".excerpt").get_text()


def test_chinese_search_looks_in_titles_and_summaries(client_request):
    page = client_request.get("/search?q=头盔&lang=zh")
    assert set(result_titles(page)) == {"头盔专项行动", "未戴头盔摔倒受伤", "如何选择头盔"}
    assert page.select_one(".card-title mark").get_text() == "头盔"


def test_english_search_ignores_case(client_request):
    page = client_request.get("/search?q=drink+DRIVING&lang=en")
    assert result_titles(page) == ["The summer night checks"]
    assert [mark.get_text() for mark in page.select(".excerpt mark")] == ["Drink", "Driving"]


def test_every_word_of_a_query_must_match(client_request):
    page = client_request.get("/search?q=helmet+lorry&lang=en")
    assert result_titles(page) == []
    assert "0 results for “helmet lorry”" in text_of(page)


def test_a_summary_match_ranks_before_a_newer_body_match(client_request):
    page = client_request.get("/search?q=rider&lang=en")
    assert result_titles(page) == ["A fall without a helmet", "The helmet campaign"]


def test_search_finds_an_exposure_by_its_lesson(client_request):
    page = client_request.get("/search?q=开车不喝酒&lang=zh")
    assert result_titles(page) == ["酒后驾车夜间追尾"]


def test_an_empty_query_shows_only_the_form(client_request):
    page = client_request.get("/search?q=+&lang=en")
    assert page.select_one("input#q") is not None
    assert page.select(".article-card") == []
    assert "results for" not in text_of(page)


def test_a_query_with_html_is_shown_escaped(client):
    response = client.get("/search?q=<script>alert(1)</script>&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_highlighting_escapes_the_text_around_and_inside_a_match():
    shown = highlight("<b>Helmet</b> & co", "<b>helmet</b> & co", ["helmet", "<b>"])
    assert isinstance(shown, Markup)
    assert shown == "<mark>&lt;b&gt;Helmet</mark>&lt;/b&gt; &amp; co"


def test_overlapping_matches_are_highlighted_once():
    assert highlight("酒驾醉驾", "酒驾醉驾", ["酒驾", "驾醉"]) == "<mark>酒驾醉</mark>驾"


def test_query_terms_are_lower_cased_and_not_repeated():
    assert query_terms("  Helmet HELMET 头盔 ") == ["helmet", "头盔"]


def test_a_chinese_excerpt_is_cut_with_a_chinese_ellipsis_and_no_space_beside_punctuation():
    body = (
        "<p>"
        + "前文很长。" * 20
        + "</p>\n<h2>提醒</h2>\n<p>请戴头盔。</p>\n<p>"
        + "后文。" * 60
        + "</p>"
    )
    text = plain_text(body)
    assert "前文很长。提醒 请戴头盔。后文。" in text
    shown = excerpt(text, text, ["头盔"], lang="zh")
    assert shown.startswith("……") and shown.endswith("……")
    assert "…… " not in shown and "。 " not in shown


def test_an_english_excerpt_is_cut_with_spaced_ellipses():
    text = "words " * 30 + "helmet" + " words" * 30
    shown = excerpt(text, text, ["helmet"], lang="en")
    assert shown.startswith("… ") and shown.endswith(" …")
