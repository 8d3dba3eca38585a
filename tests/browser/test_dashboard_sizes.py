"""The dashboard reads on a phone and a desk: charts scale, their text stays at least
12 px, and every chart keeps its table of the same figures."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_hazard_report, create_user
from webapp.staff.roles import Role

# The size each visible chart text is drawn at, in CSS pixels of the page.
DRAWN_SIZES = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')]
        .filter(text => getComputedStyle(text).display !== 'none')
        .map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_chart_text_is_at_least_12_px_and_each_chart_has_its_table(
    live_server, browser, app_context, viewport
):
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    for category in ("guardrail", "signal", "markings", "lighting"):
        create_hazard_report(category=category)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, live_server, officer)
        page.goto(f"{live_server}/staff/dashboard")
        sizes = page.evaluate(DRAWN_SIZES)
        assert sizes and min(sizes) >= 12, sorted(sizes)[:5]
        assert has_no_horizontal_scroll(page)
        blocks = page.locator(".chart-block")
        assert blocks.count() == page.locator("svg.chart").count() >= 2
        for index in range(blocks.count()):
            assert blocks.nth(index).locator("table.figure-table").count() == 1
    finally:
        context.close()
