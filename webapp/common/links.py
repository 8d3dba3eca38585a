"""Addresses of the site's pages as a person outside reaches them (links in text messages)."""

from flask import current_app, has_request_context, request, url_for


def absolute_url(endpoint: str, **values) -> str:
    """The full address of a page: under SITE_URL when it is set, otherwise under the
    address of the request being answered (or http://localhost/ in a command)."""
    base = current_app.config.get("SITE_URL", "")
    if has_request_context():
        path = url_for(endpoint, **values)[len(request.script_root) :]
        base = base or request.url_root
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
        base = base or "http://localhost/"
    return base.rstrip("/") + path
