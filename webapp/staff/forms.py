from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField

from webapp.common.forms import BaseForm
from webapp.common.validators import Length, Required


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
