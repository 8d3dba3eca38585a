"""Named refusals of training requests; each carries the message the user reads."""

from flask_babel import lazy_gettext as _l


class TrainingError(Exception):
    """A refusal with a message the user can read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RequestNotFound(TrainingError):
    def __init__(self):
        super().__init__(
            _l(
                "We could not find a training request with this reference and credit code. "
                "Check both and try again."
            )
        )


class StepNotAllowed(TrainingError):
    def __init__(self):
        super().__init__(_l("This step is not possible in the request's current state."))


class SessionAlreadyStarted(TrainingError):
    def __init__(self):
        super().__init__(
            _l("The session has already begun, so the request can no longer be withdrawn.")
        )


class SessionNotYetHeld(TrainingError):
    def __init__(self):
        super().__init__(_l("A delivery can be recorded only once the session has begun."))


class SessionInThePast(TrainingError):
    def __init__(self):
        super().__init__(_l("Choose a date and time that has not yet passed."))
