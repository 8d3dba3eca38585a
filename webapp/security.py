"""Response headers every answer carries, the request id, and the proxy settings."""

import secrets

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # no-referrer would break Flask-WTF's same-origin check over HTTPS.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), payment=(), geolocation=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}

REQUEST_ID_KEY = "portal.request_id"


def client_ip() -> str:
    """The client's address, as the trusted proxies (PROXY_COUNT) report it."""
    return request.remote_addr or ""


def request_id() -> str:
    """The id of the current request, as its X-Request-ID header and the log give it."""
    return request.environ.setdefault(REQUEST_ID_KEY, secrets.token_hex(8))


class ResponseHeaders:
    """WSGI middleware: every answer (pages, errors, static files, cached pages)
    gets the security headers and a request id, unless the app set one itself."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.defaults = list(SECURITY_HEADERS.items())

    def __call__(self, environ, start_response):
        environ.setdefault(REQUEST_ID_KEY, secrets.token_hex(8))

        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(
                (name, value) for name, value in self.defaults if name.lower() not in present
            )
            headers.append(("X-Request-ID", environ[REQUEST_ID_KEY]))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def register_security(app: Flask) -> None:
    """The outermost middleware: the proxy fix first, then the headers."""
    app.wsgi_app = ResponseHeaders(app.wsgi_app)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
