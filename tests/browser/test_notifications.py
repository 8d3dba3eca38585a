"""The outbox screen in a real browser: an administrator on a phone sends a failed message again."""

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_outbox_message, create_user
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage
from webapp.notifications.states import MessageStatus
from webapp.staff.roles import Role


def test_an_admin_on_a_phone_sends_a_failed_message_again_with_the_keyboard(
    live_server, phone, app_context
):
    admin = create_user(roles=(Role.ADMIN,))
    message = create_outbox_message(
        status=MessageStatus.FAILED, attempts=5, last_error="SMS gateway answered 503"
    )
    log_in(phone, live_server, admin)

    phone.goto(f"{live_server}/staff/outbox/?lang=en")
    assert "138****5678" in phone.inner_text("main")
    assert "13812345678" not in phone.content()
    assert has_no_horizontal_scroll(phone)
    phone.focus(f"button[aria-label='Send message outbox-{message.id} again']")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")

    assert "The message will be sent again." in phone.inner_text("main")
    db.session.rollback()
    row = db.session.get(OutboxMessage, message.id)
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 0)
