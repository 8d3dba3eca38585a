"""A page helper: every page a test opens is parsed and checked for hygiene."""

import secrets
from collections import Counter

from bs4 import BeautifulSoup
from itsdangerous import URLSafeTimedSerializer


def check_page_hygiene(html: str) -> BeautifulSoup:
    page = BeautifulSoup(html, "html.parser")
    assert page.html is not None and page.html.get("lang"), "<html lang> is missing"
    assert page.title is not None and page.title.get_text(strip=True), "<title> is missing"
    h1s = page.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [name for name, count in ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert not page.find_all(style=True), "inline style attributes break the CSP"
    assert not [s for s in page.find_all("script") if not s.get("src")], "inline script"
    return page


def text_of(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


class ClientRequest:
    """GET and POST through the test client, checking status and page hygiene."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def csrf_token(self) -> str:
        """A valid token for this client's session, made as Flask-WTF makes one."""
        with self.client.session_transaction() as client_session:
            raw = client_session.setdefault("csrf_token", secrets.token_hex(20))
        serializer = URLSafeTimedSerializer(self.app.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def get(self, url, *, expected_status=200, **kwargs) -> BeautifulSoup:
        response = self.client.get(url, **kwargs)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code}, expected {expected_status}"
        )
        return check_page_hygiene(response.get_data(as_text=True))

    def post(self, url, data=None, *, expected_status=200, follow_redirects=False, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        response = self.client.post(url, data=data, follow_redirects=follow_redirects, **kwargs)
        assert response.status_code == expected_status, (
            f"POST {url}: {response.status_code}, expected {expected_status}"
        )
        if response.mimetype == "text/html" and response.status_code != 302:
            return check_page_hygiene(response.get_data(as_text=True))
        return response
