"""The back office's forms for partners' API keys."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from webapp.common.forms import BaseForm
from webapp.common.validators import Length, Required


class KeyForm(BaseForm):
    name = StringField(
        _l("Partner"),
        validators=[
            Required(thing=_l("the partner's name")),
            Length(thing=_l("The partner's name"), min=2, max=120),
        ],
    )


class RevokeForm(BaseForm):
    """No fields: the button, and the CSRF token that protects it."""
