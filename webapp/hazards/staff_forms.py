"""The hazard officer's forms: queue filters, state change, note, assignment, privacy."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional, Regexp

from webapp.common.forms import BaseForm, BBoxField, choices_of, date_filter
from webapp.common.validators import Length, Required
from webapp.hazards.categories import category_choices
from webapp.hazards.models import HazardReport
from webapp.hazards.states import state_choices
from webapp.staff.inbox import ALL_STATES, InboxFilters


class QueueFilterForm(BaseForm):
    class Meta:
        csrf = False

    state = SelectField(_l("Status"), validators=[Optional()])
    category = SelectField(_l("Kind of hazard"), validators=[Optional()])
    date_from = date_filter(_l("Received from"))
    date_to = date_filter(_l("Received until"), after="date_from")
    mine = BooleanField(_l("Assigned to me"))
    q = StringField(_l("Reference or phone number"), validators=[Optional()])
    bbox = BBoxField(_l("Map area (west,south,east,north)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = choices_of(state_choices(), blank=_l("All"))
        self.category.choices = choices_of(category_choices(), blank=_l("All"))

    def filters(self) -> InboxFilters:
        """The inbox's filters for what this form asks, newest first; a field in error is left out.

        The queue's "All" states (an empty state) is the inbox's ALL_STATES.
        """
        self.validate()

        def valid(field):
            return None if field.errors else field.data

        return InboxFilters(
            type=HazardReport.SUBJECT_TYPE,
            state=valid(self.state) or ALL_STATES,
            category=valid(self.category) or "",
            date_from=valid(self.date_from),
            date_to=valid(self.date_to),
            mine=bool(self.mine.data),
            q=self.q.data or "",
            newest_first=True,
            bbox=valid(self.bbox),
        )


class StateChangeForm(BaseForm):
    to_state = HiddenField()
    public_message = TextAreaField(
        _l("Public message"), validators=[Length(thing=_l("The public message"), max=2000)]
    )
    responsible_party = StringField(
        _l("Agency or company responsible"),
        validators=[Length(thing=_l("The agency or company"), max=200)],
    )
    finding = TextAreaField(
        _l("Finding (for the referral letter)"),
        validators=[Length(thing=_l("The finding"), max=2000)],
    )
    rectification_request = TextAreaField(
        _l("Requested rectification (for the referral letter)"),
        validators=[Length(thing=_l("The requested rectification"), max=2000)],
    )
    duplicate_of = StringField(_l("Reference of the original report"))


class NoteForm(BaseForm):
    body = TextAreaField(
        _l("Internal note"),
        validators=[
            Required(thing=_l("the note")),
            Length(thing=_l("The note"), max=2000),
        ],
    )


class AssignForm(BaseForm):
    assignee = SelectField(_l("Assigned officer"), validators=[Optional()])

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.choices = choices_of(
            ((str(user.id), user.name) for user in officers), blank=_l("Nobody")
        )


class PrivacyForm(BaseForm):
    private = HiddenField()


class LetterForm(BaseForm):
    """What the officer decides for a referral letter: the deadline and who to contact."""

    deadline_days = IntegerField(
        _l("Working days to fix it"),
        validators=[
            Required(thing=_l("the number of working days")),
            NumberRange(
                min=1, max=120, message=_l("Enter a number of working days from 1 to 120.")
            ),
        ],
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[Required(thing=_l("the contact person")), Length(thing=_l("The name"), max=40)],
    )
    contact_unit = StringField(
        _l("Contact's unit"),
        validators=[Required(thing=_l("the contact's unit")), Length(thing=_l("The unit"), max=80)],
    )
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[
            Required(thing=_l("the contact phone")),
            Regexp(
                r"^[0-9][0-9 -]{2,19}$",
                message=_l("Enter a phone number of digits, e.g. 0353-1234567 or 13800138000."),
            ),
        ],
    )
