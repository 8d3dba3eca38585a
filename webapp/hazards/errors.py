"""Named refusals of hazard reports; each carries the message the user reads."""

from flask_babel import lazy_gettext as _l


class HazardError(Exception):
    """A domain refusal; raised with the message the user reads (a lazy string is kept lazy)."""

    @property
    def message(self):
        return self.args[0]


class OutsideArea(HazardError):
    """The hazard lies outside the brigade's area."""


class ReopenRefused(HazardError):
    """The reporter may not reopen this report (not theirs, not closed, closed too long ago)."""


class StateChangeRefused(HazardError):
    """Refused with a message for one field of the state change form."""

    def __init__(self, message, *, field: str = "public_message"):
        super().__init__(message)
        self.field = field


class PhotoRejected(HazardError):
    """A photo that cannot be accepted; the message names the file."""


class PhotosNotSaved(PhotoRejected):
    """The photos could not be written (disk full, directory not writable): nothing is kept."""


PHOTOS_NOT_SAVED = _l(
    "Your photos could not be saved just now, so the report has not been sent. "
    "Nothing was kept; please try again in a few minutes."
)


class FollowRefused(HazardError):
    """A number may not follow this report now (limit reached, wrong or spent code...)."""
