"""Staff roles and what each may open (SPEC.md §5)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ADMIN = "admin"
    HAZARD_OFFICER = "hazard_officer"
    BOOKING_CLERK = "booking_clerk"
    EDUCATION_OFFICER = "education_officer"


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.HAZARD_OFFICER: _l("Hazard officer"),
    Role.BOOKING_CLERK: _l("Booking clerk"),
    Role.EDUCATION_OFFICER: _l("Education officer"),
}
ROLE_VALUES = frozenset(role.value for role in Role)
