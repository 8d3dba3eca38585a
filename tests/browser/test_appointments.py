"""An applicant books a motorcycle exam on a phone and cancels it; the clerk sees the roster."""

import re
from datetime import timedelta

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_session, create_user, make_id_number
from webapp.common.clock import local_today
from webapp.staff.roles import Role


def _roster_text(page, live_server, session_id) -> str:
    page.goto(f"{live_server}/staff/appointments/sessions/{session_id}?lang=en")
    return page.inner_text("main")


def test_an_applicant_books_and_cancels_a_subject_2_exam_and_the_clerk_sees_it(
    live_server, phone, desktop, app_context
):
    session = create_session(day=local_today() + timedelta(days=5), capacity=10)
    clerk = create_user(roles=[Role.BOOKING_CLERK])
    id_number = make_id_number()

    phone.goto(f"{live_server}/appointments/motorcycle_exam/?lang=en")
    assert "Step 1 of 3" in phone.inner_text("main")
    phone.check(f"#session_id-{session.id}")
    phone.click("button:has-text('Continue')")
    assert phone.is_checked(f"#session_id-{session.id}")
    phone.check("input[name=subject][value='2']")
    phone.check("input[name=licence_class][value='E']")
    phone.fill("#full_name", "王小明")
    phone.fill("#id_number", id_number.lower())
    phone.fill("#phone", "139 1234 5678")
    assert has_no_horizontal_scroll(phone)
    phone.click("button:has-text('Continue')")

    assert phone.inner_text("h1") == "Check your answers"
    assert "Subject 2 (field skills)" in phone.inner_text("main")
    phone.click("button[name=confirm]")

    assert phone.inner_text("h1") == "Booking confirmed"
    slip = phone.inner_text(".slip")
    reference = phone.inner_text(".slip-reference strong")
    assert re.fullmatch(r"A\d{8}-[0-9A-Z]{6}", reference)
    assert "摩托车考场" in slip and id_number[-4:] in slip and id_number not in slip
    phone.wait_for_selector("[data-print]", state="visible")
    assert has_no_horizontal_scroll(phone)

    log_in(desktop, live_server, clerk)
    roster = _roster_text(desktop, live_server, session.id)
    assert "王小明" in roster and "1 / 10" in roster

    phone.goto(f"{live_server}/appointments/manage")
    phone.fill("#reference", reference)
    phone.fill("#id_number", id_number)
    phone.click("button:has-text('Find my booking')")
    phone.click("button:has-text('Cancel this booking')")
    assert phone.inner_text("h1") == "Cancel your booking?"
    assert "goes to someone else at once" in phone.inner_text("main")
    phone.click("button:has-text('Yes, cancel my booking')")
    assert "Your booking has been cancelled" in phone.inner_text("main")
    assert "Booking cancelled" in phone.inner_text(".slip")

    roster = _roster_text(desktop, live_server, session.id)
    assert "王小明" not in roster and "0 / 10" in roster
