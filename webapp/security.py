"""Response headers every answer carries, the request id, and the proxy settings."""

import secrets
from collections.abc import Iterable
from urllib.parse import quote

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.common.maps import tile_origins


def content_security_policy(img_sources: Iterable[str] = ()) -> str:
    """Everything from this site only; images also from the map's tile hosts, if any."""
    images = " ".join(("'self'", "data:", *img_sources))
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        )
    )


CONTENT_SECURITY_POLICY = content_security_policy()

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


# What may stay as itself in a link's path and query; anything else (a backslash, white
# space, a control character, `#`, non-ASCII) is percent-encoded.
PATH_SAFE = "/:@!$&'()*+,;=~"
QUERY_SAFE = PATH_SAFE + "?%"


def same_site_path(query: str | None = None) -> str:
    """The current page as a link that a browser opens on this site, whatever was asked for.

    A browser reads `//host/...` and `/\\host/...` (and `/<TAB>/host`, as it drops tabs
    and newlines) as another site, and the path reaches the app percent-decoded, so
    `/%5Chost` arrives as `/\\host`. The path is encoded again and starts with exactly
    one slash. `query` replaces the request's own query string (already encoded, as
    `urlencode` makes it); without it the request's is kept. Build every link or `next`
    from the request with this, never from `request.path` or `request.full_path`.
    """
    path = "/" + quote(request.script_root + request.path, safe=PATH_SAFE).lstrip("/")
    query = quote(request.query_string if query is None else query, safe=QUERY_SAFE)
    return f"{path}?{query}" if query else path


class ResponseHeaders:
    """WSGI middleware: every answer (pages, errors, static files, cached pages)
    gets the security headers and a request id, unless the app set one itself."""

    def __init__(self, wsgi_app, headers: dict[str, str] | None = None):
        self.wsgi_app = wsgi_app
        self.defaults = list((headers or SECURITY_HEADERS).items())

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


# Public pages that show what a visitor typed or looked up (names, ID numbers, phone
# numbers, a booking, a company's request) or a reference that opens them. Every page
# of a staff blueprint ("staff", "*_staff") is kept out of caches as well.
PERSONAL_DATA_ENDPOINTS = frozenset(
    {
        "appointments.book",
        "appointments.confirmation",
        "appointments.calendar_file",
        "appointments.manage",
        "appointments.manage_booking",
        "appointments.move",
        "appointments.cancel",
        "appointments.join_waitlist_page",
        "appointments.waitlist_joined",
        "appointments.waitlist_offer",
        "appointments.manage_waitlist",
        "appointments.leave_waitlist_page",
        "training.new_request",
        "training.submitted",
        "training.manage",
        "training.withdraw",
        "training.look_up_another",
        "hazards.new_report",
        "hazards.received",
        "hazards.reopen",
        "hazards.follow_confirm",
        "hazards.stop_texts",
    }
)
NO_STORE = "no-store"
# A public photo may be kept, but is asked for again each time it is shown: a report
# made private is gone at once, and its ETag makes the question cheap (304).
REVALIDATE = "private, no-cache"


def is_staff_blueprint(name: str | None) -> bool:
    return name == "staff" or (name or "").endswith("_staff")


def shows_personal_data(response) -> bool:
    """Staff pages, public pages with personal data, answers to a form (they show what
    was typed) and server errors (a moment's state) are never kept."""
    return (
        is_staff_blueprint(request.blueprint)
        or request.endpoint in PERSONAL_DATA_ENDPOINTS
        or request.method not in ("GET", "HEAD")
        or response.status_code >= 500
    )


def keep_personal_data_out_of_caches(response):
    if shows_personal_data(response):
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
    return response


def revalidate_every_time(response):
    """For a public photo: a browser or proxy asks again before each use (ETag and
    Last-Modified answer it with a 304 while the report is public, a 404 once not)."""
    response.headers["Cache-Control"] = REVALIDATE
    response.headers.pop("Expires", None)
    return response


def register_security(app: Flask) -> None:
    """The outermost middleware: the proxy fix first, then the headers; and which
    answers may be kept by browsers and proxies."""
    app.after_request(keep_personal_data_out_of_caches)
    headers = SECURITY_HEADERS | {
        "Content-Security-Policy": content_security_policy(tile_origins(app.config))
    }
    app.wsgi_app = ResponseHeaders(app.wsgi_app, headers)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
