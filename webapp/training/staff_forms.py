"""The brigade's forms: queue filters, scheduling, delivery record, decline."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import TimeField
from wtforms.validators import ValidationError

from webapp.common.forms import BaseForm, choices_of, date_filter
from webapp.common.validators import DATE_MESSAGE, Choose, Length, PortalDate, Readable, Required
from webapp.staff.inbox import ALL_STATES, InboxFilters
from webapp.training.forms import WholeNumber
from webapp.training.states import STATE_LABELS
from webapp.training.vocabulary import INDUSTRIES, ON_SITE, VENUES

MAX_ATTENDANCE = 5000


TIME_MESSAGE = _l("Enter the time as hours and minutes, e.g. 14:30.")


class QueueFilterForm(BaseForm):
    """Read from the query string (GET): no CSRF token."""

    class Meta:
        csrf = False

    state = SelectField(
        _l("State"),
        choices=choices_of(STATE_LABELS, blank=_l("All states")),
        validate_choice=False,
    )
    industry = SelectField(
        _l("Industry"),
        choices=choices_of(INDUSTRIES, blank=_l("All industries")),
        validate_choice=False,
    )
    received_from = date_filter(_l("Received from"))
    received_to = date_filter(_l("Received until"), after="received_from")

    def filters(self) -> InboxFilters:
        """The inbox's filters for these fields: any state unless one is chosen, the industry
        as the category; unknown codes and unreadable dates are ignored."""
        return InboxFilters(
            state=self.state.data if self.state.data in STATE_LABELS else ALL_STATES,
            category=self.industry.data if self.industry.data in INDUSTRIES else "",
            date_from=None if self.received_from.errors else self.received_from.data,
            date_to=None if self.received_to.errors else self.received_to.data,
        )


class StartReviewForm(BaseForm):
    """Only the CSRF token."""


class ScheduleForm(BaseForm):
    session_date = DateField(
        _l("Date of the session"),
        validators=[
            Readable(message=DATE_MESSAGE),
            Required(thing=_l("the date of the session")),
            PortalDate(),
        ],
        format="%Y-%m-%d",
    )
    session_time = TimeField(
        _l("Start time"),
        validators=[Readable(message=TIME_MESSAGE), Required(thing=_l("the start time"))],
        format="%H:%M",
    )
    officer = SelectField(_l("Officer giving the training"), validate_choice=False)
    officer_name = StringField(
        _l("Or the name of another speaker"),
        validators=[Length(thing=_l("The speaker's name"), max=80)],
    )
    venue = RadioField(
        _l("Venue"),
        choices=choices_of(VENUES),
        validators=[Choose(thing=_l("the venue"))],
        invalid_choice_message=_l("Choose the venue from the list."),
    )
    address = StringField(
        _l("Address of the training room"),
        validators=[Length(thing=_l("The address"), max=200)],
    )
    public_message = TextAreaField(
        _l("Message to the company"),
        validators=[Length(thing=_l("The message"), max=500)],
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {str(user.id): user for user in officers}
        self.officer.choices = [SelectChoice("", _l("Choose an officer"))] + [
            SelectChoice(key, user.name) for key, user in self.officers.items()
        ]

    def validate_officer(self, field):
        if field.data and field.data not in self.officers:
            raise ValidationError(_l("Choose an officer from the list."))
        if not field.data and not self.officer_name.data:
            raise ValidationError(_l("Choose an officer, or enter the name of another speaker."))

    def validate_address(self, field):
        if self.venue.data == ON_SITE and not field.data:
            raise ValidationError(_l("Enter the address where the training will take place."))

    def chosen_officer(self):
        return self.officers.get(self.officer.data or "")


class DeliveryForm(BaseForm):
    attendance = IntegerField(
        _l("Number of people who attended"),
        validators=[
            WholeNumber(thing=_l("the number of people who attended"), min=1, max=MAX_ATTENDANCE)
        ],
        render_kw={"inputmode": "numeric"},
    )
    notes = TextAreaField(
        _l("Notes on the session"),
        validators=[Length(thing=_l("The notes"), max=2000)],
    )


class NoteForm(BaseForm):
    body = TextAreaField(
        _l("Internal note (never shown to the company)"),
        validators=[Required(thing=_l("the note")), Length(thing=_l("The note"), max=2000)],
    )


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Reason, shown to the company"),
        validators=[
            Required(thing=_l("the reason")),
            Length(thing=_l("The reason"), max=1000),
        ],
    )


def default_session_date(training) -> date | None:
    days = training.preferred_dates
    return days[0] if days else None
