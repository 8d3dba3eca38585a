"""Pages stay light for phones on slow networks (issue: at most 100 KiB before photos)."""

from urllib.parse import urlsplit

PAGE_BUDGET = 100 * 1024
SCRIPT_BUDGET = 30 * 1024


def _asset_bytes(client, page, selector, attribute) -> int:
    total = 0
    for tag in page.select(selector):
        path = urlsplit(tag[attribute]).path
        response = client.get(path)
        assert response.status_code == 200, path
        total += len(response.get_data())
    return total


def test_the_home_page_with_its_styles_and_scripts_stays_under_budget(client_request, client):
    html = client.get("/").get_data()
    page = client_request.get("/")
    styles = _asset_bytes(client, page, "link[rel=stylesheet]", "href")
    scripts = _asset_bytes(client, page, "script[src]", "src")
    assert scripts <= SCRIPT_BUDGET
    assert len(html) + styles + scripts <= PAGE_BUDGET


def test_no_asset_comes_from_another_host(client_request):
    page = client_request.get("/")
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            assert not urlsplit(element.get(attribute, "")).netloc, element
