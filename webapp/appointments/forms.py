"""Forms of the applicant's pages and of the back office."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from webapp.appointments.rules import LICENCE_CLASS_LABELS, SERVICES, SUBJECT_LABELS, ServiceRule
from webapp.common.forms import BaseForm
from webapp.common.validators import Choose, IdNumber, Length, MobileNumber, PortalDate, Required


class BookingForm(BaseForm):
    """The booking form; the service's own fields stay, the others are removed."""

    session_id = RadioField(
        _l("Session"), coerce=int, validators=[Choose(thing=_l("a session"))], validate_choice=False
    )
    full_name = StringField(
        _l("Full name"),
        validators=[
            Required(thing=_l("your full name")),
            Length(thing=_l("Your name"), min=2, max=30),
        ],
    )
    id_number = StringField(
        _l("Resident ID number"), validators=[Required(thing=_l("your ID number")), IdNumber()]
    )
    phone = StringField(
        _l("Mobile number"), validators=[Required(thing=_l("your mobile number")), MobileNumber()]
    )
    subject = RadioField(
        _l("Exam subject"),
        coerce=int,
        choices=[SelectChoice(number, label) for number, label in SUBJECT_LABELS.items()],
        validators=[Choose(thing=_l("the exam subject"))],
    )
    # A class the service does not take is refused by its rule (`eligibility`), as on every path.
    licence_class = RadioField(
        _l("Licence class"),
        validators=[Choose(thing=_l("the licence class"))],
        validate_choice=False,
    )
    licence_expiry = DateField(
        _l("Licence expiry date"),
        validators=[Required(thing=_l("the expiry date of your licence"))],
    )

    def __init__(self, rule: ServiceRule, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "licence_class", "licence_expiry"):
            if name not in rule.fields:
                delattr(self, name)
        if "licence_class" in rule.fields:
            self.licence_class.choices = [
                SelectChoice(code, LICENCE_CLASS_LABELS[code]) for code in rule.licence_classes
            ]

    def chosen_label(self, name: str) -> str:
        """The label of the option picked in a choice field, for the check step."""
        return next((str(c.label) for c in self[name].iter_choices() if c.selected), "")

    def applicant_fields(self) -> dict:
        names = ("full_name", "id_number", "phone", "subject", "licence_class", "licence_expiry")
        return {name: self[name].data for name in names if name in self}


class LookupForm(BaseForm):
    reference = StringField(
        _l("Booking reference"), validators=[Required(thing=_l("the booking reference"))]
    )
    id_number = StringField(
        _l("Resident ID number"), validators=[Required(thing=_l("your ID number"))]
    )


class MoveForm(BaseForm):
    session_id = RadioField(
        _l("New session"),
        coerce=int,
        validators=[Choose(thing=_l("a session"))],
        validate_choice=False,
    )


# --- Back office ------------------------------------------------------------


class SessionForm(BaseForm):
    service = SelectField(_l("Service"), validators=[Choose(thing=_l("the service"))])
    day = DateField(_l("Date"), validators=[Required(thing=_l("the date")), PortalDate()])
    starts_at = TimeField(_l("Start time"), validators=[Required(thing=_l("the start time"))])
    ends_at = TimeField(_l("End time"), validators=[Required(thing=_l("the end time"))])
    place = StringField(
        _l("Place"),
        validators=[Required(thing=_l("the place")), Length(thing=_l("The place"), max=120)],
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            Required(thing=_l("the number of seats")),
            NumberRange(min=1, max=500, message=_l("Enter a number of seats from 1 to 500.")),
        ],
    )
    weekly_until = DateField(_l("Repeat weekly until"), validators=[Optional(), PortalDate()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(code, rule.label) for code, rule in SERVICES.items()
        ]

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end time must be after the start time."))

    def validate_weekly_until(self, field):
        if field.data and self.day.data and field.data < self.day.data:
            raise ValidationError(
                _l("The last date of the series must be on or after the first date.")
            )


class CapacityForm(BaseForm):
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            Required(thing=_l("the number of seats")),
            NumberRange(min=1, max=500, message=_l("Enter a number of seats from 1 to 500.")),
        ],
    )


class CancelSessionForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[
            Required(thing=_l("the reason for cancelling")),
            Length(thing=_l("Reason"), max=200),
        ],
    )


class ResultForm(BaseForm):
    result = HiddenField()


class CorrectionForm(BaseForm):
    outcome = SelectField(
        _l("Correct outcome"), validators=[Choose(thing=_l("the correct outcome"))]
    )
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[
            Required(thing=_l("the reason for the correction")),
            Length(thing=_l("The reason"), max=500),
        ],
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(code, label) for code, label in choices
        ]


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Reference, mobile number or ID number"))
