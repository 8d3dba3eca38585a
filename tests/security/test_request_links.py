"""Links built from the request stay on this site, whatever path was asked for (issue 16,
item 8): the language and text-size switches, the page links, a login's way back.

A browser reads `//host/...` and `/\\host/...` as another site; a server hands the
path to the app percent-decoded, so `/%5Chost` arrives as `/\\host` too.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from webapp.staff.roles import Role

SITE = "http://localhost"

# Paths as the server hands them to the app (PATH_INFO, percent-decoded).
HOSTILE_PATHS = [
    "//evil.example/..",
    "//evil.example/%2e%2e",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\\\\evil.example/x",
    "//evil.example",
    "/ /evil.example",
    "/\t/evil.example",
    "/%0a/evil.example",
    "/hazards//evil.example",
    "//evil.example/hazards/",
    "/\\evil.example/staff/",
    "/staff//evil.example",
    "/staff/\\evil.example",
]
QUERIES = ["", "lang=en", "text=large&page=2", "next=//evil.example"]


def stays_on_site(url: str) -> bool:
    """What a browser would open from this link or Location is on this site."""
    if any(char == "\\" or char.isspace() or not char.isprintable() for char in url):
        return False
    if url.startswith("#"):
        return True
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(urljoin(SITE + "/", url))
    return parts.scheme in ("http", "https") and parts.netloc == "localhost"


def links_in(response) -> list[str]:
    links = [response.headers["Location"]] if "Location" in response.headers else []
    if response.mimetype == "text/html":
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for tag in page.find_all(True):
            for name in ("href", "src", "action", "formaction"):
                if tag.get(name) is not None:
                    links.append(tag[name])
            if tag.name == "input" and tag.get("name") in ("next", "back"):
                links.append(tag.get("value", ""))
    return links


def _get(client, path: str, query: str):
    return client.get(
        "/",
        environ_overrides={"PATH_INFO": path, "QUERY_STRING": query},
        follow_redirects=False,
    )


def test_the_check_knows_a_link_to_another_site():
    for link in ("//evil.example/", "/\\evil.example", "http://evil.example/", "/\t/evil.example"):
        assert not stays_on_site(link)
    for link in ("/", "/hazards/?lang=en", "#main", "http://localhost/hazards/", "?page=2"):
        assert stays_on_site(link)


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_every_link_on_the_answer_to_a_hostile_path_stays_on_the_site(client, path):
    for query in QUERIES:
        response = _get(client, path, query)
        links = links_in(response)
        assert links, f"{path}?{query}: {response.status_code} without links"
        leaving = [link for link in links if not stays_on_site(link)]
        assert not leaving, f"{path}?{query} answered {response.status_code} with {leaving}"


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_an_officer_gets_no_link_off_the_site_either(client_for, path):
    client = client_for(Role.HAZARD_OFFICER)
    for query in QUERIES:
        response = _get(client, path, query)
        leaving = [link for link in links_in(response) if not stays_on_site(link)]
        assert not leaving, f"{path}?{query} answered {response.status_code} with {leaving}"


def test_the_switches_keep_the_page_and_its_query(client):
    page = BeautifulSoup(
        client.get("/hazards/?page=1&state=open").get_data(as_text=True), "html.parser"
    )
    switch = page.select_one(".preferences a[hreflang]")["href"]
    assert urlsplit(switch).path == "/hazards/"
    assert "state=open" in switch and "lang=en" in switch


def test_a_switch_on_a_page_with_an_odd_path_stays_here(client):
    response = _get(client, "//evil.example/%2e%2e", "")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    switch = page.select_one(".preferences a[hreflang]")["href"]
    assert switch.startswith("/") and switch[1] not in "/\\"
    assert "lang=en" in switch
