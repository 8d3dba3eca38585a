"""A company asks for a training on a phone; the education officer schedules it."""

from datetime import timedelta

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_user, make_credit_code
from webapp.common.clock import local_today
from webapp.staff.roles import Role

CREDIT_CODE = make_credit_code("91140300MA0K7777")


def _request_a_training(phone, live_server) -> str:
    """Fill the request form as the company's safety officer; return the reference shown."""
    phone.goto(f"{live_server}/training/new?lang=en")
    assert has_no_horizontal_scroll(phone)
    phone.fill("#company_name", "通达物流有限公司")
    phone.fill("#credit_code", CREDIT_CODE.lower())
    phone.select_option("#industry", "freight_logistics")
    phone.fill("#contact_name", "刘安全")
    phone.fill("#contact_phone", "139 0353 1234")
    phone.fill("#audience_size", "80")
    phone.check("input[name=topics][value=truck_blind_spots]")
    phone.check("input[name=topics][value=fatigue_long_haul]")
    preferred = local_today() + timedelta(days=15)
    phone.fill("#preferred_dates-0", preferred.isoformat())
    phone.check("input[name=venue][value=on_site]")
    phone.fill("#address", "运城市盐湖区物流园区2号楼会议室")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/training/submitted")
    assert has_no_horizontal_scroll(phone)
    return phone.inner_text("#training-reference").strip()


def _follow_the_request(phone, reference) -> None:
    phone.get_by_role("link", name="Follow your request").click()
    phone.wait_for_url(lambda url: "/training/manage?reference=" in url)
    assert phone.input_value("#reference") == reference
    phone.fill("#credit_code", CREDIT_CODE)
    phone.click("button[type=submit]")
    phone.wait_for_selector("#training-state")


def _schedule_it(desktop, live_server, officer, reference) -> None:
    log_in(desktop, live_server, officer)
    desktop.goto(f"{live_server}/staff/training/?lang=en")
    desktop.get_by_role("link", name=reference).click()
    desktop.get_by_role("button", name="Start the review").click()
    desktop.get_by_role("link", name="Schedule the session").click()
    desktop.fill("#session_time", "14:30")
    desktop.select_option("#officer", str(officer.id))
    desktop.fill("#public_message", "请提前15分钟准备好会议室和投影仪。")
    desktop.click("main button[type=submit]")
    desktop.wait_for_selector("text=The session is scheduled.")


def test_a_company_requests_a_training_and_sees_the_scheduled_date(
    live_server, app_context, phone, desktop
):
    officer = create_user(roles=[Role.EDUCATION_OFFICER], display_name="赵警官")
    reference = _request_a_training(phone, live_server)
    assert reference.startswith(f"T{local_today():%Y%m%d}-")

    _follow_the_request(phone, reference)
    assert phone.inner_text("#training-state") == "Submitted"
    assert has_no_horizontal_scroll(phone)

    _schedule_it(desktop, live_server, officer, reference)

    phone.reload()
    assert phone.inner_text("#training-state") == "Scheduled"
    session_day = local_today() + timedelta(days=15)
    shown = phone.inner_text("#session-time")
    assert f"{session_day:%B} {session_day.day}, {session_day.year}" in shown
    assert "14:30" in shown
    assert "请提前15分钟准备好会议室和投影仪。" in phone.inner_text("main")
    assert has_no_horizontal_scroll(phone)
