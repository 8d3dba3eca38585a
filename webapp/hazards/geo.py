"""Distances on the ground, for the duplicate hint and the brigade's area."""

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE_LATITUDE = 111_320


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in metres."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(sqrt(a))


def bounding_box(latitude: float, longitude: float, radius_m: float):
    """(south, west, north, east) of a box holding every point within radius_m."""
    dlat = radius_m / METRES_PER_DEGREE_LATITUDE
    dlon = radius_m / (METRES_PER_DEGREE_LATITUDE * max(cos(radians(latitude)), 0.01))
    return latitude - dlat, longitude - dlon, latitude + dlat, longitude + dlon


def inside(bounds, latitude: float, longitude: float) -> bool:
    south, west, north, east = bounds
    return south <= latitude <= north and west <= longitude <= east
