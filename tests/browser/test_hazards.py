"""A hazard report's whole loop in a real browser: a resident's phone and an officer's desk."""

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_user
from tests.hazards.images import INSIDE, jpeg_bytes
from webapp.staff.roles import Role

MESSAGES = {
    "investigating": "民警已到北大街现场核查。",
    "rectifying": "已向市政设施管理处送达整改函。",
    "closed": "护栏已修复，经复核予以销号。",
}


def _report_from_phone(phone, live_server) -> str:
    phone.goto(f"{live_server}/hazards/new")
    phone.check("input[name=danger][value=no]")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("#location")
    assert has_no_horizontal_scroll(phone)
    phone.check("input[name=category][value=guardrail]")
    phone.fill("#location", "北大街邮局门前")
    phone.fill("#description", "护栏被车撞断，断口朝向人行道，很危险。")
    phone.set_input_files(
        "#photos",
        files=[{"name": "护栏.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=INSIDE)}],
    )
    phone.fill("#reporter_phone", "138 0013 8000")
    phone.check("#consent")
    phone.click(".form-send button")
    phone.wait_for_selector("[data-reference]")
    reference = phone.inner_text("[data-reference]").strip()
    assert reference.startswith("H")
    return reference


def _move(desktop, live_server, reference, target, **fields):
    desktop.goto(f"{live_server}/staff/hazards/{reference}?to={target}")
    for name, value in fields.items():
        desktop.fill(f"#{name}", value)
    desktop.fill("#public_message", MESSAGES[target])
    desktop.click("form[action$='/state'] button[type=submit]")
    desktop.wait_for_selector(".notice-success")


def test_a_resident_reports_from_a_phone_and_follows_the_officers_work(
    live_server, phone, desktop, app_context
):
    reference = _report_from_phone(phone, live_server)
    phone.click(f"a[href='/hazards/{reference}']")
    phone.wait_for_selector("[data-state]")
    assert "待受理" in phone.inner_text("[data-state]")
    assert phone.is_visible(".photo-list img")
    assert "13800138000" not in phone.content()
    assert has_no_horizontal_scroll(phone)

    officer = create_user(roles=[Role.HAZARD_OFFICER], display_name="王警官")
    log_in(desktop, live_server, officer)
    _move(desktop, live_server, reference, "investigating")
    _move(desktop, live_server, reference, "rectifying", responsible_party="市政设施管理处")
    _move(desktop, live_server, reference, "closed")

    phone.reload()
    page_text = phone.inner_text("main")
    assert "已销号" in phone.inner_text("[data-state]")
    for message in MESSAGES.values():
        assert message in page_text
    assert "王警官" not in page_text
    assert "市政设施管理处" in page_text
