"""Back-office screens; every view here is behind the staff guard."""

from webapp.staff import bp
from webapp.staff.access import guard_staff_area

bp.before_request(guard_staff_area)

from webapp.staff.views import (  # noqa: E402, F401
    accounts,
    audit,
    auth,
    dashboard,
    inbox,
    my_account,
    responses,
)
