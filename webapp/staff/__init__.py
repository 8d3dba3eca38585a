"""The back office: accounts, log-in, the unified inbox, dashboard, audit log, responses."""

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__)

from webapp.features import register_feature  # noqa: E402
from webapp.staff import demo, views  # noqa: E402, F401
from webapp.staff.navigation import staff_nav_items  # noqa: E402

bp.add_app_template_global(staff_nav_items)


def register(app: Flask) -> None:
    """Everything this package adds to the app, in one place."""
    register_feature(
        app,
        blueprints=[(bp, "/staff")],
        demo_loaders=[
            (10, "staff accounts", demo.load_demo_staff),
            (15, "response templates", demo.load_demo_response_templates),
        ],
    )
