"""Section lists, article pages and covers, in both languages."""

import pytest
from flask import url_for

from tests.education.writing import write_article, write_tags
from tests.pages import text_of

SECTIONS = {
    "campaigns": ("专项整治与宣传", "Campaigns", "夏季夜查行动", "The summer night checks"),
    "exposures": ("事故曝光", "Accident exposures", "未戴头盔摔倒受伤", "A fall without a helmet"),
    "knowledge": ("安全知识", "Safety knowledge", "如何选择头盔", "How to choose a helmet"),
    "notices": ("公告", "Notices", "车管大厅办公时间", "Service hall opening hours"),
}


def titles(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".article-card .card-title a")]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_lists_its_articles_in_chinese(client_request, section):
    heading, _, title, _ = SECTIONS[section]
    page = client_request.get(f"/{section}/?lang=zh")
    assert page.h1.get_text(strip=True) == heading
    assert title in titles(page)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_lists_its_articles_in_english(client_request, section):
    _, heading, _, title = SECTIONS[section]
    page = client_request.get(f"/{section}/?lang=en")
    assert page.h1.get_text(strip=True) == heading
    assert title in titles(page)


def test_a_list_shows_the_newest_article_first(client_request):
    page = client_request.get("/campaigns/?lang=zh")
    assert titles(page) == ["护学岗守护上学路", "夏季夜查行动", "头盔专项行动", "安全展示测试"]


def test_a_detail_page_renders_its_markdown(client_request):
    page = client_request.get("/campaigns/helmet-campaign?lang=en")
    body = page.select_one(".article-body")
    assert page.h1.get_text(strip=True) == "The helmet campaign"
    assert body.h2.get_text() == "What we did"
    assert body.strong.get_text() == "wear a helmet"
    assert [li.get_text() for li in body.select("li")] == [
        "Patrols at rush hours",
        "Leaflets for riders",
    ]
    assert [td.get_text() for td in body.select("td")] == ["May", "1200"]
    assert "May 10, 2025" in text_of(page)
    assert page.select_one(".tags a").get_text() == "helmets"


def test_a_detail_page_carries_open_graph_title_and_description(client_request):
    page = client_request.get("/knowledge/helmet-basics?lang=zh")
    assert page.find("meta", property="og:title")["content"] == "如何选择头盔"
    assert (
        page.find("meta", property="og:description")["content"]
        == "选头盔要看标准、尺寸和佩戴方法。"
    )
    assert page.find("meta", property="og:url")["content"].endswith("/knowledge/helmet-basics")


def test_an_exposure_case_shows_its_facts_and_its_lesson(client_request):
    page = client_request.get("/exposures/night-collision?lang=en")
    facts = text_of(page.select_one(".exposure-facts"))
    assert "June 20, 2025" in facts
    assert "National road" in facts
    assert "car, heavy lorry" in facts
    assert "Drink or drunk driving" in facts and "Speeding" in facts
    assert "1 dead, 2 injured" in facts
    assert "If you drink, do not drive" in text_of(page.select_one(".lesson"))


def test_an_exposure_case_shows_its_facts_in_chinese(client_request):
    page = client_request.get("/exposures/night-collision?lang=zh")
    facts = text_of(page.select_one(".exposure-facts"))
    assert "2025年6月20日" in facts
    assert "小型汽车、重型货车" in facts


def test_related_articles_are_those_sharing_a_tag(client_request):
    page = client_request.get("/campaigns/helmet-campaign?lang=en")
    related = [a.get_text() for a in page.select("#related-title + ul a")]
    assert related == ["A fall without a helmet", "How to choose a helmet"]


def test_english_readers_see_a_notice_when_an_article_has_no_english_text(client_request):
    page = client_request.get("/campaigns/school-gate-posts?lang=en")
    assert "not yet available in English" in text_of(page.select_one(".notice"))
    assert page.select_one("article")["lang"] == "zh-CN"
    assert page.h1.get_text(strip=True) == "护学岗守护上学路"


def test_an_english_list_marks_the_articles_shown_in_chinese(client_request):
    page = client_request.get("/campaigns/?lang=en")
    card = page.select_one(".article-card[lang=zh-CN]")
    assert card.select_one(".card-title").get_text(strip=True) == "护学岗守护上学路"
    assert "In Chinese" in text_of(card)
    assert len(page.select(".article-card[lang=zh-CN]")) == 2


def test_an_article_with_english_text_has_no_fallback_notice(client_request):
    page = client_request.get("/campaigns/helmet-campaign?lang=en")
    assert "not yet available in English" not in text_of(page)


def test_chinese_readers_never_see_the_fallback_notice(client_request):
    page = client_request.get("/campaigns/school-gate-posts?lang=zh")
    assert page.select_one(".notice") is None


def test_raw_html_in_a_markdown_body_does_not_reach_the_page(client):
    response = client.get("/campaigns/safe-markdown?lang=zh")
    html = response.get_data(as_text=True)
    assert "正文第一段" in html
    assert 'alert("boom")' not in html and "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org/"' in html


def test_an_unknown_slug_gives_the_404_page(client_request):
    page = client_request.get("/campaigns/no-such-article?lang=en", expected_status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_an_article_is_only_found_in_its_own_section(client_request):
    client_request.get("/notices/helmet-campaign", expected_status=404)


def test_the_tag_filter_keeps_only_articles_with_that_tag(client_request):
    page = client_request.get("/campaigns/?lang=en&tag=helmet")
    assert titles(page) == ["The helmet campaign"]
    assert page.select_one("#tag option[selected]")["value"] == "helmet"


def test_the_cause_filter_keeps_only_exposures_with_that_cause(client_request):
    page = client_request.get("/exposures/?lang=en&cause=no_helmet")
    assert titles(page) == ["A fall without a helmet"]
    assert page.select_one("#cause option[selected]").get_text() == "No helmet"


def test_the_cause_filter_offers_bilingual_labels(client_request):
    page = client_request.get("/exposures/?lang=zh")
    options = [option.get_text() for option in page.select("#cause option")]
    assert options == ["全部原因", "酒驾醉驾", "未戴头盔", "超速行驶"]


def test_a_filter_that_matches_nothing_says_so(client_request):
    page = client_request.get("/notices/?lang=en&tag=helmet")
    assert titles(page) == []
    assert "No articles match." in text_of(page)


def test_an_unknown_filter_value_is_ignored(client_request):
    page = client_request.get("/exposures/?lang=en&cause=texting&tag=nonsense")
    assert len(titles(page)) == 2


@pytest.fixture
def twelve_campaigns(tmp_path, use_content):
    write_tags(tmp_path)
    for day in range(1, 13):
        write_article(
            tmp_path, "campaigns", f"campaign-{day}", date=f"2025-06-{day:02d}", title=f"活动{day}"
        )
    return use_content(tmp_path)


def test_lists_show_ten_articles_a_page(client_request, twelve_campaigns):
    first = client_request.get("/campaigns/")
    assert titles(first) == [f"活动{day}" for day in range(12, 2, -1)]
    assert first.select_one("a[rel=next]")["href"] == "/campaigns/?page=2"
    second = client_request.get("/campaigns/?page=2")
    assert titles(second) == ["活动2", "活动1"]
    assert second.select_one("a[rel=next]") is None
    assert second.select_one("a[rel=prev]")["href"] == "/campaigns/?page=1"


def test_pages_beyond_the_last_give_404(client_request, twelve_campaigns):
    client_request.get("/campaigns/?page=3", expected_status=404)


@pytest.mark.parametrize("raw", ["0", "-4", "abc"])
def test_a_nonsense_page_number_shows_the_first_page(client_request, twelve_campaigns, raw):
    page = client_request.get(f"/campaigns/?page={raw}")
    assert titles(page)[0] == "活动12"


def test_pagination_keeps_the_filter(client_request, twelve_campaigns):
    page = client_request.get("/campaigns/?tag=helmet")
    assert page.select_one("a[rel=next]")["href"] == "/campaigns/?page=2&tag=helmet"


def test_a_cover_image_is_served_from_content(client):
    response = client.get("/content/images/helmet.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/content/data/tags.yaml",
        "/content/campaigns/helmet-campaign.zh.md",
        "/content/../README.md",
        "/content/images/../data/tags.yaml",
        "/content/images/missing.svg",
    ],
)
def test_nothing_but_cover_images_is_served_from_content(client, path):
    assert client.get(path).status_code == 404


def test_a_detail_page_shows_its_cover(client_request):
    page = client_request.get("/campaigns/helmet-campaign")
    assert page.select_one("img.cover")["src"] == "/content/images/helmet.svg"


def test_an_articles_path_is_the_url_of_its_page(app, fixture_library):
    with app.test_request_context():
        for article in fixture_library.newest["en"]:
            assert article.path == url_for(
                "education.article", section=article.section, slug=article.slug
            )
