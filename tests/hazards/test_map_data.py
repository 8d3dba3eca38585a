"""The public map's data: GET /hazards.geojson, and the map page itself."""

import re
from datetime import timedelta

import pytest

from tests.factories import create_hazard_report
from webapp import create_app
from webapp.common.clock import utcnow
from webapp.config import TestingConfig
from webapp.hazards import map as hazard_map
from webapp.hazards import views
from webapp.hazards.states import HazardState

CITY = "113.50,37.80,113.65,37.92"


def features(client, query: str = f"bbox={CITY}") -> dict:
    answer = client.get(f"/hazards.geojson?{query}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/geo+json"
    return answer.get_json()


def references(data: dict) -> set[str]:
    return {feature["properties"]["reference"] for feature in data["features"]}


@pytest.fixture
def with_tiles(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")


def test_the_box_holds_public_placed_reports_only(client, app_context):
    inside = create_hazard_report(latitude=37.8612, longitude=113.5801)
    outside = create_hazard_report(latitude=37.75, longitude=113.58)
    private = create_hazard_report(latitude=37.8613, longitude=113.5802, is_private=True)
    unplaced = create_hazard_report()

    data = features(client)

    assert data["type"] == "FeatureCollection"
    assert references(data) == {inside.reference}
    whole_area = features(client, "bbox=113.3,37.7,113.8,38.1")
    assert references(whole_area) == {inside.reference, outside.reference}
    assert private.reference not in str(whole_area) and unplaced.reference not in str(whole_area)
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [113.5801, 37.8612]}
    assert feature["properties"]["url"] == f"/hazards/{inside.reference}"
    assert data["truncated"] is False


def test_without_a_bbox_the_whole_area_is_given(client, app_context):
    near = create_hazard_report(latitude=37.8612, longitude=113.5801)
    far = create_hazard_report(latitude=38.05, longitude=113.75)

    assert references(features(client, "")) == {near.reference, far.reference}


def test_category_and_state_filter_and_unknown_values_are_ignored(client, app_context):
    guardrail = create_hazard_report(latitude=37.86, longitude=113.58)
    sign = create_hazard_report(category="sign", latitude=37.87, longitude=113.59)
    closed = create_hazard_report(state=HazardState.CLOSED, latitude=37.88, longitude=113.6)

    assert references(features(client, f"bbox={CITY}&category=sign")) == {sign.reference}
    assert references(features(client, f"bbox={CITY}&state=closed")) == {closed.reference}
    assert references(features(client, f"bbox={CITY}&category=x&state=y")) == {
        guardrail.reference,
        sign.reference,
        closed.reference,
    }


def test_personal_data_is_masked_as_on_the_public_page(client, app_context):
    create_hazard_report(
        location="北大街13912345678门口",
        description="车主电话 13900000000",
        reporter_name="张三丰",
        reporter_phone="13812345678",
        latitude=37.86,
        longitude=113.58,
    )

    answer = client.get(f"/hazards.geojson?bbox={CITY}").get_data(as_text=True)

    assert "北大街139****5678门口" in answer
    for secret in ("13912345678", "13900000000", "张三丰", "13812345678", "车主电话"):
        assert secret not in answer


def test_at_most_the_set_number_of_reports_newest_first_with_a_flag(
    client, app, app_context, monkeypatch
):
    monkeypatch.setitem(app.config, "MAP_MAX_FEATURES", 2)
    now = utcnow()
    made = [
        create_hazard_report(
            latitude=37.86, longitude=113.58, created_at=now - timedelta(hours=hours)
        )
        for hours in range(3)
    ]

    data = features(client)

    assert [f["properties"]["reference"] for f in data["features"]] == [
        made[0].reference,
        made[1].reference,
    ]
    assert data["truncated"] is True
    assert data["limit"] == 2


@pytest.mark.parametrize(
    "bbox", ["", "1,2,3", "113.65,37.8,113.5,37.92", "a,b,c,d", "113.5,37.8,113.65,nan"]
)
def test_a_bbox_that_is_not_a_box_is_refused_with_a_message(client, bbox):
    answer = client.get(f"/hazards.geojson?bbox={bbox}", headers={"Accept-Language": "en"})

    assert answer.status_code == 400
    assert "west,south,east,north" in answer.get_json()["error"]


def test_the_answer_is_kept_by_the_page_cache_until_the_data_changes(cached_app, monkeypatch):
    calls = []
    real = views.public_reports_in
    monkeypatch.setattr(
        views, "public_reports_in", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    client = cached_app.test_client()

    first = client.get(f"/hazards.geojson?bbox={CITY}")
    second = client.get(f"/hazards.geojson?bbox={CITY}")
    with cached_app.app_context():
        reference = create_hazard_report(latitude=37.86, longitude=113.58).reference
    third = client.get(f"/hazards.geojson?bbox={CITY}")

    assert first.data == second.data
    assert len(calls) == 2
    assert reference in third.get_data(as_text=True)


def test_without_tiles_the_map_page_gives_the_list_and_no_page_loads_leaflet(client_request):
    answer = client_request.client.get("/hazards/map?category=sign&state=bogus")

    assert answer.status_code == 302
    assert answer.headers["Location"] == "/hazards/?category=sign"
    for url in ("/", "/hazards/", "/hazards/new?danger=no"):
        page = client_request.client.get(url).get_data(as_text=True)
        assert "leaflet" not in page and "data-map" not in page
        assert "/hazards/map" not in page


def test_with_tiles_the_map_page_is_linked_and_loads_the_map_only_where_used(
    client_request, with_tiles
):
    page = client_request.get("/hazards/map?state=closed")

    # Leaflet itself is fetched by map.js once the map comes near the screen.
    loader = page.find("script", src=re.compile(r"^/static/js/map\.[0-9a-f]{12}\.js$"))
    assert loader["data-leaflet"] == "/map/leaflet/1.9.3/leaflet.js"
    assert loader["data-cluster"] == "/map/markercluster/1.4.1/leaflet.markercluster.js"
    element = page.find(attrs={"data-map": "reports"})
    assert element["data-filters"] == "state=closed"
    assert element["data-area"] == "113.3,37.7,113.8,38.1"
    assert page.find("a", href="/hazards/?state=closed")
    assert client_request.get("/hazards/").find("a", href="/hazards/map")
    assert client_request.get("/").find("a", href="/hazards/map")
    form = client_request.get("/hazards/new?danger=no")
    assert form.find(attrs={"data-map": "pick"})
    assert "markercluster" not in str(form)
    assert "leaflet" not in client_request.client.get("/hazards/").get_data(as_text=True)


def test_leaflet_is_served_from_our_site_for_a_year_by_version(client):
    answer = client.get("/map/leaflet/1.9.3/leaflet.js")

    assert answer.status_code == 200
    assert b"Leaflet 1.9.3" in answer.data
    assert "max-age=31536000" in answer.headers["Cache-Control"]
    assert "immutable" in answer.headers["Cache-Control"]
    assert client.get("/map/leaflet/1.9.2/leaflet.js").status_code == 404
    assert client.get("/map/leaflet/1.9.3/../../../webapp/config.py").status_code == 404
    assert client.get("/map/other/1.0/x.js").status_code == 404
    assert b"BSD 2-Clause" in client.get("/static/map/LICENCES.txt").data


def test_the_csp_admits_exactly_the_configured_tile_hosts(app):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    tianditu = create_app(
        {
            **config,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAP_TILE_URL": "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&tk={key}",
            "MAP_LABEL_URL": "https://t{s}.tianditu.gov.cn/cva_w/wmts?TILEMATRIX={z}&tk={key}",
            "MAP_TILE_SUBDOMAINS": "01",
            "MAP_TILE_KEY": "abc123",
        }
    )

    policy = tianditu.test_client().get("/healthz").headers["Content-Security-Policy"]

    assert "img-src 'self' data: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn;" in policy
    assert "connect-src 'self';" in policy and "script-src 'self';" in policy


def test_older_reports_in_the_box_are_found_past_the_newest_elsewhere(
    client, app, app_context, monkeypatch
):
    monkeypatch.setitem(app.config, "MAP_MAX_FEATURES", 2)
    monkeypatch.setattr(hazard_map, "RECENT_WINDOW", 3)
    now = utcnow()
    older_inside = [
        create_hazard_report(
            latitude=37.86, longitude=113.58, created_at=now - timedelta(days=days)
        )
        for days in (2, 3, 4)
    ]
    for hours in range(3):  # the newest three are elsewhere in the area
        create_hazard_report(
            latitude=38.05, longitude=113.75, created_at=now - timedelta(hours=hours)
        )

    data = features(client)

    assert [f["properties"]["reference"] for f in data["features"]] == [
        older_inside[0].reference,
        older_inside[1].reference,
    ]
    assert data["truncated"] is True
