"""The base layout in a real browser: sizes, languages, large text, keyboard."""

import pytest

from tests.browser.helpers import has_no_horizontal_scroll


@pytest.mark.parametrize("fixture", ["phone", "desktop"])
@pytest.mark.parametrize(
    ("query", "lang", "heading"), [("", "zh-CN", "平安出行"), ("?lang=en", "en", "Safe roads")]
)
def test_the_home_page_reads_well_in_both_languages_and_sizes(
    request, live_server, fixture, query, lang, heading
):
    page = request.getfixturevalue(fixture)
    page.goto(f"{live_server}/{query}")
    assert page.get_attribute("html", "lang") == lang
    assert heading in page.inner_text("h1")
    assert has_no_horizontal_scroll(page)
    assert page.is_visible("nav[aria-label]")


def test_the_language_switch_changes_the_page_and_is_remembered(live_server, phone):
    phone.goto(live_server + "/")
    phone.click("a[hreflang=en]")
    assert phone.get_attribute("html", "lang") == "en"
    phone.goto(live_server + "/")
    assert phone.get_attribute("html", "lang") == "en"
    phone.click("a[hreflang=zh-CN]")
    assert phone.get_attribute("html", "lang") == "zh-CN"


def test_the_large_text_switch_makes_the_text_larger(live_server, phone):
    phone.goto(live_server + "/")
    size = "parseFloat(getComputedStyle(document.querySelector('main .lead')).fontSize)"
    normal = phone.evaluate(size)
    with phone.expect_navigation():
        phone.click("text=大字模式")
    large = phone.evaluate(size)
    assert large >= normal * 1.2
    assert has_no_horizontal_scroll(phone)
    phone.goto(live_server + "/")
    assert phone.evaluate(size) == large


def test_the_header_can_be_used_with_the_keyboard_alone(live_server, desktop):
    desktop.goto(live_server + "/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert desktop.is_visible(".skip-link")
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"

    desktop.goto(live_server + "/")
    reached = []
    for _ in range(12):
        desktop.keyboard.press("Tab")
        reached.append(desktop.evaluate("document.activeElement.textContent.trim()"))
    assert "English" in reached
    assert "大字模式" in reached
    assert "首页" in reached


def test_the_page_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/?lang=en")
    assert "Safe roads" in page.inner_text("h1")
    page.click("text=Large text")
    assert "large-text" in (page.get_attribute("html", "class") or "")
    context.close()
