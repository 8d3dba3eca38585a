from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.common.forms import BaseForm, BBoxField, choices_of, date_filter
from webapp.common.validators import Choose, Length, Required
from webapp.staff.roles import ROLE_LABELS


class LoginForm(BaseForm):
    username = StringField(
        _l("User name"),
        validators=[Required(thing=_l("your user name")), Length(thing=_l("User name"), max=40)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[Required(thing=_l("your password")), Length(thing=_l("Password"), max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmPasswordForm(BaseForm):
    password = PasswordField(
        _l("Your password"),
        validators=[Required(thing=_l("your password")), Length(thing=_l("Password"), max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices():
    return choices_of((role.value, str(label)) for role, label in ROLE_LABELS.items())


class RolesForm(BaseForm):
    roles = MultiCheckboxField(_l("Roles"), validators=[Choose(thing=_l("at least one role"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = _role_choices()


class NewPasswordMixin:
    new_password = PasswordField(
        _l("New password"),
        validators=[Required(thing=_l("a new password")), Length(thing=_l("Password"), max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class AccountForm(RolesForm):
    username = StringField(
        _l("User name"),
        validators=[
            Required(thing=_l("a user name")),
            Length(thing=_l("User name"), max=40),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("A user name may use only letters, digits, dots, dashes and _."),
            ),
        ],
        render_kw={"autocomplete": "off"},
    )
    display_name = StringField(
        _l("Name shown to colleagues"), validators=[Length(thing=_l("Name"), max=80)]
    )
    new_password = NewPasswordMixin.new_password


class ResetPasswordForm(BaseForm):
    new_password = NewPasswordMixin.new_password


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[Required(thing=_l("your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = NewPasswordMixin.new_password
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            Required(thing=_l("the new password again")),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(BaseForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Required(thing=_l("the 6-digit code")), Length(thing=_l("Code"), max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ResponseTemplateForm(BaseForm):
    """A template names a kind and one of its workflow's states, chosen from a list."""

    applies_to = SelectField(
        _l("Kind and state"), validators=[Choose(thing=_l("the state the reply is for"))]
    )
    title = StringField(
        _l("Title"),
        validators=[Required(thing=_l("a title")), Length(thing=_l("Title"), max=80)],
    )
    body_zh = TextAreaField(
        _l("Message in Chinese"),
        validators=[
            Required(thing=_l("the message in Chinese")),
            Length(thing=_l("Message"), max=2000),
        ],
    )
    body_en = TextAreaField(
        _l("Message in English"),
        validators=[
            Required(thing=_l("the message in English")),
            Length(thing=_l("Message"), max=2000),
        ],
    )

    def __init__(self, *args, states: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.applies_to.choices = choices_of(states, blank=_l("Choose…"))


class BulkForm(BaseForm):
    """The inbox's bulk actions; the selected rows come as `row` values (`type:id`)."""

    action = SelectField(
        _l("Action"),
        choices=choices_of(
            {
                "assign_me": _l("Assign to me"),
                "unassign": _l("Unassign"),
                "state": _l("Move to state"),
            }
        ),
    )
    target_state = SelectField(_l("New state"), validate_choice=False)
    message = TextAreaField(
        _l("Public message"), validators=[Length(thing=_l("Public message"), max=2000)]
    )


class QueryForm(BaseForm):
    """A GET filter form: no CSRF token (it changes nothing), values from the query string."""

    class Meta:
        csrf = False

    def valid_data(self, name: str):
        """The field's value, or None when it is in error: the other filters still apply."""
        field = self[name]
        return None if field.errors else field.data


class AuditFilterForm(QueryForm):
    actor = StringField(_l("User name"), validators=[Length(thing=_l("User name"), max=80)])
    action = SelectField(_l("Action"), validate_choice=False)
    date_from = date_filter(_l("From date"))
    date_to = date_filter(_l("To date"), after="date_from")

    def __init__(self, *args, actions, **kwargs):
        """`actions` are (code, name) pairs: the name is what the officer reads."""
        super().__init__(*args, **kwargs)
        self.action.choices = choices_of(actions, blank=_l("Any action"))


class InboxFilterForm(QueryForm):
    type = SelectField(_l("Kind"), validate_choice=False)
    state = SelectField(_l("State"), validate_choice=False)
    category = SelectField(_l("Category"), validate_choice=False)
    date_from = date_filter(_l("Received from"))
    date_to = date_filter(_l("Received until"), after="date_from")
    q = StringField(_l("Reference, phone or name"), validators=[Length(thing=_l("Search"), max=60)])
    mine = BooleanField(_l("Assigned to me"))
    unassigned = BooleanField(_l("Unassigned"))
    overdue = BooleanField(_l("Overdue"))
    bbox = BBoxField(_l("Map area (west,south,east,north)"))
    sort = SelectField(
        _l("Order"),
        choices=choices_of({"oldest": _l("Oldest first"), "newest": _l("Newest first")}),
        validate_choice=False,
    )

    def __init__(self, *args, types, states, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = choices_of(types, blank=_l("All kinds"))
        self.state.choices = [
            SelectChoice("", _l("Open")),
            SelectChoice("all", _l("Any state")),
            *choices_of(states),
        ]
        self.category.choices = choices_of(categories, blank=_l("All categories"))


class ReportYearForm(QueryForm):
    """The year of the annual report: from the first year with figures to this one."""

    year = StringField(_l("Year"))

    def __init__(self, *args, first: int, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.last = first, last

    def validate_year(self, field):
        raw = field.data or ""
        if not raw:
            return
        # Four digits at most before int(): a huge number is refused, not converted.
        readable = raw.isascii() and raw.isdigit() and len(raw) <= 4
        if not readable or not self.first <= int(raw) <= self.last:
            raise ValidationError(
                _l("Choose a year from %(first)d to %(last)d.", first=self.first, last=self.last)
            )

    def chosen_year(self) -> int:
        """The year asked for, or this year when none (or a wrong one) was."""
        data = self.valid_data("year")
        return int(data) if data else self.last
