"""WTForms validators that carry their own user message.

`Required(thing=_l("the location"))` reads naturally in both languages.
"""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from webapp.common import identifiers


class Required:
    """The field must have a value; the message names the thing."""

    field_flags = {"required": True}

    def __init__(self, *, thing):
        self.thing = thing

    def __call__(self, form, field):
        data = field.data
        empty = data is None or data == "" or data == [] or data is False
        if empty:
            field.errors[:] = []
            raise StopValidation(_l("Enter %(thing)s.", thing=self.thing))


class Choose:
    """A choice field must have one of its options picked."""

    field_flags = {"required": True}

    def __init__(self, *, thing):
        self.thing = thing

    def __call__(self, form, field):
        if not field.data:
            field.errors[:] = []
            raise StopValidation(_l("Choose %(thing)s.", thing=self.thing))


class Length:
    """Text length between min and max characters, said in those words."""

    def __init__(self, *, thing, min: int = 0, max: int | None = None):  # noqa: A002
        self.thing, self.min, self.max = thing, min, max

    def __call__(self, form, field):
        length = len(field.data or "")
        if length < self.min:
            raise ValidationError(
                _l(
                    "%(thing)s must be at least %(min)d characters long.",
                    thing=self.thing,
                    min=self.min,
                )
            )
        if self.max is not None and length > self.max:
            raise ValidationError(
                _l(
                    "%(thing)s must be at most %(max)d characters long; it has %(length)d.",
                    thing=self.thing,
                    max=self.max,
                    length=length,
                )
            )


class _Identifier:
    """Normalise the field's data with a pure function, or show its message."""

    normalise = None

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = type(self).normalise(field.data)
        except identifiers.InvalidIdentifier as error:
            raise ValidationError(error.message) from None


class MobileNumber(_Identifier):
    normalise = staticmethod(identifiers.normalise_mobile)


class CreditCode(_Identifier):
    normalise = staticmethod(identifiers.normalise_credit_code)


class IdNumber:
    """A valid resident ID number; the field keeps the upper-cased number."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = identifiers.parse_id_number(field.data).number
        except identifiers.InvalidIdentifier as error:
            raise ValidationError(error.message) from None


# The dates the portal holds or plans for. Nothing is older (the portal began in
# 2020), and dates at the ends of the calendar overflow when a day is added or Beijing
# midnight is turned into UTC: every date a user types is kept inside these.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
DATE_MESSAGE = _l("Enter the date as year-month-day, e.g. 2026-05-18.")


def is_portal_date(day: date) -> bool:
    return FIRST_DATE <= day <= LAST_DATE


class Readable:
    """A date or time that was typed but could not be read gets a message, not WTForms' own."""

    def __init__(self, *, message=DATE_MESSAGE):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and field.raw_data and field.raw_data[0]:
            field.errors[:] = []
            raise StopValidation(self.message)


class PortalDate:
    """The date lies between FIRST_DATE and LAST_DATE."""

    def __call__(self, form, field):
        if field.data is not None and not is_portal_date(field.data):
            raise StopValidation(
                _l(
                    "Enter a date from %(first)s to %(last)s.",
                    first=FIRST_DATE.isoformat(),
                    last=LAST_DATE.isoformat(),
                )
            )


class NotBefore:
    """The end of a date range is not before its start (the field named `start`)."""

    def __init__(self, start: str):
        self.start = start

    def __call__(self, form, field):
        start = form[self.start]
        if field.data and start.data and not start.errors and field.data < start.data:
            raise ValidationError(_l("The end of the date range must not be before its start."))


# A deliberately plain address check (no extra dependency): one @, a sensible
# local part, and a domain of dot-separated labels ending in a letters-only TLD.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def is_email_address(text: str) -> bool:
    return len(text) <= 120 and len(text.partition("@")[0]) <= 64 and bool(_EMAIL.match(text))


class EmailAddress:
    def __call__(self, form, field):
        if field.data and not is_email_address(field.data):
            raise ValidationError(
                _l("Enter an e-mail address in the form name@example.com, or leave it empty.")
            )
