"""A small HTTP client for a served app: a cookie jar, the CSRF token, no redirects followed."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

from bs4 import BeautifulSoup


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        self.last_location = ""  # the Location header of the last answer, if any

    def open(self, path: str, data: dict | None = None, timeout: float = 30) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(f"{self.base_url}{path}", body, timeout=timeout) as response:
                self.last_location = response.headers.get("Location", "")
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.last_location = error.headers.get("Location", "")
            return error.code, error.read().decode()

    def csrf_token(self, path: str) -> str:
        status, html = self.open(path)
        assert status == 200, f"GET {path}: {status}"
        return BeautifulSoup(html, "html.parser").find("input", {"name": "csrf_token"})["value"]

    def post_form(self, path: str, data: dict, timeout: float = 30) -> tuple[int, str]:
        return self.open(path, {**data, "csrf_token": self.csrf_token(path)}, timeout=timeout)
