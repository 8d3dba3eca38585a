"""The outbox in the back office: administrators see failures and send them again."""

from tests.factories import create_outbox_message
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.notifications.worker import send_due
from webapp.staff.roles import Role

OUTBOX = "/staff/outbox/"


def _reload(message_id: int) -> OutboxMessage:
    db.session.rollback()  # a fresh snapshot: each request wrote in its own session
    return db.session.get(OutboxMessage, message_id)


def test_the_outbox_page_shows_counts_by_status(client_request, login_as, app_context):
    login_as(Role.ADMIN)
    create_outbox_message()
    create_outbox_message(status=MessageStatus.SENT)
    create_outbox_message(status=MessageStatus.SENT)
    create_outbox_message(status=MessageStatus.FAILED)

    page = client_request.get(OUTBOX + "?lang=en")

    counts = dict(
        zip(
            [dt.get_text(strip=True) for dt in page.select(".outbox-counts dt")],
            [dd.get_text(strip=True) for dd in page.select(".outbox-counts dd")],
            strict=True,
        )
    )
    assert counts == {
        "Waiting to be sent": "1",
        "Being sent": "0",
        "Sent": "2",
        "Failed": "1",
        "Not sent: over the limit": "0",
    }


def test_a_message_that_failed_after_its_retries_is_shown_to_admins(
    app, monkeypatch, broken_gateway, client_request, login_as, app_context
):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 1)
    create_outbox_message(channel="sms", recipient="13812345678")
    create_outbox_message(channel="email", recipient="zhang.san@example.com")
    send_due()
    login_as(Role.ADMIN)

    page = client_request.get(OUTBOX + "?lang=en")

    text = text_of(page)
    assert "138****5678" in text
    assert "z***@example.com" in text
    assert "13812345678" not in text and "zhang.san" not in text
    assert "gateway unreachable for 138****5678" in text
    assert len(page.select("form[action$='/retry'] button")) == 2


def test_an_admin_sends_a_failed_message_again(client_request, login_as, app_context):
    admin = login_as(Role.ADMIN)
    message = create_outbox_message(status=MessageStatus.FAILED, attempts=5, last_error="x")
    client_request.get(OUTBOX + "?lang=en")

    response = client_request.post(f"{OUTBOX}{message.id}/retry", expected_status=302)

    assert response.status_code == 302
    row = _reload(message.id)
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 0)
    entry = db.session.scalar(AuditEntry.newest_first())
    assert (entry.action, entry.actor_id, entry.target) == (
        "outbox_retry",
        admin.id,
        f"outbox:{message.id}",
    )
    page = client_request.get(OUTBOX)
    assert "The message will be sent again." in text_of(page)


def test_a_message_that_has_not_failed_is_not_sent_again(client_request, login_as, app_context):
    login_as(Role.ADMIN)
    message = create_outbox_message(status=MessageStatus.SENT)
    client_request.get(OUTBOX + "?lang=en")

    client_request.post(f"{OUTBOX}{message.id}/retry", expected_status=302)

    row = _reload(message.id)
    assert row.status == MessageStatus.SENT
    page = client_request.get(OUTBOX)
    assert "That message is not failed" in text_of(page)


def test_a_failed_message_blanked_by_retention_is_not_sent_again(
    client_request, login_as, app_context
):
    login_as(Role.ADMIN)
    message = create_outbox_message(status=MessageStatus.FAILED, anonymised_at=utcnow())
    client_request.get(OUTBOX + "?lang=en")

    client_request.post(f"{OUTBOX}{message.id}/retry", expected_status=302)

    assert _reload(message.id).status == MessageStatus.FAILED


def test_the_outbox_is_for_admins_only(client, client_request, login_as, app_context):
    login_as(Role.BOOKING_CLERK, Role.HAZARD_OFFICER, Role.EDUCATION_OFFICER)
    message = create_outbox_message(status=MessageStatus.FAILED)

    assert client.get(OUTBOX).status_code == 403
    client_request.post(f"{OUTBOX}{message.id}/retry", expected_status=403)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, client_request, app_context):
    message = create_outbox_message(status=MessageStatus.FAILED)

    page = client.get(OUTBOX)
    retry = client_request.post(f"{OUTBOX}{message.id}/retry", expected_status=302)

    for response in (page, retry):
        assert response.headers["Location"].startswith("/staff/login")
    row = _reload(message.id)
    assert row.status == MessageStatus.FAILED


def test_every_outbox_view_names_its_roles(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("notifications_staff."):
            view = app.view_functions[rule.endpoint]
            assert view.required_roles == frozenset({Role.ADMIN})


def test_the_outbox_page_reads_in_chinese(client_request, login_as, app_context):
    login_as(Role.ADMIN)

    page = client_request.get(OUTBOX + "?lang=zh")

    assert page.h1.get_text(strip=True) == "消息发件箱"
    assert "发件箱为空" in text_of(page)
