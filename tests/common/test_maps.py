"""The tile source read from the configuration, and the hosts the CSP admits for it."""

import pytest

from webapp.common.maps import tile_origins, tile_source

AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"


def test_no_tile_url_means_no_map_and_no_tile_host():
    assert tile_source({"MAP_TILE_URL": ""}) is None
    assert tile_origins({}) == []


def test_the_key_is_put_in_place_and_subdomains_are_read_as_leaflet_reads_them():
    source = tile_source(
        {
            "MAP_TILE_URL": "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk={key}",
            "MAP_LABEL_URL": "https://t{s}.tianditu.gov.cn/cva_w/wmts?tk={key}",
            "MAP_TILE_SUBDOMAINS": "0123",
            "MAP_TILE_KEY": "k1",
        }
    )

    assert source.url.endswith("tk=k1") and source.label_url.endswith("tk=k1")
    assert source.subdomains == ["0", "1", "2", "3"]
    assert source.crs == "wgs84"
    assert tile_source({"MAP_TILE_URL": AMAP, "MAP_TILE_SUBDOMAINS": "a1, a2"}).subdomains == [
        "a1",
        "a2",
    ]


def test_each_subdomain_is_one_host_of_the_csp_and_nothing_else():
    config = {"MAP_TILE_URL": AMAP, "MAP_TILE_SUBDOMAINS": "12", "MAP_CRS": "gcj02"}

    assert tile_origins(config) == [
        "https://webrd01.is.autonavi.com",
        "https://webrd02.is.autonavi.com",
    ]
    assert tile_origins({"MAP_TILE_URL": "http://127.0.0.1:8080/{z}/{x}/{y}.png"}) == [
        "http://127.0.0.1:8080"
    ]


def test_an_unknown_datum_stops_the_app_rather_than_misplace_every_pin():
    with pytest.raises(SystemExit, match="MAP_CRS"):
        tile_source({"MAP_TILE_URL": AMAP, "MAP_CRS": "bd09"})
