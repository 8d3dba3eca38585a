"""The resident's forms: the danger question, the report, "I see this too", reopening,
finding a report, following it."""

import math
import secrets
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Regexp, StopValidation, ValidationError

from webapp.common.forms import BaseForm, choices_of
from webapp.common.validators import Choose, Length, MobileNumber, Required
from webapp.hazards.categories import category_choices
from webapp.hazards.geo import inside
from webapp.hazards.photos import MAX_PHOTOS
from webapp.hazards.services import outside_area_message


class Coordinate:
    """An optional decimal number of degrees within a range; the field keeps a float."""

    def __init__(self, *, low: float, high: float, thing):
        self.low, self.high, self.thing = low, high, thing

    def __call__(self, form, field):
        if field.data in (None, ""):
            field.data = None
            return
        try:
            value = float(str(field.data).replace(",", "."))
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or not self.low <= value <= self.high:
            raise StopValidation(
                _l(
                    "%(thing)s is a number of degrees between %(low)d and %(high)d, e.g. 37.86.",
                    thing=self.thing,
                    low=self.low,
                    high=self.high,
                )
            )
        field.data = value


class Agreed:
    """A consent box that must be ticked; the message says why."""

    field_flags = {"required": True}

    def __init__(self, message=None):
        self.message = message or _l(
            "Tick the box to agree: without it we cannot handle your report."
        )

    def __call__(self, form, field):
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


class DangerCheckForm(BaseForm):
    """Asked first, by GET: an emergency is for 122 and 110, not for this form."""

    class Meta:
        csrf = False

    danger = RadioField(
        _l("Is someone in danger right now, or is the road blocked?"),
        choices=choices_of(
            {"yes": _l("Yes: an accident, an injury or a blocked road now"), "no": _l("No")}
        ),
        validators=[Choose(thing=_l("an answer"))],
    )


class HazardReportForm(BaseForm):
    category = RadioField(
        _l("What kind of hazard is it?"), validators=[Choose(thing=_l("the kind of hazard"))]
    )
    location = StringField(
        _l("Road or intersection"),
        validators=[
            Required(thing=_l("the road or intersection")),
            Length(thing=_l("The location"), min=4, max=200),
        ],
    )
    latitude = StringField(
        _l("Latitude"), validators=[Coordinate(low=-90, high=90, thing=_l("A latitude"))]
    )
    longitude = StringField(
        _l("Longitude"), validators=[Coordinate(low=-180, high=180, thing=_l("A longitude"))]
    )
    description = TextAreaField(
        _l("What is wrong?"),
        validators=[
            Required(thing=_l("a description of the hazard")),
            Length(thing=_l("The description"), min=10, max=2000),
        ],
    )
    photos = MultipleFileField(_l("Photos"))
    reporter_name = StringField(_l("Your name"), validators=[Length(thing=_l("Your name"), max=80)])
    reporter_phone = StringField(_l("Your mobile number"), validators=[MobileNumber()])
    consent = BooleanField(
        _l(
            "I agree that the brigade stores this report and my contact details to handle it. My name and number are never shown publicly."
        ),
        validators=[Agreed()],
    )
    form_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices_of(category_choices())
        if not self.form_token.data:
            self.form_token.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.latitude.errors or self.longitude.errors:
            return valid
        problem = self._coordinates_problem()
        if problem:
            self.latitude.errors = [*self.latitude.errors, problem]
            return False
        return valid

    def _coordinates_problem(self):
        latitude, longitude = self.latitude.data, self.longitude.data
        if (latitude is None) != (longitude is None):
            return _l("Give both the latitude and the longitude, or neither.")
        if latitude is not None and not inside(
            current_app.config["AREA_BOUNDS"], latitude, longitude
        ):
            return outside_area_message()
        return None

    def validate_photos(self, field):
        files = [f for f in (field.data or []) if getattr(f, "filename", "")]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_l("Send at most 3 photos."))
        field.data = files

    def validate_form_token(self, field):
        if field.data and len(field.data) > 64:
            field.data = ""

    def coordinates(self) -> tuple[float, float] | None:
        if self.latitude.data is None or self.longitude.data is None:
            return None
        if self.latitude.errors or self.longitude.errors:
            return None
        return self.latitude.data, self.longitude.data


class FindForm(BaseForm):
    """The box that opens a report by its reference (a GET: it changes nothing)."""

    class Meta:
        csrf = False

    reference = StringField(
        _l("Report reference"),
        validators=[
            Required(thing=_l("the report reference")),
            Length(thing=_l("The reference"), max=40),
        ],
    )


class ConfirmForm(BaseForm):
    """The "I see this too" button."""


class ReopenForm(BaseForm):
    reference = StringField(
        _l("Report reference"), validators=[Required(thing=_l("the report reference"))]
    )
    reporter_phone = StringField(
        _l("The mobile number you gave"),
        validators=[Required(thing=_l("the mobile number you gave")), MobileNumber()],
    )
    message = TextAreaField(
        _l("What is still wrong?"),
        validators=[
            Required(thing=_l("what is still wrong")),
            Length(thing=_l("The message"), min=5, max=1000),
        ],
    )


class FollowForm(BaseForm):
    """Follow a report: a mobile number and the consent to keep it for the texts."""

    phone = StringField(
        _l("Your mobile number"),
        validators=[Required(thing=_l("your mobile number")), MobileNumber()],
    )
    consent = BooleanField(
        _l(
            "I agree that the brigade keeps this number to text me when this report changes, until I stop the texts or the report has been finished for a year. It is never shown publicly."
        ),
        validators=[Agreed(_l("Tick the box to agree: without it we cannot text you."))],
    )


def _without_spaces(value):
    """A code as typed, full-width digits folded and spaces taken out."""
    if not isinstance(value, str):
        return value
    return "".join(unicodedata.normalize("NFKC", value).split())


class FollowCodeForm(BaseForm):
    """The code sent to the number, to confirm it."""

    code = StringField(
        _l("The code in the text message"),
        filters=[_without_spaces],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
        validators=[
            Required(thing=_l("the code in the text message")),
            Regexp(r"^[0-9]{6}$", message=_l("The code has 6 digits.")),
        ],
    )


class StopTextsForm(BaseForm):
    """The button of a stop link: a GET shows it, only the POST stops the texts."""
