"""Each service's rules in one place: its fields, minimum age, renewal window, what to bring.

SPEC.md §3; the annual report counts motorcycle licences, renewals and review education.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from webapp.appointments.errors import AppointmentError
from webapp.common.identifiers import parse_id_number

RENEWAL_WINDOW_DAYS = 90
RETAKE_WAIT_DAYS = 10

SUBJECT_LABELS = {
    1: _l("Subject 1 (theory)"),
    2: _l("Subject 2 (field skills)"),
    3: _l("Subject 3 (road)"),
    4: _l("Subject 4 (safe driving knowledge)"),
}
LICENCE_CLASS_LABELS = {
    "D": _l("D (three-wheel motorcycle)"),
    "E": _l("E (two-wheel motorcycle)"),
    "F": _l("F (moped)"),
    "A1": _l("A1 (large bus)"),
    "A2": _l("A2 (tractor-trailer)"),
    "A3": _l("A3 (city bus)"),
    "B1": _l("B1 (medium bus)"),
    "B2": _l("B2 (large truck)"),
}


class RuleBroken(AppointmentError):
    """A service rule refuses the applicant; `field` names the form field to mark."""

    def __init__(self, field_name: str, message):
        super().__init__(message, field=field_name)


@dataclass(frozen=True)
class ServiceRule:
    code: str
    label: object
    description: object
    fields: tuple[str, ...]
    what_to_bring: tuple = ()
    licence_classes: tuple[str, ...] = ()
    min_age: int | None = None
    is_exam: bool = False
    expired_notice: object = None
    notices: tuple = field(default=())

    def check(
        self,
        *,
        id_number: str,
        session_day: date,
        licence_class: str | None,
        licence_expiry: date | None,
    ) -> list:
        """Check the applicant against this service's rules on the session's day; return
        notices to show.

        Raises RuleBroken naming the field at fault. The rules that need the
        database (the wait after a failed attempt, one active booking) are in
        `eligibility`, which calls this.
        """
        notices = []
        if "licence_class" in self.fields and licence_class not in self.licence_classes:
            raise RuleBroken(
                "licence_class",
                _l(
                    "This service is only for licence classes %(classes)s.",
                    classes="/".join(self.licence_classes),
                ),
            )
        if self.min_age is not None:
            age = parse_id_number(id_number, today=session_day).age_on(session_day)
            if age < self.min_age:
                raise RuleBroken(
                    "id_number",
                    _l(
                        "You must be at least %(age)d years old on the day of the session.",
                        age=self.min_age,
                    ),
                )
        if "licence_expiry" in self.fields and licence_expiry is not None:
            if licence_expiry - session_day > timedelta(days=RENEWAL_WINDOW_DAYS):
                raise RuleBroken(
                    "licence_expiry",
                    _l(
                        "A licence can be renewed from %(days)d days before it expires; book a session from %(day)s.",
                        days=RENEWAL_WINDOW_DAYS,
                        day=(licence_expiry - timedelta(days=RENEWAL_WINDOW_DAYS)).isoformat(),
                    ),
                )
            if licence_expiry < session_day and self.expired_notice:
                notices.append(self.expired_notice)
        return notices


SERVICES: dict[str, ServiceRule] = {
    rule.code: rule
    for rule in (
        ServiceRule(
            code="motorcycle_exam",
            label=_l("Motorcycle driving exam"),
            description=_l("Subjects 1 to 4 for licence classes D, E and F."),
            fields=("subject", "licence_class"),
            licence_classes=("D", "E", "F"),
            min_age=18,
            is_exam=True,
            what_to_bring=(
                _l("Your resident ID card"),
                _l("A helmet for subjects 2 and 3"),
            ),
        ),
        ServiceRule(
            code="licence_renewal",
            label=_l("Licence renewal"),
            description=_l("Renew your driving licence at the service hall."),
            fields=("licence_expiry",),
            what_to_bring=(
                _l("Your resident ID card"),
                _l("Your driving licence"),
                _l("A health certificate from a designated hospital"),
            ),
            expired_notice=_l(
                "Your licence has already expired: bring a recent health certificate and be ready to explain why it was not renewed in time."
            ),
        ),
        ServiceRule(
            code="review_education",
            label=_l("Review education"),
            description=_l("For drivers of large vehicles (classes A1, A2, A3, B1, B2)."),
            fields=("licence_class",),
            licence_classes=("A1", "A2", "A3", "B1", "B2"),
            what_to_bring=(
                _l("Your resident ID card"),
                _l("Your driving licence"),
            ),
        ),
    )
}


def service_rule(code: str) -> ServiceRule | None:
    return SERVICES.get(code)


def service_label(code: str) -> str:
    rule = SERVICES.get(code)
    return str(rule.label) if rule else code
