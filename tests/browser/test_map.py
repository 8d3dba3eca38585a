"""The maps in Chromium, with tiles from a local server that draws numbered tiles."""

import math

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import assert_no_axe_violations, has_no_horizontal_scroll, log_in
from tests.browser.tiles import tile_server
from tests.factories import create_hazard_report, create_user
from tests.hazards.images import INSIDE, jpeg_bytes
from tests.live import serve_app
from webapp.common.geo import gcj02_to_wgs84, wgs84_to_gcj02
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

# The area's centre (AREA_BOUNDS: 37.70-38.10 N, 113.30-113.80 E).
CENTRE = (37.90, 113.55)


@pytest.fixture(scope="module")
def map_site(app):
    """The site with a map: gunicorn told to take its tiles from the local tile server."""
    with (
        tile_server() as tiles,
        serve_app(
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            upload_dir=app.config["UPLOAD_DIR"],
            workers=2,
            env={"MAP_TILE_URL": tiles, "MAP_TILE_ATTRIBUTION": "Test tiles"},
        ) as url,
    ):
        yield url


@pytest.fixture
def touch_phone(browser):
    """A phone-sized screen that is touched, not clicked."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _open_form(page, site):
    page.goto(f"{site}/hazards/new?danger=no")
    page.locator("#map-pick").scroll_into_view_if_needed()  # the map is drawn when near
    page.wait_for_selector("#map-pick .leaflet-tile-loaded")


def _fields(page) -> tuple[float, float]:
    return float(page.input_value("#latitude")), float(page.input_value("#longitude"))


def test_the_browser_converts_coordinates_as_the_server_does(map_site, desktop):
    _open_form(desktop, map_site)
    points = [
        (37.8612, 113.5801),
        (31.1774276, 121.5272106),
        (39.911954, 116.377817),
        (51.5007, -0.1246),
    ]

    for lat, lng in points:
        to_gcj = desktop.evaluate(f"PortalGeo.wgs84ToGcj02({lat}, {lng})")
        back = desktop.evaluate(f"PortalGeo.gcj02ToWgs84({to_gcj[0]}, {to_gcj[1]})")
        assert to_gcj == pytest.approx(list(wgs84_to_gcj02(lat, lng)), abs=1e-12)
        assert back == pytest.approx(list(gcj02_to_wgs84(*to_gcj)), abs=1e-12)


def test_a_resident_places_a_report_by_tapping_the_map_on_a_phone(
    map_site, touch_phone, app_context
):
    phone = touch_phone
    _open_form(phone, map_site)
    assert has_no_horizontal_scroll(phone)
    phone.check("input[name=category][value=guardrail]")
    phone.fill("#location", "北大街邮局门前")
    phone.locator("#map-pick").scroll_into_view_if_needed()
    box = phone.locator("#map-pick").bounding_box()

    tapped = {"x": box["width"] * 0.6, "y": box["height"] * 0.4}
    phone.locator("#map-pick").tap(position=tapped)

    latitude, longitude = _fields(phone)
    assert 37.70 < latitude < 38.10 and 113.30 < longitude < 113.80
    assert latitude > CENTRE[0] and longitude > CENTRE[1]  # up and to the right of the centre
    pin = phone.locator("#map-pick .map-pin").bounding_box()  # its point: bottom centre
    assert pin["x"] + pin["width"] / 2 == pytest.approx(box["x"] + tapped["x"], abs=3)
    assert pin["y"] + pin["height"] == pytest.approx(box["y"] + tapped["y"], abs=3)
    assert f"{latitude:.6f}" in phone.inner_text("#map-pick-status")
    phone.fill("#description", "护栏被车撞断，断口朝向人行道，很危险。")
    phone.check("#consent")
    phone.click(".form-send button")
    phone.wait_for_selector("[data-reference]")
    reference = phone.inner_text("[data-reference]").strip()
    report = db.session.scalar(select(HazardReport).where(HazardReport.reference == reference))
    assert (report.latitude, report.longitude) == (latitude, longitude)


def test_a_point_outside_the_area_is_refused_before_sending(map_site, phone):
    _open_form(phone, map_site)
    phone.fill("#latitude", "39.9")
    phone.fill("#longitude", "116.4")
    phone.click(".form-send button")

    assert "虚线框" in phone.inner_text("#map-pick-status")
    assert phone.url.endswith("/hazards/new?danger=no")
    assert phone.evaluate("document.activeElement.id") == "latitude"


def test_a_photos_gps_and_typed_coordinates_move_the_pin_and_show_reports_nearby(
    map_site, phone, app_context
):
    nearby = create_hazard_report(latitude=37.8620, longitude=113.5801, location="邮局东侧")
    create_hazard_report(latitude=37.8620, longitude=113.5801, state=HazardState.CLOSED)
    _open_form(phone, map_site)
    phone.check("input[name=category][value=guardrail]")

    phone.set_input_files(
        "#photos",
        files=[{"name": "护栏.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=INSIDE)}],
    )

    expect(phone.locator("#latitude")).not_to_have_value("")
    assert _fields(phone) == INSIDE
    assert phone.is_visible("#map-pick .map-pin")
    phone.wait_for_selector("#map-pick-nearby li")
    listed = phone.inner_text("#map-pick-nearby")
    assert nearby.reference in listed and "邮局东侧" in listed
    assert len(phone.query_selector_all("#map-pick-nearby li")) == 1  # closed ones are not


def test_a_resident_places_the_pin_by_keyboard_alone(map_site, desktop):
    _open_form(desktop, map_site)
    desktop.focus("#location")
    for _press in range(8):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.id") == "map-pick":
            break
    assert desktop.evaluate("document.activeElement.id") == "map-pick"
    outline = desktop.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "ArrowUp", "ArrowUp"):
        desktop.keyboard.press(key)
    assert desktop.input_value("#latitude") == ""  # moving is not setting
    desktop.keyboard.press("Enter")

    latitude, longitude = _fields(desktop)
    assert latitude > CENTRE[0] and longitude > CENTRE[1]
    assert "已标注位置" in desktop.inner_text("#map-pick-status")


def test_the_public_map_clusters_reports_and_splits_them_on_zoom(map_site, desktop, app_context):
    for group in range(4):
        for number in range(10):
            create_hazard_report(
                latitude=37.80 + group * 0.08 + number * 0.003,
                longitude=113.40 + group * 0.1 + number * 0.003,
                state=list(HazardState)[number % 6],
            )

    desktop.goto(f"{map_site}/hazards/map")
    desktop.wait_for_selector("#map-reports .marker-cluster")
    clusters = desktop.query_selector_all("#map-reports .marker-cluster")
    assert 1 <= len(clusters) <= 4
    assert desktop.query_selector_all("#map-reports .map-marker") == []
    assert "40" in desktop.inner_text("#map-reports-status")

    desktop.locator("#map-reports .marker-cluster").first.click()  # zooms to its reports
    for _zoom in range(4):
        if desktop.query_selector_all("#map-reports .map-marker"):
            break
        desktop.click("#map-reports .leaflet-control-zoom-in")
        desktop.wait_for_timeout(600)  # the zoom's animation
    markers = desktop.query_selector_all("#map-reports .map-marker-icon")
    assert len(markers) >= 10
    title = markers[0].get_attribute("title")
    assert title.startswith("H") and " · " in title  # the reference and the state in words


def test_the_officer_sees_the_report_and_its_neighbours_on_the_map(map_site, desktop, app_context):
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    report = create_hazard_report(latitude=37.8612, longitude=113.5801)
    near = create_hazard_report(latitude=37.8620, longitude=113.5801, state=HazardState.CLOSED)
    create_hazard_report(latitude=37.8700, longitude=113.5801)  # about 1 km away

    log_in(desktop, map_site, officer)
    desktop.goto(f"{map_site}/staff/hazards/{report.reference}")
    desktop.wait_for_selector("#map-neighbours .map-marker-self")

    titles = [m.get_attribute("title") for m in desktop.query_selector_all(".map-marker-icon")]
    assert len(titles) == 2
    assert titles[0].startswith(report.reference) or titles[1].startswith(report.reference)
    assert any(title.startswith(near.reference) for title in titles)

    link = desktop.locator("[data-map-view-link]")
    before = link.get_attribute("href")
    desktop.click("#map-neighbours .leaflet-control-zoom-out")
    expect(link).not_to_have_attribute("href", before)
    link.click()
    desktop.wait_for_selector("table tbody")
    assert report.reference in desktop.inner_text("table tbody")


def test_without_javascript_the_form_and_the_map_page_still_work(map_site, browser, app_context):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{map_site}/hazards/new?danger=no")
        assert not page.is_visible("#map-pick")
        page.check("input[name=category][value=sign]")
        page.fill("#location", "李荫路冯家庄路口")
        page.fill("#latitude", "37.8612")
        page.fill("#longitude", "113.5801")
        page.fill("#description", "限速标志被树枝完全遮挡，看不见。")
        page.check("#consent")
        page.click(".form-send button")
        reference = page.inner_text("[data-reference]").strip()
        report = db.session.scalar(select(HazardReport).where(HazardReport.reference == reference))
        assert (report.latitude, report.longitude) == INSIDE

        page.goto(f"{map_site}/hazards/map?category=sign")
        assert not page.is_visible("#map-reports")
        page.click("text=以列表查看")
        assert reference in page.inner_text("main")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
@pytest.mark.parametrize("path", ["/hazards/new?danger=no", "/hazards/map"])
def test_the_map_pages_have_no_axe_violations(map_site, browser, app_context, path, viewport):
    create_hazard_report(latitude=37.8612, longitude=113.5801)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{map_site}{path}")
        page.locator("[data-map]").scroll_into_view_if_needed()
        page.wait_for_selector(".leaflet-tile-loaded")
        page.wait_for_selector("[role=status]:not(:empty), #map-pick", state="attached")
        assert_no_axe_violations(page)
    finally:
        context.close()


@pytest.fixture(scope="module")
def gcj02_site(app):
    """The site on GCJ-02 tiles (as 高德's are drawn)."""
    with (
        tile_server() as tiles,
        serve_app(
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            upload_dir=app.config["UPLOAD_DIR"],
            workers=1,
            env={"MAP_TILE_URL": tiles, "MAP_CRS": "gcj02"},
        ) as url,
    ):
        yield url


def _tile_of(latitude: float, longitude: float, zoom: int) -> str:
    """The z/x/y of the Web Mercator tile holding a point."""
    n = 2**zoom
    x = int((longitude + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(latitude))) / math.pi) / 2 * n)
    return f"{zoom}/{x}/{y}"


def test_on_gcj02_tiles_the_pin_is_drawn_shifted_and_the_stored_point_is_not(gcj02_site, desktop):
    _open_form(desktop, gcj02_site)
    desktop.fill("#latitude", f"{INSIDE[0]:.6f}")
    desktop.fill("#longitude", f"{INSIDE[1]:.6f}")
    desktop.dispatch_event("#longitude", "change")
    zoom = 16  # the map comes close to typed coordinates
    desktop.wait_for_selector(f"#map-pick img.leaflet-tile-loaded[src*='/{zoom}/']")
    desktop.wait_for_timeout(500)  # the end of the zoom's animation
    pin = desktop.locator("#map-pick .map-pin").bounding_box()
    tip = (pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2 + 12)

    under_the_pin = desktop.evaluate(
        """([x, y, zoom]) => Array.from(document.querySelectorAll("#map-pick img.leaflet-tile"))
          .filter((tile) => tile.src.indexOf("/" + zoom + "/") > 0)
          .filter((tile) => {
            const r = tile.getBoundingClientRect();
            return x >= r.left && x < r.right && y >= r.top && y < r.bottom;
          }).map((tile) => tile.src)""",
        [*tip, zoom],
    )

    drawn_on = _tile_of(*wgs84_to_gcj02(*INSIDE), zoom)
    assert drawn_on != _tile_of(*INSIDE, zoom)  # here the offset crosses into another tile
    assert [src.rsplit("/", 3)[1:] for src in under_the_pin] == [f"{drawn_on}.png".split("/")]
    desktop.focus("#map-pick")
    desktop.keyboard.press("Enter")  # set the pin where it is: back to the same GPS point
    assert _fields(desktop) == pytest.approx(INSIDE, abs=2e-6)
