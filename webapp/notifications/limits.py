"""How often one client address may use the public forms that send a text or an e-mail.

Every such form (a hazard report, "I see this too", reopening, a training request, a
booking, moving and cancelling it) shares one count per address, MESSAGE_FORM_RATE_LIMIT,
so that an address cannot multiply its allowance by going from form to form. A refused
POST gets the 429 page (webapp/errors.py). The cap per recipient (services.queue_message)
protects the person whose number was typed in; this one protects the service.
"""

from collections.abc import Callable

from flask import current_app

from webapp.extensions import limiter

MESSAGE_FORMS_SCOPE = "message-forms"


def message_form_rate() -> str:
    return current_app.config["MESSAGE_FORM_RATE_LIMIT"]


def message_form_limit(*, exempt_when: Callable[[], bool] | None = None):
    """Decorate a public view whose POST queues a message.

    `exempt_when` names the POSTs that only show a step of the form (a location check,
    a review before confirming), which queue nothing and are not counted.
    """
    return limiter.shared_limit(
        message_form_rate, scope=MESSAGE_FORMS_SCOPE, methods=["POST"], exempt_when=exempt_when
    )
