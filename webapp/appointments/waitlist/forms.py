"""The waiting-list forms: join (the booking form's details), answer an offer."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField

from webapp.appointments.forms import BookingForm, LookupForm
from webapp.appointments.rules import ServiceRule
from webapp.common.validators import EmailAddress, Length, NotBefore, Required


class WaitlistForm(BookingForm):
    """The booking form's details, an optional e-mail, and the session or the days wanted."""

    session_id = HiddenField()
    first_day = DateField(
        _l("From"), validators=[Required(thing=_l("the first day you could come"))]
    )
    last_day = DateField(
        _l("Until"),
        validators=[Required(thing=_l("the last day you could come")), NotBefore("first_day")],
    )
    email = StringField(
        _l("E-mail address (optional)"),
        validators=[EmailAddress(), Length(thing=_l("The e-mail address"), max=120)],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )

    def __init__(self, rule: ServiceRule, *args, by_days: bool, **kwargs):
        super().__init__(rule, *args, **kwargs)
        for name in ("session_id",) if by_days else ("first_day", "last_day"):
            delattr(self, name)

    def chosen_session_id(self) -> int | None:
        value = self.session_id.data if "session_id" in self else None
        return int(value) if value and str(value).isdigit() else None


class OfferForm(LookupForm):
    """Reference and ID number: the offer is answered by the person it was made to."""
