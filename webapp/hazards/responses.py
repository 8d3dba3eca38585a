"""Response templates that fill the public message when staff change a report's state.

The administrators' templates (back office, "Response templates") come first,
then these built-in ones. Each is offered in both languages; the message is
prefilled in the language the report was made in.
"""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from webapp.hazards.states import HazardState
from webapp.staff.responses import Reply, replies_for

RESPONSE_TEMPLATES = {
    HazardState.INVESTIGATING: (
        _l("Thank you for your report. Officers are checking the site."),
        _l("We have received your report and will inspect the location within three working days."),
    ),
    HazardState.RECTIFYING: (
        _l(
            "We have confirmed the hazard and sent a referral letter to the party named on this page, who will fix it."
        ),
        _l(
            "The hazard is confirmed and the responsible party has been asked to fix it; we will follow up on site."
        ),
    ),
    HazardState.CLOSED: (
        _l("The hazard has been fixed and checked on site. The report is closed. Thank you."),
        _l("The responsible party has completed the repair; our officers checked it. Closed."),
    ),
    HazardState.REJECTED: (
        _l(
            "This is not a road hazard the brigade handles. Please contact the 12345 citizen hotline."
        ),
        _l(
            "We could not find the hazard at the place described. Please send a new report with a photo."
        ),
    ),
    HazardState.DUPLICATE: (
        _l(
            "This hazard has already been reported; please follow the original report linked on this page."
        ),
    ),
}


def _in(language: str, text) -> str:
    with force_locale(language):
        return str(text)


def response_templates(state: str) -> list[Reply]:
    """The replies for a move into `state`: the administrators', then the built-in."""
    try:
        built_in = RESPONSE_TEMPLATES[HazardState(state)]
    except (KeyError, ValueError):
        built_in = ()
    standard = [
        Reply(
            title=str(_l("Standard reply %(number)d", number=number)),
            zh=_in("zh", message),
            en=_in("en", message),
        )
        for number, message in enumerate(built_in, start=1)
    ]
    return replies_for("hazard", state) + standard
