from webapp.common.forms import BaseForm


class RetryForm(BaseForm):
    """No fields: the button, and the CSRF token that protects it."""
