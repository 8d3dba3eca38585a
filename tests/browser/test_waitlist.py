"""A session fills; a second applicant joins its waiting list, gets the freed seat by text
message, confirms it through the link and holds a booking with a slip."""

import re
from datetime import timedelta

from sqlalchemy import select

from tests.browser.helpers import has_no_horizontal_scroll
from tests.factories import create_session, make_id_number
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage


def _book(page, live_server, session, id_number) -> str:
    page.goto(f"{live_server}/appointments/motorcycle_exam/?session_id={session.id}&lang=en")
    page.check("input[name=subject][value='2']")
    page.check("input[name=licence_class][value='E']")
    page.fill("#full_name", "王小明")
    page.fill("#id_number", id_number)
    page.fill("#phone", "13912345678")
    page.click("button:has-text('Continue')")
    page.click("button[name=confirm]")
    return page.inner_text(".slip-reference strong")


def _offer_text(phone_number: str) -> str:
    db.session.rollback()
    return db.session.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.kind == "waitlist_offer", OutboxMessage.recipient == phone_number
        )
    )


def test_a_second_applicant_gets_the_freed_seat_through_the_waiting_list(
    live_server, phone, desktop, app_context
):
    session = create_session(day=local_today() + timedelta(days=5), capacity=1)
    first_id, second_id = make_id_number(), make_id_number()
    first_reference = _book(desktop, live_server, session, first_id)

    phone.goto(f"{live_server}/appointments/motorcycle_exam/?lang=en")
    assert "Full" in phone.inner_text("main")
    phone.click("a:has-text('Join the waiting list for this session')")
    phone.check("input[name=subject][value='2']")
    phone.check("input[name=licence_class][value='E']")
    phone.fill("#full_name", "李娜")
    phone.fill("#id_number", second_id)
    phone.fill("#phone", "13800001111")
    assert has_no_horizontal_scroll(phone)
    phone.click("button:has-text('Join the waiting list')")
    assert phone.inner_text("h1") == "You are on the waiting list"
    waitlist_reference = phone.inner_text("#waitlist-reference")
    assert re.fullmatch(r"W\d{8}-[0-9A-Z]{6}", waitlist_reference)
    assert phone.inner_text("#waitlist-position") == "1"
    assert _offer_text("13800001111") is None

    desktop.goto(f"{live_server}/appointments/manage")
    desktop.fill("#reference", first_reference)
    desktop.fill("#id_number", first_id)
    desktop.click("button:has-text('Find my booking')")
    desktop.click("button:has-text('Cancel this booking')")
    desktop.click("button:has-text('Yes, cancel my booking')")

    text = _offer_text("13800001111")
    assert waitlist_reference in text
    link = re.search(r"https?://\S+", text).group(0)
    phone.goto(link)
    assert phone.input_value("#reference") == waitlist_reference
    phone.fill("#id_number", second_id)
    phone.click("button[name=confirm]")

    assert phone.inner_text("h1") == "Booking confirmed"
    reference = phone.inner_text(".slip-reference strong")
    assert re.fullmatch(r"A\d{8}-[0-9A-Z]{6}", reference)
    assert second_id[-4:] in phone.inner_text(".slip") and second_id not in phone.inner_text(
        ".slip"
    )
    assert phone.get_attribute("a[download]", "href").endswith("/appointments/confirmation.ics")
