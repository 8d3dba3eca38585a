"""The home page: services first, then the newest articles and the year in numbers."""

from tests.pages import text_of
from webapp.education.figures import LIVE_FIGURES, register_live_figure


def test_the_home_page_shows_the_newest_campaigns_and_exposures(client_request):
    page = client_request.get("/?lang=zh")
    campaigns = page.select_one("#newest-campaigns").find_parent("section")
    exposures = page.select_one("#newest-exposures").find_parent("section")
    assert [a.get_text() for a in campaigns.select("h3 a")] == [
        "护学岗守护上学路",
        "夏季夜查行动",
        "头盔专项行动",
    ]
    assert [a.get_text() for a in exposures.select("h3 a")] == [
        "酒后驾车夜间追尾",
        "未戴头盔摔倒受伤",
    ]


def test_the_services_come_before_the_articles(client_request):
    page = client_request.get("/?lang=en")
    headings = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert headings[0] == "Online services"


def test_the_year_in_numbers_reads_naturally_in_chinese(client_request):
    numbers = client_request.get("/?lang=zh").select_one("#numbers-title").find_parent("section")
    figures = [li.strong.get_text() for li in numbers.select(".figures li:not(.live-figure)")]
    assert figures == ["1,500余", "160", "17,929"]
    assert "2025年工作数字" in text_of(numbers)
    assert "交警一大队2025年工作总结" in text_of(numbers)


def test_the_year_in_numbers_reads_naturally_in_english(client_request):
    numbers = client_request.get("/?lang=en").select_one("#numbers-title").find_parent("section")
    assert "1,500+ officer deployments" in text_of(numbers)
    assert "17,929 service transactions" in text_of(numbers)
    assert "2025 in numbers" in text_of(numbers)


def test_live_figures_registered_by_a_feature_show_beside_the_report(
    client_request, app, monkeypatch
):
    monkeypatch.setitem(app.extensions, LIVE_FIGURES, [])
    register_live_figure(app, lambda: ("reports received", 1234))
    numbers = client_request.get("/?lang=en").select_one("#numbers-title").find_parent("section")
    live = numbers.select_one(".live-figure")
    assert text_of(live) == "1,234 reports received"


def test_without_content_the_home_page_shows_only_the_services(
    client_request, app, monkeypatch, tmp_path, use_content
):
    monkeypatch.setitem(app.extensions, LIVE_FIGURES, [])  # and no feature's live count
    use_content(tmp_path)
    monkeypatch.setitem(app.extensions, LIVE_FIGURES, [])
    page = client_request.get("/?lang=en")
    assert page.select_one("#numbers-title") is None
    assert page.select_one("#newest-campaigns") is None
    assert page.select_one("#services-title") is not None
