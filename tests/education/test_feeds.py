"""The Atom feed, the sitemap and robots.txt."""

from xml.etree import ElementTree as ET

from tests.education.writing import write_article, write_tags

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314  (the app's own output)


def test_the_feed_parses_as_atom_with_the_newest_articles_first(client, fixture_library):
    response = client.get("/feed.xml?lang=zh")
    assert response.mimetype == "application/atom+xml"
    feed = parse(response.data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(fixture_library.newest["zh"])
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "护学岗守护上学路"
    assert first.findtext(f"{ATOM}id") == "http://localhost/campaigns/school-gate-posts"
    assert first.findtext(f"{ATOM}updated") == "2025-09-01T00:00:00+08:00"
    assert feed.findtext(f"{ATOM}updated") == "2025-09-01T00:00:00+08:00"


def test_the_english_feed_links_to_english_pages(client):
    feed = parse(client.get("/feed.xml?lang=en").data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "The summer night checks" in titles
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith("?lang=en")


def test_the_feed_holds_at_most_twenty_entries(client, tmp_path, use_content):
    write_tags(tmp_path)
    for day in range(1, 26):
        write_article(tmp_path, "notices", f"notice-{day}", date=f"2025-05-{day:02d}")
    use_content(tmp_path)
    feed = parse(client.get("/feed.xml").data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entries[0].findtext(f"{ATOM}id").endswith("/notices/notice-25")


def test_the_sitemap_lists_every_public_page_and_every_article(client, fixture_library):
    response = client.get("/sitemap.xml")
    urlset = parse(response.data)
    locations = {url.findtext(f"{SITEMAP}loc") for url in urlset.findall(f"{SITEMAP}url")}
    for article in fixture_library.newest["zh"]:
        assert f"http://localhost/{article.section}/{article.slug}" in locations
    for page in ("/", "/campaigns/", "/exposures/", "/knowledge/", "/notices/"):
        assert f"http://localhost{page}" in locations
    assert not [loc for loc in locations if "/staff" in loc]


def test_robots_txt_keeps_crawlers_out_of_the_back_office_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /staff/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
