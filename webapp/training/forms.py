"""The public forms: a company's training request and the look-up."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.common.clock import local_today
from webapp.common.forms import BaseForm, choices_of
from webapp.common.validators import (
    Choose,
    CreditCode,
    EmailAddress,
    Length,
    MobileNumber,
    Required,
)
from webapp.training.vocabulary import INDUSTRIES, ON_SITE, TOPICS, VENUES

MIN_DAYS_AHEAD = 7  # SPEC.md §4: preferred dates at least a week ahead
MAX_DAYS_AHEAD = 183  # about six months
MAX_PREFERRED_DATES = 3
MAX_AUDIENCE = 2000


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DateListField(Field):
    """Several values under one name (`preferred_dates=...&preferred_dates=...`).

    `data` holds the parsed dates; `entries` keeps what was typed, to show it again.
    """

    def __init__(self, label=None, validators=None, *, slots: int, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.slots = slots
        self.entries: list[str] = []
        self.unreadable: list[str] = []

    def process_formdata(self, valuelist):
        self.entries = [value.strip() for value in valuelist]
        self.data = []
        for value in filter(None, self.entries):
            try:
                self.data.append(date.fromisoformat(value))
            except ValueError:
                self.unreadable.append(value)

    def _value(self):
        return ""

    def slot_values(self) -> list[str]:
        values = self.entries or [day.isoformat() for day in self.data or []]
        return (values + [""] * self.slots)[: max(self.slots, len(values))]


class WholeNumber:
    """A whole number between two bounds, with a message naming the thing."""

    field_flags = {"required": True}

    def __init__(self, *, thing, min: int, max: int):  # noqa: A002
        self.thing, self.min, self.max = thing, min, max

    def __call__(self, form, field):
        if field.data is None or not (self.min <= field.data <= self.max):
            field.errors[:] = []
            raise ValidationError(
                _l(
                    "Enter %(thing)s as a whole number from %(min)d to %(max)d.",
                    thing=self.thing,
                    min=self.min,
                    max=self.max,
                )
            )


class TrainingRequestForm(BaseForm):
    company_name = StringField(
        _l("Company name"),
        validators=[
            Required(thing=_l("the company's name")),
            Length(thing=_l("The company name"), min=2, max=100),
        ],
        render_kw={"autocomplete": "organization"},
    )
    credit_code = StringField(
        _l("Unified social credit code"),
        validators=[Required(thing=_l("the unified social credit code")), CreditCode()],
        render_kw={"autocapitalize": "characters", "spellcheck": "false", "maxlength": 24},
    )
    industry = SelectField(
        _l("Industry"),
        choices=choices_of(INDUSTRIES, blank=_l("Choose the industry")),
        validators=[Choose(thing=_l("the industry"))],
        invalid_choice_message=_l("Choose the industry from the list."),
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[
            Required(thing=_l("the contact person's name")),
            Length(thing=_l("The contact person's name"), max=50),
        ],
        render_kw={"autocomplete": "name"},
    )
    contact_phone = StringField(
        _l("Contact mobile number"),
        validators=[Required(thing=_l("a mobile number")), MobileNumber()],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    contact_email = StringField(
        _l("E-mail address"),
        validators=[EmailAddress()],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )
    audience_size = IntegerField(
        _l("Number of people to train"),
        validators=[WholeNumber(thing=_l("the number of people"), min=1, max=MAX_AUDIENCE)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_AUDIENCE},
    )
    topics = MultiCheckboxField(
        _l("Topics"),
        choices=choices_of(TOPICS),
        validators=[Choose(thing=_l("at least one topic"))],
        invalid_choice_message=_l("Choose topics from the list."),
    )
    preferred_dates = DateListField(_l("Preferred dates"), slots=MAX_PREFERRED_DATES)
    venue = RadioField(
        _l("Where should the training take place?"),
        choices=choices_of(VENUES),
        validators=[Choose(thing=_l("where the training takes place"))],
        invalid_choice_message=_l("Choose where the training takes place from the list."),
    )
    address = StringField(
        _l("Address of the training room"),
        validators=[Length(thing=_l("The address"), max=200)],
        render_kw={"autocomplete": "street-address"},
    )
    notes = TextAreaField(
        _l("Anything else we should know"),
        validators=[Length(thing=_l("The notes"), max=1000)],
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or local_today()

    def validate_address(self, field):
        if self.venue.data == ON_SITE and not field.data:
            raise ValidationError(_l("Enter the address where the training will take place."))

    def validate_preferred_dates(self, field):
        """One to three distinct dates, each a week to six months ahead (SPEC.md §4)."""
        problem = preferred_dates_problem(field.data, field.unreadable, today=self.today)
        if problem:
            raise ValidationError(problem)


def preferred_dates_problem(days: list[date], unreadable: list[str], *, today: date):
    if unreadable:
        return _l("Enter each date as year-month-day, e.g. 2026-05-18.")
    if not days:
        return _l("Enter at least one preferred date.")
    if len(days) > MAX_PREFERRED_DATES:
        return _l("Enter at most %(count)d preferred dates.", count=MAX_PREFERRED_DATES)
    if len(set(days)) != len(days):
        return _l("Enter each preferred date only once.")
    earliest = today + timedelta(days=MIN_DAYS_AHEAD)
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if min(days) < earliest:
        return _l(
            "Each preferred date must be at least %(days)d days from today.", days=MIN_DAYS_AHEAD
        )
    if max(days) > latest:
        return _l("Each preferred date must be within six months from today.")
    return None


class LookupForm(BaseForm):
    reference = StringField(
        _l("Reference"),
        validators=[Required(thing=_l("the reference")), Length(thing=_l("The reference"), max=30)],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    credit_code = StringField(
        _l("Unified social credit code"),
        validators=[
            Required(thing=_l("the unified social credit code")),
            Length(thing=_l("The credit code"), max=30),
        ],
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )


class ActionForm(BaseForm):
    """Only the CSRF token: a button whose subject the session already names."""
