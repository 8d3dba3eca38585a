"""axe-core finds nothing wrong on the back office's busiest screens, on a phone and a desk."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, has_no_horizontal_scroll, log_in
from tests.factories import create_booking, create_hazard_report, create_session, create_user
from webapp.staff.roles import Role


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_the_inbox_a_report_a_roster_and_the_dashboard_pass_axe(
    live_server, browser, app_context, viewport
):
    admin = create_user(roles=[Role.ADMIN])
    report = create_hazard_report()
    create_hazard_report(state="investigating")
    session = create_session()
    create_booking(session=session)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, live_server, admin)
        for path in (
            "/staff/",
            f"/staff/hazards/{report.reference}",
            f"/staff/appointments/sessions/{session.id}",
            "/staff/dashboard",
        ):
            page.goto(f"{live_server}{path}")
            assert_no_axe_violations(page)
            assert has_no_horizontal_scroll(page), path
    finally:
        context.close()


def test_the_queues_and_rosters_are_cards_on_a_phone(live_server, phone, app_context):
    from tests.factories import create_training_request

    admin = create_user(roles=[Role.ADMIN])
    create_hazard_report(location="北大街与桃北西街交叉口东侧人行道护栏")
    create_training_request()
    session = create_session()
    create_booking(session=session)
    log_in(phone, live_server, admin)
    for path in (
        "/staff/hazards/",
        "/staff/training/",
        "/staff/appointments/",
        f"/staff/appointments/sessions/{session.id}",
    ):
        phone.goto(f"{live_server}{path}")
        assert has_no_horizontal_scroll(phone), path
        row = phone.locator("table.cards tbody tr").first
        assert row.evaluate("tr => getComputedStyle(tr).display") == "block", path
