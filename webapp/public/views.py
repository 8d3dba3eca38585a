from flask import jsonify, render_template

from webapp.education.services import home_page_sections
from webapp.i18n import current_language
from webapp.page_cache import cached_page
from webapp.public import bp
from webapp.public.services import database_is_reachable, uploads_are_writable


@bp.route("/")
@cached_page
def home():
    return render_template("public/home.html", **home_page_sections(current_language()))


@bp.route("/healthz")
def healthz():
    """200 when every part a request may need works; 503 naming the part that does not."""
    checks = {
        "database": "ok" if database_is_reachable() else "unavailable",
        "uploads": "ok" if uploads_are_writable() else "not writable",
    }
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "degraded", **checks), 200 if healthy else 503
