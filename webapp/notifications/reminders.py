"""Reminders the day before: features register providers; `flask reminders queue` queues them.

A provider is a function `provider(day) -> iterable of (dedupe_key, kwargs)` that
lists the reminders due for the sessions held on `day` (the local date of
tomorrow when the command runs); `kwargs` are the keyword arguments of
`queue_message` except `dedupe_key`. Each key is queued once, ever: running the
command twice queues nothing new.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from webapp.notifications.services import queue_message
from webapp.transactions import savepoint, transaction

ReminderProvider = Callable[[date], Iterable[tuple[str, dict]]]

# Filled by the packages' `register(app)` (webapp/features.py), by name.
REMINDER_PROVIDERS: dict[str, ReminderProvider] = {}


@dataclass(frozen=True)
class RemindersQueued:
    provider: str
    queued: int
    already_queued: int


def _queue_once(dedupe_key: str, kwargs: dict) -> bool:
    """Queue one reminder in its own savepoint; False when its key was queued before."""
    try:
        with savepoint():
            message = queue_message(**kwargs, dedupe_key=dedupe_key)
    except IntegrityError:  # another run queued the same key a moment ago
        return False
    return message is not None


def queue_reminders(*, day: date) -> list[RemindersQueued]:
    """Queue the reminders of every provider for the sessions on `day`: one transaction each."""
    results = []
    for name, provider in sorted(REMINDER_PROVIDERS.items()):
        queued = already = 0
        with transaction():
            for dedupe_key, kwargs in provider(day):
                if _queue_once(dedupe_key, kwargs):
                    queued += 1
                else:
                    already += 1
        results.append(RemindersQueued(provider=name, queued=queued, already_queued=already))
    return results
