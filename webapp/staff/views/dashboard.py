from flask import render_template

from webapp.staff import bp
from webapp.staff.access import requires_role


@bp.route("/")
@requires_role()
def dashboard():
    return render_template("staff/dashboard.html")
