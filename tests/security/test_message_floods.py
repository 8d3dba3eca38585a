"""No message floods: the public forms that send a text or an e-mail are limited per client
address, and one phone number or e-mail address gets at most so many messages a day."""

from datetime import timedelta

import pytest
from limits import parse_many
from sqlalchemy import func, select

from tests.appointments.helpers import book_url, booking_answers
from tests.factories import create_booking, create_hazard_report, create_session
from tests.hazards.conftest import valid_report_data
from tests.notifications.conftest import (  # a fixture, and the gateway it installs
    RecordingGateway,
    recording_gateway,  # noqa: F401
)
from tests.pages import check_page_hygiene, text_of
from tests.training.sample import request_form
from webapp.appointments.views import BOOKING_KEY
from webapp.common.clock import local_today
from webapp.config import Config
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus, SuppressionReason
from webapp.notifications.worker import send_due

VICTIM = "13912345678"


def _outbox_count() -> int:
    db.session.rollback()  # a fresh snapshot: each request committed in its own session
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def _post(client_request, url, data, *, address="198.51.100.7"):
    """A POST from one client address, with a valid form token; the raw response."""
    return client_request.client.post(
        url,
        data={**data, "csrf_token": client_request.csrf_token()},
        environ_base={"REMOTE_ADDR": address},
    )


def _per_minute(limit: str) -> int:
    return min(item.amount for item in parse_many(limit))


# --- per client address -----------------------------------------------------------


def test_a_burst_of_sixty_reports_from_one_address_is_refused_after_the_default_limit(
    app, monkeypatch, client_request, app_context
):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", Config.MESSAGE_FORM_RATE_LIMIT)
    allowed = _per_minute(Config.MESSAGE_FORM_RATE_LIMIT)

    statuses = [
        _post(
            client_request,
            "/hazards/new",
            valid_report_data(form_token=f"burst-{n}", reporter_phone=f"139{n:08d}"),
        ).status_code
        for n in range(60)
    ]

    assert statuses == [302] * allowed + [429] * (60 - allowed)
    assert _outbox_count() == allowed
    assert db.session.scalar(select(func.count()).select_from(HazardReport)) == allowed


def _hazard_report(client_request):
    return "/hazards/new", valid_report_data(form_token="t")


def _i_see_this_too(client_request):
    return f"/hazards/{create_hazard_report().reference}/confirm", {}


def _reopen(client_request):
    data = {"reference": "H20250101-ABCDEF", "reporter_phone": VICTIM, "message": "还在"}
    return "/hazards/reopen", data


def _training_request(client_request):
    return "/training/new", request_form()


def _booking(client_request):
    session = create_session(day=local_today() + timedelta(days=5), capacity=50)
    return book_url(session), {**booking_answers(session), "confirm": "1"}


def _own_booking(client_request):
    booking = create_booking(session=create_session(day=local_today() + timedelta(days=5)))
    with client_request.client.session_transaction() as session:
        session[BOOKING_KEY] = booking.id
    return booking


def _move(client_request):
    _own_booking(client_request)
    other = create_session(day=local_today() + timedelta(days=6))
    return "/appointments/manage/move", {"session_id": str(other.id)}


def _cancel(client_request):
    _own_booking(client_request)
    return "/appointments/manage/cancel", {"confirmed": "1"}


MESSAGE_FORMS = {
    "hazard report": _hazard_report,
    "I see this too": _i_see_this_too,
    "reopen": _reopen,
    "training request": _training_request,
    "booking": _booking,
    "move": _move,
    "cancel": _cancel,
}


def _fresh(data: dict, n: int) -> dict:
    # A hazard report form carries a one-time token: a new one for each post.
    return {**data, "form_token": f"t{n}"} if "form_token" in data else data


@pytest.mark.parametrize("form", MESSAGE_FORMS.values(), ids=MESSAGE_FORMS.keys())
def test_every_public_form_that_sends_a_message_is_limited_per_address(
    app, monkeypatch, client_request, app_context, form
):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", "3 per minute")
    url, data = form(client_request)
    db.session.commit()

    answered = [_post(client_request, url, _fresh(data, n)).status_code for n in range(3)]
    queued = _outbox_count()
    refused = _post(client_request, url, _fresh(data, 3))

    assert 429 not in answered and 500 not in answered
    assert refused.status_code == 429
    page = check_page_hygiene(refused.get_data(as_text=True))
    assert "请求过于频繁" in text_of(page)
    assert _outbox_count() == queued
    assert _post(client_request, url, _fresh(data, 4), address="203.0.113.9").status_code != 429


def test_the_refusal_is_the_friendly_page_in_the_readers_language(
    app, monkeypatch, client_request, app_context
):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", "1 per minute")
    with client_request.client.session_transaction() as session:
        session["lang"] = "en"
    _post(client_request, "/training/new", request_form())

    refused = _post(client_request, "/training/new", request_form())

    assert refused.status_code == 429
    page = check_page_hygiene(refused.get_data(as_text=True))
    assert page.html["lang"] == "en"
    assert "Too many requests" in text_of(page)
    assert "Wait a few minutes" in text_of(page)


def test_the_forms_share_one_allowance_per_address(app, monkeypatch, client_request, app_context):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", "2 per minute")
    session = create_session(day=local_today() + timedelta(days=5))
    db.session.commit()
    booking = {**booking_answers(session), "confirm": "1"}

    assert _post(client_request, "/hazards/new", valid_report_data()).status_code == 302
    assert _post(client_request, "/training/new", request_form()).status_code == 302

    assert _post(client_request, book_url(session), booking).status_code == 429


def test_steps_that_send_nothing_are_not_counted(app, monkeypatch, client_request, app_context):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", "1 per minute")
    session = create_session(day=local_today() + timedelta(days=5))
    db.session.commit()
    checking = {**valid_report_data(latitude="37.9", longitude="113.5"), "check": "1"}

    checks = [_post(client_request, "/hazards/new", checking).status_code for _ in range(3)]
    reviews = [
        _post(client_request, book_url(session), booking_answers(session)).status_code
        for _ in range(3)
    ]

    assert checks == [200] * 3 and reviews == [200] * 3
    assert _post(client_request, "/hazards/new", valid_report_data()).status_code == 302


# --- per recipient ----------------------------------------------------------------


@pytest.mark.usefixtures("recording_gateway")
def test_reports_from_many_addresses_send_one_number_at_most_the_daily_cap(
    app, client_request, app_context
):
    cap = Config.MESSAGES_PER_RECIPIENT_PER_DAY
    assert app.config["MESSAGES_PER_RECIPIENT_PER_DAY"] == cap

    statuses = [
        _post(
            client_request,
            "/hazards/new",
            valid_report_data(form_token=f"r{n}", reporter_phone=VICTIM),
            address=f"198.51.100.{n + 1}",
        ).status_code
        for n in range(cap + 5)
    ]
    report = send_due()

    assert statuses == [302] * (cap + 5)  # every report is taken; only the texts are held back
    assert report.sent == cap
    assert len(RecordingGateway.sent) == cap
    db.session.rollback()
    held = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == MessageStatus.SUPPRESSED)
    ).all()
    assert len(held) == 5
    assert {message.suppressed_reason for message in held} == {
        SuppressionReason.RECIPIENT_DAILY_LIMIT
    }
    assert not {message.reference for message in held} & set(RecordingGateway.sent)
