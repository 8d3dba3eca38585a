"""The base of every form: whitespace stripped, NUL bytes removed; options for choice fields;
the date and map-area fields of filter forms."""

from collections.abc import Iterable, Mapping
from functools import cache

from babel.support import Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import DateField, SelectChoice, StringField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import FileField, HiddenField, MultipleFileField
from wtforms.i18n import messages_path
from wtforms.validators import Optional, StopValidation

from webapp.common.geo import parse_bbox
from webapp.common.validators import NotBefore, PortalDate, Readable


def _clean_text(value):
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


@cache
def wtforms_translations(locale: str) -> Translations:
    """WTForms' own messages in one language, read once per worker.

    (Flask-WTF reads and parses the catalogue again on every request.)
    """
    return Translations.load(messages_path(), [locale], domain="wtforms")


class LazyCSRFTokenField(CSRFTokenField):
    """The CSRF field, its token signed when the form is shown, not whenever it is built.

    A form that is sent, checked and answered with a redirect never shows its
    token, so it no longer signs one: every successful POST saves that work.
    """

    def process(self, *args, **kwargs):
        HiddenField.process(self, *args, **kwargs)

    def _value(self):
        if self.current_token is None:
            self.current_token = self.csrf_impl.generate_csrf_token(self)
        return self.current_token


class LazyTokenCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's CSRF check, with the token field above."""

    field_class = LazyCSRFTokenField


class BaseForm(FlaskForm):
    class Meta:
        csrf_class = LazyTokenCSRF

        def get_translations(self, form):
            return wtforms_translations(str(get_locale()))

        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if _clean_text not in filters:
                filters.insert(0, _clean_text)
            return unbound_field.bind(form=form, filters=filters, **options)

        def wrap_formdata(self, form, formdata):
            """A file sent where text is expected is read as an empty answer."""
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            file_fields = {
                name
                for name, field in form._fields.items()
                if isinstance(field, FileField | MultipleFileField)
            }
            return MultiDict(
                (key, "" if isinstance(value, FileStorage) and key not in file_fields else value)
                for key, value in formdata.items(multi=True)
            )

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary, in field order."""
        return [
            (field.id, message)
            for field in self
            if isinstance(field.errors, list | tuple)
            for message in field.errors
        ]


def choices_of(options: Mapping | Iterable[tuple], *, blank=None) -> list[SelectChoice]:
    """Options for a choice field from {value: label} or (value, label) pairs, in order.

    A `blank` label puts an empty-valued "choose..." option first. Labels are kept as
    given, so a lazy label is translated when the form is rendered.
    """
    pairs = options.items() if isinstance(options, Mapping) else options
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(value, label) for value, label in pairs]


class BBoxField(StringField):
    """A map's view in the URL, `west,south,east,north` (WGS84), read as a BBox or None."""

    def process_formdata(self, valuelist):
        self.typed = (valuelist[0] if valuelist else "").strip()
        self.data = parse_bbox(self.typed) if self.typed else None

    def pre_validate(self, form):
        if getattr(self, "typed", "") and self.data is None:
            raise StopValidation(_l("Give the map area as four numbers: west,south,east,north."))

    def _value(self) -> str:
        return getattr(self, "typed", "") or (str(self.data) if self.data else "")


def date_filter(label, *, after: str | None = None) -> DateField:
    """An optional date of a filter form, year-month-day, between the portal's dates.

    An unreadable, impossible or far-off date is answered on the form; `after` names
    the field holding the start of the range, which this date must not precede.
    """
    validators = [Optional(), Readable(), PortalDate()]
    if after:
        validators.append(NotBefore(after))
    return DateField(label, validators=validators, format="%Y-%m-%d")
