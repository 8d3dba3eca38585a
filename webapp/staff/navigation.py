"""The back office's menu, in one place: each entry shows when its view exists and
the user holds one of the roles that view itself requires (`requires_role`)."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

STAFF_NAV_ITEMS = (
    ("staff.inbox", _l("Inbox")),
    ("staff.dashboard", _l("Dashboard")),
    ("staff.annual_report", _l("Annual report")),
    ("hazards_staff.queue", _l("Hazard reports")),
    ("appointments_staff.calendar", _l("Sessions")),
    ("training_staff.queue_list", _l("Training requests")),
    ("staff.account_list", _l("Accounts")),
    ("staff.audit_log", _l("Audit log")),
    ("staff.response_list", _l("Response templates")),
    ("notifications_staff.outbox", _l("Outbox")),
    ("open311_staff.key_list", _l("Open311 API keys")),
    ("staff.change_password", _l("My password")),
    ("staff.totp_enrol", _l("Two-factor login")),
)


def _allowed(user, endpoint: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    roles = getattr(view, "required_roles", frozenset())
    return not roles or user.has_any_role(roles)


def staff_nav_items() -> list[tuple[str, str, bool]]:
    """(url, label, is current page) for each menu entry this user may open."""
    if not current_user.is_authenticated:
        return []
    return [
        (url_for(endpoint), str(label), request.endpoint == endpoint)
        for endpoint, label in STAFF_NAV_ITEMS
        if _allowed(current_user, endpoint)
    ]
