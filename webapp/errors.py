"""Error pages in both languages, each with the request id that the log carries."""

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from webapp.security import request_id

log = logging.getLogger("webapp")

# Set once the request has found the database unavailable: the error page is then drawn
# without anything that reads it (the logged-in officer is not loaded again).
DATABASE_UNAVAILABLE_KEY = "portal_database_unavailable"

ERROR_TEXT = {
    400: (
        _l("The request could not be understood"),
        _l(
            "Something in the request was not right. If you sent a form, go back, reload the page and try again."
        ),
    ),
    403: (
        _l("You cannot open this page"),
        _l("Your account does not have the role that this page needs."),
    ),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page has moved.")),
    405: (
        _l("This action is not allowed here"),
        _l("The page does not accept this kind of request."),
    ),
    413: (
        _l("What you sent is too large"),
        _l(
            "Photos and files together must stay under the size limit. Send smaller photos, or fewer of them."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l("You have tried this too often in a short time. Wait a few minutes and try again."),
    ),
    500: (
        _l("Sorry, something went wrong on our side"),
        _l("The error has been recorded. Please try again later."),
    ),
    503: (
        _l("The service is temporarily unavailable"),
        _l("Nothing you sent has been lost or half-saved. Please try again in a few minutes."),
    ),
}


# Machine clients get their errors as JSON, in the GeoReport v2 error format.
JSON_API_PREFIXES = ("/open311/",)


def render_error(code: int):
    title, explanation = ERROR_TEXT.get(code, ERROR_TEXT[500])
    if request.path.startswith(JSON_API_PREFIXES):
        return jsonify([{"code": code, "description": str(title)}]), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title,
            explanation=explanation,
            request_id=request_id(),
        ),
        code,
    )


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    if code not in ERROR_TEXT:
        return error
    log.info("http %s %s %s request_id=%s", code, request.method, request.path, request_id())
    response, status = render_error(code)
    headers = error.get_headers() if code in (405, 429) else []
    extra = {k: v for k, v in headers if k.lower() in {"allow", "retry-after"}}
    return response, status, extra


def handle_database_unavailable(error: OperationalError):
    log.error("database unavailable request_id=%s: %s", request_id(), error)
    setattr(g, DATABASE_UNAVAILABLE_KEY, True)
    return render_error(ServiceUnavailable.code)


def handle_unexpected_error(error: Exception):
    log.exception("unhandled error request_id=%s", request_id())
    return render_error(InternalServerError.code)


def handle_csrf_error(error: CSRFError):
    log.info("csrf refused %s request_id=%s: %s", request.path, request_id(), error.description)
    return render_error(400)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
