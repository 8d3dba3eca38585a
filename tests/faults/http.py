"""A small HTTP client for a served app: a cookie jar, the CSRF token, no redirects followed;
HTTPS with a given context, from a given loopback address, multipart forms."""

import functools
import http.client
import http.cookiejar
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid

from bs4 import BeautifulSoup


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _HttpsFrom(urllib.request.HTTPSHandler):
    """HTTPS whose connections leave from `source` (e.g. 127.0.0.2, another loopback address)."""

    def __init__(self, context: ssl.SSLContext | None, source: str | None):
        super().__init__(context=context)
        self.source = source

    def https_open(self, req):
        connection = http.client.HTTPSConnection
        if self.source:
            connection = functools.partial(connection, source_address=(self.source, 0))
        return self.do_open(connection, req, context=self._context)


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type: fields, then (name, filename, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    def __init__(
        self,
        base_url: str,
        *,
        context: ssl.SSLContext | None = None,
        source_address: str | None = None,
    ):
        self.base_url = base_url
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()]
        if context is not None or source_address:
            handlers.append(_HttpsFrom(context, source_address))
        self.opener = urllib.request.build_opener(*handlers)
        self.last_location = ""  # the Location header of the last answer, if any
        self.last_page = ""  # sent as the Referer of a form, as a browser does (HTTPS needs it)

    def open(
        self,
        path: str,
        data: dict | bytes | None = None,
        timeout: float = 30,
        headers: dict | None = None,
    ) -> tuple[int, str]:
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data, doseq=True).encode()
        url = f"{self.base_url}{path}"
        headers = dict(headers or {})
        if data is None:
            self.last_page = url
        elif self.last_page:
            headers.setdefault("Referer", self.last_page)
        request = urllib.request.Request(url, data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=timeout) as response:
                self.last_location = response.headers.get("Location", "")
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.last_location = error.headers.get("Location", "")
            return error.code, error.read().decode()

    def csrf_token(self, path: str) -> str:
        return self.form_fields(path)["csrf_token"]

    def form_fields(self, path: str) -> dict[str, str]:
        """The hidden fields of the form on the page at `path` (its CSRF token among them)."""
        status, html = self.open(path)
        assert status == 200, f"GET {path}: {status}"
        page = BeautifulSoup(html, "html.parser")
        return {
            field["name"]: field.get("value", "")
            for field in page.select("form input[type=hidden]")
            if field.get("name")
        }

    def post_form(self, path: str, data: dict, timeout: float = 30) -> tuple[int, str]:
        return self.open(path, {**data, "csrf_token": self.csrf_token(path)}, timeout=timeout)

    def post_multipart(
        self,
        path: str,
        fields: dict,
        files: list[tuple[str, str, bytes]],
        *,
        timeout: float = 30,
        headers: dict | None = None,
    ) -> tuple[int, str]:
        body, content_type = multipart(fields, files)
        return self.open(
            path, body, timeout=timeout, headers={"Content-Type": content_type, **(headers or {})}
        )
