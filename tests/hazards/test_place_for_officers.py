"""Officers see place: neighbours on the detail page, the map's box as a queue and inbox
filter, the coordinates in the referral letter."""

import json

import pytest

from tests.factories import create_hazard_report
from tests.pages import text_of
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

CITY = "113.50,37.80,113.65,37.92"


def _queue_references(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("table tbody td:first-child a")]


def _inbox_references(page) -> list[str]:
    return [
        link.get_text(strip=True) for link in page.select("table.inbox tbody td:nth-child(2) a")
    ]


@pytest.fixture
def placed(login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    return {
        "inside": create_hazard_report(latitude=37.8612, longitude=113.5801),
        "outside": create_hazard_report(latitude=37.75, longitude=113.58),
        "unplaced": create_hazard_report(),
    }


def test_the_queue_and_the_inbox_keep_only_reports_in_the_maps_box(client_request, placed):
    queue = _queue_references(client_request.get(f"/staff/hazards/?bbox={CITY}"))
    inbox = _inbox_references(client_request.get(f"/staff/?bbox={CITY}"))

    assert queue == inbox == [placed["inside"].reference]
    every = _queue_references(client_request.get("/staff/hazards/"))
    assert len(every) == 3


def test_the_box_stays_in_the_filter_form_and_a_wrong_one_is_explained(client_request, placed):
    page = client_request.get(f"/staff/hazards/?bbox={CITY}")
    assert page.find("input", id="bbox")["value"] == CITY

    wrong = client_request.get("/staff/?bbox=113.5,37.8&lang=en")
    assert "four numbers: west,south,east,north" in text_of(wrong)
    assert wrong.find("input", id="bbox")["value"] == "113.5,37.8"
    # The other filters still apply: the open reports, whatever their place.
    assert len(_inbox_references(wrong)) == 3


def test_the_detail_page_lists_the_reports_within_150_metres(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(latitude=37.8612, longitude=113.5801)
    near = create_hazard_report(
        latitude=37.8620, longitude=113.5801, state=HazardState.CLOSED, location="北大街东口"
    )
    private_near = create_hazard_report(latitude=37.8605, longitude=113.5801, is_private=True)
    far = create_hazard_report(latitude=37.8650, longitude=113.5801)

    page = client_request.get(f"/staff/hazards/{report.reference}?lang=en")
    listed = text_of(page.select_one("ul.neighbours"))

    assert near.reference in listed and "北大街东口" in listed and "89 m away" in listed
    assert private_near.reference in listed  # officers see private reports too
    assert far.reference not in listed
    assert page.find("a", href=f"/staff/hazards/{near.reference}")
    in_queue = page.find("a", attrs={"data-map-view-link": True})["href"]
    queue = client_request.get(in_queue)
    shown = {link.get_text(strip=True) for link in queue.select("table tbody td:first-child a")}
    assert shown == {report.reference, near.reference, private_near.reference}
    assert not page.find(attrs={"data-map": True})  # no tiles configured: no map, no script
    assert "leaflet" not in str(page)


def test_with_tiles_the_detail_page_draws_the_report_first_then_its_neighbours(
    client_request, login_as, app_context, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(latitude=37.8612, longitude=113.5801)
    near = create_hazard_report(latitude=37.8620, longitude=113.5801)

    page = client_request.get(f"/staff/hazards/{report.reference}")
    points = json.loads(page.find(attrs={"data-map": "neighbours"})["data-points"])

    assert [p["reference"] for p in points] == [report.reference, near.reference]
    assert points[0]["lat"] == 37.8612 and points[0]["lng"] == 113.5801
    assert points[1]["url"] == f"/staff/hazards/{near.reference}"


def test_the_referral_letter_names_the_place_as_typed_with_its_coordinates(
    client_request, login_as, app_context
):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(location="北大街邮局门前", latitude=37.8612, longitude=113.5801)

    letter = text_of(client_request.get(f"/staff/hazards/{report.reference}/letter").article)

    assert "北大街邮局门前（位置坐标：北纬 37.861200°，东经 113.580100°，WGS84）" in letter
