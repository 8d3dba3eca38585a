"""The WGS84 / GCJ-02 conversion against published reference pairs, and the map's box."""

import pytest

from webapp.common.geo import BBox, gcj02_to_wgs84, parse_bbox, wgs84_to_gcj02
from webapp.hazards.geo import haversine_m

# (WGS84 latitude, longitude, GCJ-02 latitude, longitude): the test vectors published
# with the widely used eviltransform library (Shanghai, Shenzhen, Beijing).
REFERENCE_PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), REFERENCE_PAIRS)
def test_a_gps_point_lands_where_the_reference_puts_it_on_gcj02_tiles(
    wgs_lat, wgs_lon, gcj_lat, gcj_lon
):
    latitude, longitude = wgs84_to_gcj02(wgs_lat, wgs_lon)

    assert latitude == pytest.approx(gcj_lat, abs=1e-9)
    assert longitude == pytest.approx(gcj_lon, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), REFERENCE_PAIRS)
def test_a_point_picked_on_gcj02_tiles_comes_back_to_its_gps_point(
    wgs_lat, wgs_lon, gcj_lat, gcj_lon
):
    latitude, longitude = gcj02_to_wgs84(gcj_lat, gcj_lon)

    assert haversine_m(latitude, longitude, wgs_lat, wgs_lon) < 0.05


def test_the_offset_in_our_city_is_hundreds_of_metres_and_is_undone():
    wgs = (37.8612, 113.5801)
    gcj = wgs84_to_gcj02(*wgs)

    assert 100 < haversine_m(*wgs, *gcj) < 1000
    assert haversine_m(*gcj02_to_wgs84(*gcj), *wgs) < 0.05


@pytest.mark.parametrize(
    "point",
    [(51.5007, -0.1246), (35.6586, 139.7454), (55.7539, 37.6208), (-33.8568, 151.2153)],
    ids=["london", "tokyo", "moscow", "sydney"],
)
def test_a_point_outside_china_is_unchanged_both_ways(point):
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


def test_a_bbox_is_read_in_geojson_order_and_written_back_the_same():
    box = parse_bbox("113.5,37.8,113.65,37.92")

    assert box == BBox(west=113.5, south=37.8, east=113.65, north=37.92)
    assert str(box) == "113.5,37.8,113.65,37.92"
    assert box.holds(37.86, 113.58)
    assert not box.holds(37.95, 113.58)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "113.5,37.8,113.65",
        "113.5,37.8,113.65,37.92,1",
        "west,south,east,north",
        "113.65,37.8,113.5,37.92",  # west east of east
        "113.5,37.92,113.65,37.8",  # south north of north
        "113.5,37.8,113.65,nan",
        "113.5,37.8,inf,37.92",
        "-200,37.8,113.65,37.92",
        "113.5,-95,113.65,37.92",
        "1" * 30 + ",37.8,113.65,37.92",
    ],
)
def test_anything_but_a_box_on_the_globe_is_no_bbox(text):
    assert parse_bbox(text) is None
