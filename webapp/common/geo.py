"""Coordinates on Chinese maps, and the map's box in a URL.

Reports are stored in WGS84, as GPS, photo EXIF and a browser's geolocation give
them. Most Chinese commercial tiles (高德, and others) are drawn in GCJ-02, a
datum offset by a few hundred metres inside China and equal to WGS84 outside it:
a point goes to GCJ-02 to be drawn on such tiles, and comes back from it when it
is picked. webapp/static/js/geo.js is the same conversion for the browser
(tests/browser/test_map.py checks that the two agree).
"""

from dataclasses import dataclass
from math import cos, pi, sin, sqrt

# The Krasovsky 1940 ellipsoid the GCJ-02 offset is computed on.
KRASOVSKY_A = 6_378_245.0
KRASOVSKY_EE = 0.00669342162296594323
# Outside this rough rectangle the datum is WGS84 itself.
CHINA_WEST, CHINA_EAST, CHINA_SOUTH, CHINA_NORTH = 72.004, 137.8347, 0.8293, 55.8271
# gcj02_to_wgs84 stops when a step moves the point by less than this (about 1 cm).
INVERSE_TOLERANCE_DEGREES = 1e-7


def outside_china(latitude: float, longitude: float) -> bool:
    return not (CHINA_WEST <= longitude <= CHINA_EAST and CHINA_SOUTH <= latitude <= CHINA_NORTH)


def _offset_latitude(x: float, y: float) -> float:
    value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    value += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    value += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    value += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    return value


def _offset_longitude(x: float, y: float) -> float:
    value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    value += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    value += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    value += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    return value


def _gcj02_offset(latitude: float, longitude: float) -> tuple[float, float]:
    """GCJ-02 minus WGS84 at a WGS84 point, in degrees (latitude, longitude)."""
    x, y = longitude - 105.0, latitude - 35.0
    radians_latitude = latitude / 180.0 * pi
    magic = 1 - KRASOVSKY_EE * sin(radians_latitude) ** 2
    d_latitude = (_offset_latitude(x, y) * 180.0) / (
        (KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrt(magic)) * pi
    )
    d_longitude = (_offset_longitude(x, y) * 180.0) / (
        KRASOVSKY_A / sqrt(magic) * cos(radians_latitude) * pi
    )
    return d_latitude, d_longitude


def wgs84_to_gcj02(latitude: float, longitude: float) -> tuple[float, float]:
    """Where a GPS point is drawn on GCJ-02 tiles; unchanged outside China."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    d_latitude, d_longitude = _gcj02_offset(latitude, longitude)
    return latitude + d_latitude, longitude + d_longitude


def gcj02_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """The GPS point of a point picked on GCJ-02 tiles (to about a centimetre).

    The offset has no closed inverse: step the guess until its GCJ-02 image
    lands on the picked point.
    """
    if outside_china(latitude, longitude):
        return latitude, longitude
    guess_latitude, guess_longitude = latitude, longitude
    for _step in range(30):
        drawn_latitude, drawn_longitude = wgs84_to_gcj02(guess_latitude, guess_longitude)
        error_latitude, error_longitude = drawn_latitude - latitude, drawn_longitude - longitude
        guess_latitude -= error_latitude
        guess_longitude -= error_longitude
        if max(abs(error_latitude), abs(error_longitude)) < INVERSE_TOLERANCE_DEGREES:
            break
    return guess_latitude, guess_longitude


@dataclass(frozen=True)
class BBox:
    """A map's view as `west,south,east,north` in WGS84 degrees (GeoJSON's order)."""

    west: float
    south: float
    east: float
    north: float

    def __str__(self) -> str:
        return ",".join(f"{value:.6f}".rstrip("0").rstrip(".") for value in self.corners)

    @property
    def corners(self) -> tuple[float, float, float, float]:
        return self.west, self.south, self.east, self.north

    def holds(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def parse_bbox(text: str | None) -> BBox | None:
    """`west,south,east,north` as a BBox, or None when it is not four numbers that make
    a box on the globe (west < east: a box across the antimeridian is not needed here)."""
    parts = (text or "").split(",")
    if len(parts) != 4 or any(len(part) > 20 for part in parts):
        return None
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        return None
    box = BBox(west=west, south=south, east=east, north=north)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return box
