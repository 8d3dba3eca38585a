"""One way to confirm an irreversible act, working without JavaScript (issue 18).

The first request of such an act (a button's POST, or a GET) changes nothing: the
view shows a confirmation page that says what will happen and to how many, asks for
anything more it needs (a reason), and posts the same data again with
`confirmed=1`. Only that second POST acts; the view asks `is_confirmed()`.
The page is `components/confirmation.html`; its form is the `confirm_form` macro.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import render_template, request

CONFIRM_FIELD = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page shows and what its form posts again."""

    title: str
    action: str  # where the confirmed POST goes
    button: str
    back_url: str
    back_label: str = ""
    facts: Sequence[tuple[str, Any]] = ()  # (label, value) pairs: what will change
    consequences: Sequence[str] = ()  # what cannot be undone
    carry: Sequence[tuple[str, str]] = ()  # hidden fields posted again as they came
    form: Any = None  # a form whose `fields` are asked on the page (e.g. a reason)
    fields: Sequence[str] = ()
    hints: dict[str, str] | None = None


def is_confirmed() -> bool:
    """Whether this request is the confirming POST of a confirmation page."""
    return request.method == "POST" and request.form.get(CONFIRM_FIELD) == "1"


def render_confirmation(confirmation: Confirmation, *, layout: str = "base.html"):
    """The confirmation page (400 when the form asked on it has errors)."""
    form = confirmation.form
    status = 400 if form is not None and form.errors else 200
    page = render_template("components/confirmation.html", confirmation=confirmation, layout=layout)
    return page, status
