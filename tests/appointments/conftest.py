from datetime import datetime

import pytest

from webapp.common import clock

# Monday 2 March 2026, 10:00 in Beijing.
FROZEN_NOW = datetime(2026, 3, 2, 2, 0)


@pytest.fixture
def now(monkeypatch):
    """Freeze the clock the services read; return a setter to move it."""
    moment = {"value": FROZEN_NOW}
    monkeypatch.setattr(clock, "utcnow", lambda: moment["value"])

    def set_now(value: datetime) -> datetime:
        moment["value"] = value
        return value

    set_now.value = FROZEN_NOW
    return set_now


@pytest.fixture
def english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
