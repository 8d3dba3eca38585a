"""An officer's morning at 1280 px: the unassigned view, five reports taken by keyboard,
two moved to 排查中 through the summary step, one answered with a response template;
then the same inbox on a 360-px phone."""

from datetime import timedelta

from sqlalchemy import select

from tests.browser.helpers import has_no_horizontal_scroll, log_in
from tests.factories import create_hazard_report, create_user
from webapp.common.clock import utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

ROWS_IN_VIEW = """() => [...document.querySelectorAll('table.inbox tbody tr')]
    .filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"""
WHOLE_WIDTH = """() => { const box = document.querySelector('.table-wrap');
    return box.scrollWidth <= box.clientWidth; }"""
FOCUSED = (
    "() => document.activeElement && (document.activeElement.id || document.activeElement.value)"
)
FOCUS_RING = "() => getComputedStyle(document.activeElement).outlineStyle"


def _reports(count: int, **fields) -> list[HazardReport]:
    """Reports received an hour apart, oldest first (the inbox's order)."""
    start = utcnow() - timedelta(days=3)
    return [
        create_hazard_report(
            created_at=start + timedelta(hours=n), location=f"北大街{n}号护栏", **fields
        )
        for n in range(count)
    ]


def _press_until(page, key: str, wanted: str, *, most: int = 80) -> None:
    """Press a key until the element with this id (or button value) has the focus."""
    for _ in range(most):
        if page.evaluate(FOCUSED) == wanted:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {wanted}")


def _fresh(reports) -> list[HazardReport]:
    db.session.rollback()  # see what the server committed
    ids = [report.id for report in reports]
    return db.session.scalars(
        select(HazardReport).where(HazardReport.id.in_(ids)).order_by(HazardReport.id)
    ).all()


def test_an_officer_clears_the_morning_queue_by_keyboard(live_server, desktop, phone, app_context):
    officer = create_user(username="li", roles=[Role.HAZARD_OFFICER], display_name="李警官")
    colleague = create_user(roles=[Role.HAZARD_OFFICER], display_name="赵警官")
    waiting = _reports(20)
    taken = create_hazard_report(assignee=colleague, location="已有人处理的路口")
    page = desktop
    log_in(page, live_server, officer)
    page.wait_for_url(f"{live_server}/staff/")

    page.click("nav.saved-views a[href$='unassigned=y']")
    page.wait_for_url("**/staff/?unassigned=y")
    assert (
        page.locator("nav.saved-views a[aria-current=page]")
        .get_attribute("href")
        .endswith("unassigned=y")
    )
    assert taken.reference not in page.locator("table.inbox").inner_text()
    assert page.evaluate(ROWS_IN_VIEW) >= 15
    assert page.evaluate(WHOLE_WIDTH), "every column shows without scrolling the table"

    # Five rows ticked and assigned with the keyboard alone, the focus always visible.
    _press_until(page, "Tab", "row-1")
    for number in range(1, 6):
        _press_until(page, "Tab", f"row-{number}")
        assert page.evaluate(FOCUS_RING) != "none"
        page.keyboard.press("Space")
    _press_until(page, "Shift+Tab", "assign_me")
    assert page.evaluate(FOCUS_RING) != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/staff/inbox/bulk")
    assert page.locator("tr.result-done").count() == 5
    first_five = waiting[:5]
    assert {report.assignee_id for report in _fresh(first_five)} == {officer.id}
    assert {report.assignee_id for report in _fresh(waiting[5:])} == {None}

    # The way back keeps the filter: the five are no longer unassigned.
    page.click("main p > a")
    page.wait_for_url("**/staff/?unassigned=y")
    listed = page.locator("table.inbox").inner_text()
    assert not any(report.reference in listed for report in first_five)

    page.click("nav.saved-views a[href$='mine=y']")
    page.wait_for_url("**/staff/?mine=y")
    assert page.locator("table.inbox tbody tr").count() == 5
    for report in first_five[:2]:
        page.check(f"input[name=row][value='hazard:{report.id}']")
    page.select_option("#target_state", label="排查中")
    page.fill("#message", "已安排民警现场核查。")
    page.click("button[name=action][value=state]")

    # The summary step: how many rows, which state, the public message; nothing moved yet.
    page.wait_for_url(f"{live_server}/staff/inbox/bulk")
    heading = page.locator("h1").inner_text()
    assert "2" in heading and "排查中" in heading
    summary = page.locator("dl.summary").inner_text()
    assert "已安排民警现场核查。" in summary
    assert all(report.reference in summary for report in first_five[:2])
    assert {r.state for r in _fresh(first_five)} == {HazardState.SUBMITTED}
    page.click("main form button[type=submit]")
    page.wait_for_selector("tr.result-done")
    assert page.locator("tr.result-done").count() == 2
    states = [report.state for report in _fresh(first_five)]
    assert states == [HazardState.INVESTIGATING] * 2 + [HazardState.SUBMITTED] * 3

    # One report opened and answered with a response template.
    opened = first_five[0]
    page.goto(f"{live_server}/staff/?mine=y")
    page.click(f"table.inbox a:has-text('{opened.reference}')")
    page.wait_for_url(f"**/staff/hazards/{opened.reference}")
    page.click("a[href*='to=rectifying']")
    page.click("a[href*='template=2']")
    reply = page.input_value("#public_message")
    assert reply
    page.fill("#responsible_party", "市政设施管理处")
    page.click("form[action$='/state'] button[type=submit]")
    page.wait_for_url(f"**/staff/hazards/{opened.reference}")
    [report] = _fresh([opened])
    assert report.state == HazardState.RECTIFYING
    last = db.session.scalars(
        select(WorkflowEvent)
        .where(WorkflowEvent.subject_type == "hazard", WorkflowEvent.subject_id == opened.id)
        .order_by(WorkflowEvent.id.desc())
    ).first()
    assert last.public_message == reply

    # The same inbox on a phone: cards, nothing scrolls sideways.
    log_in(phone, live_server, officer)
    phone.goto(f"{live_server}/staff/?mine=y")
    assert has_no_horizontal_scroll(phone)
    card = phone.locator("table.inbox tbody tr").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    text = card.inner_text()  # reference, kind, state, age and summary, each on its line
    assert opened.reference in text
    for shown in ("道路隐患报告", "整改中", "3 天", opened.location):
        assert shown in text
    label = card.locator("td[data-label]").first
    assert "类型" in label.evaluate("td => getComputedStyle(td, '::before').content")
