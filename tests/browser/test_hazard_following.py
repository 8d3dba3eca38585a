"""A neighbour follows a report from a phone, an officer moves it, the neighbour's text
arrives in the outbox with a stop link that works."""

import re

from sqlalchemy import select

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_hazard_report, create_user
from webapp.extensions import db
from webapp.hazards.models import HazardFollower
from webapp.notifications.models import OutboxMessage
from webapp.staff.roles import Role

NEIGHBOUR = "13912340001"


def _texts_to(number: str, kind: str) -> list[OutboxMessage]:
    db.session.rollback()  # see what the server has written
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == number, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
    )


def test_a_neighbour_follows_a_report_and_can_stop_the_texts(
    live_server, phone, desktop, app_context
):
    report = create_hazard_report(location="北大街邮局门前", reporter_phone="13800138000")
    reference = report.reference

    phone.goto(f"{live_server}/hazards/{reference}")
    phone.click(".confirm-box a[href='#follow']")
    phone.fill("#phone", "139 1234 0001")
    phone.check("#consent")
    phone.click("#follow button[type=submit]")
    phone.wait_for_selector("#code")
    assert "139****0001" in phone.inner_text("main")
    assert has_no_horizontal_scroll(phone)

    [code_text] = _texts_to(NEIGHBOUR, "follow_code")
    code = re.search(r"\b(\d{6})\b", code_text.body).group(1)
    phone.fill("#code", code)
    phone.click("main form button[type=submit]")
    phone.wait_for_selector(".notice-success")
    assert "139****0001" in phone.inner_text(".notice-success")
    assert NEIGHBOUR not in phone.content()

    db.session.rollback()  # the server has written since this session last read
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    log_in(desktop, live_server, officer)
    desktop.goto(f"{live_server}/staff/hazards/{reference}?to=investigating")
    assert "139****0001" in desktop.inner_text("[data-followers]")
    desktop.fill("#public_message", "民警已到现场核查。")
    desktop.click("form[action$='/state'] button[type=submit]")
    desktop.wait_for_selector(".notice-success")

    [update] = _texts_to(NEIGHBOUR, "followed_state_changed")
    assert "排查中" in update.body and f"{live_server}/hazards/{reference}" in update.body
    stop_link = re.search(r"(https?://\S+/hazards/stop/\S+)", update.body).group(1)
    assert stop_link.startswith(live_server)

    phone.goto(stop_link)
    assert reference in phone.inner_text("main")
    phone.click("main form button[type=submit]")
    phone.wait_for_selector(".notice-success")
    assert reference in phone.inner_text(".notice-success")
    db.session.rollback()
    follower = db.session.scalar(select(HazardFollower))
    assert follower.unsubscribed_at is not None and not follower.is_active
