from flask import jsonify, render_template

from webapp.public import bp
from webapp.public.services import database_is_reachable


@bp.route("/")
def home():
    return render_template("public/home.html")


@bp.route("/healthz")
def healthz():
    if database_is_reachable():
        return jsonify(status="ok", database="ok")
    return jsonify(status="degraded", database="unavailable"), 503
