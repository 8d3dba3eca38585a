"""WTForms validators that carry their own user message.

`Required(thing=_l("the location"))` reads naturally in both languages.
"""

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
