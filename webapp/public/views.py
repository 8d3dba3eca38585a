from flask import jsonify, render_template

from webapp.education.services import home_page_sections
from webapp.i18n import current_language
from webapp.page_cache import cached_page
from webapp.public import bp
from webapp.public.services import database_is_reachable


@bp.route("/")
@cached_page
def home():
    return render_template("public/home.html", **home_page_sections(current_language()))


@bp.route("/healthz")
def healthz():
    if database_is_reachable():
        return jsonify(status="ok", database="ok")
    return jsonify(status="degraded", database="unavailable"), 503
