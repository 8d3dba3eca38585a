"""Steps that several browser tests share."""

from datetime import UTC, datetime

import pyotp

from tests.factories import DEFAULT_PASSWORD


def log_in(page, live_server: str, user, password: str = DEFAULT_PASSWORD) -> None:
    """Log a staff user in through the login form, with a two-factor code when enrolled."""
    page.goto(f"{live_server}/staff/login")
    page.fill("#username", user.username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if user.totp_secret and page.url.endswith("/staff/login/code"):
        page.fill("#code", pyotp.TOTP(user.totp_secret).at(datetime.now(UTC)))
        page.click("button[type=submit]")
        page.wait_for_load_state()


def has_no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_no_axe_violations(page) -> None:
    """axe-core (the axe-playwright-python package's copy) finds nothing on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
