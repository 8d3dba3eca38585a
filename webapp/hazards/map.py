"""Reports as places: the public map's GeoJSON and an officer's neighbours on the map."""

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from webapp.common.geo import BBox
from webapp.common.identifiers import mask_personal_data_in_text
from webapp.extensions import db
from webapp.hazards.geo import bounding_box, haversine_m
from webapp.hazards.models import HazardReport
from webapp.hazards.services import area_bounds
from webapp.hazards.states import state_label

NEIGHBOUR_RADIUS_M = 150
# What a marker shows: nothing more is read, so nothing personal can reach the map.
MAP_COLUMNS = (
    HazardReport.reference,
    HazardReport.category,
    HazardReport.location,
    HazardReport.state,
    HazardReport.latitude,
    HazardReport.longitude,
)


@dataclass(frozen=True)
class MapAnswer:
    rows: list  # (reference, category, location, state, latitude, longitude)
    limit: int
    truncated: bool


def area_box() -> BBox:
    """The brigade's area (AREA_BOUNDS) as a map's box."""
    south, west, north, east = area_bounds()
    return BBox(west=west, south=south, east=east, north=north)


def max_features() -> int:
    return current_app.config["MAP_MAX_FEATURES"]


def public_reports_in(
    box: BBox, *, category: str = "", state: str = "", limit: int | None = None
) -> MapAnswer:
    """Public reports placed in the box, newest first, at most `limit` (then truncated).

    Plain rows of MAP_COLUMNS, not report objects: a full map reads a thousand.
    """
    limit = max_features() if limit is None else limit
    newest_first = (HazardReport.created_at.desc(), HazardReport.id.desc())
    # The ids first, from the map's index alone; then the rows of those few.
    ids = select(HazardReport.id).where(
        HazardReport.is_private.is_(False),
        HazardReport.latitude.between(box.south, box.north),
        HazardReport.longitude.between(box.west, box.east),
    )
    if category:
        ids = ids.where(HazardReport.category == category)
    if state:
        ids = ids.where(HazardReport.state == state)
    chosen = ids.order_by(*newest_first).limit(limit + 1).scalar_subquery()
    query = select(*MAP_COLUMNS).where(HazardReport.id.in_(chosen)).order_by(*newest_first)
    rows = db.session.execute(query).all()
    return MapAnswer(rows=rows[:limit], limit=limit, truncated=len(rows) > limit)


@lru_cache(maxsize=8192)
def masked_place(location: str) -> str:
    """The place as the public page shows it; masked once per worker, as a map is read
    again and again and masking is the costliest part of a marker."""
    return mask_personal_data_in_text(location)


def as_feature(row, *, report_url: str) -> dict:
    """One marker: the place as the public page shows it (masked), never who reported it."""
    reference, category, location, state, latitude, longitude = row
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]},
        "properties": {
            "reference": reference,
            "category": category,
            "state": state,
            "place": masked_place(location),
            "url": report_url.replace("REF", reference),
        },
    }


def as_feature_collection(answer: MapAnswer) -> dict:
    report_url = url_for("hazards.report_detail", reference="REF")
    return {
        "type": "FeatureCollection",
        "features": [as_feature(row, report_url=report_url) for row in answer.rows],
        "limit": answer.limit,
        "truncated": answer.truncated,
    }


def neighbours_of(
    report: HazardReport, *, radius_m: float = NEIGHBOUR_RADIUS_M
) -> list[tuple[HazardReport, int]]:
    """Other reports (any state, public or not: for officers) within radius_m, nearest first."""
    if not report.has_coordinates:
        return []
    south, west, north, east = bounding_box(report.latitude, report.longitude, radius_m)
    candidates = db.session.scalars(
        select(HazardReport)
        .where(
            HazardReport.id != report.id,
            HazardReport.latitude.between(south, north),
            HazardReport.longitude.between(west, east),
        )
        .options(lazyload(HazardReport.assignee), lazyload(HazardReport.duplicate_of))
        .limit(200)
    )
    found = []
    for other in candidates:
        metres = haversine_m(report.latitude, report.longitude, other.latitude, other.longitude)
        if metres <= radius_m:
            found.append((other, round(metres)))
    return sorted(found, key=lambda pair: pair[1])[:20]


def officer_map_points(report: HazardReport, neighbours: list) -> list[dict]:
    """The report first, then its neighbours, as the officer's map draws them."""
    return [
        {
            "lat": item.latitude,
            "lng": item.longitude,
            "reference": item.reference,
            "state": item.state,
            "label": state_label(item.state),
            "place": item.location,
            "url": url_for("hazards_staff.detail", reference=item.reference),
        }
        for item in [report, *(other for other, _metres in neighbours)]
    ]


def box_around(report: HazardReport, *, radius_m: float = NEIGHBOUR_RADIUS_M) -> BBox:
    """The box holding every point within radius_m of the report (it must be placed)."""
    south, west, north, east = bounding_box(report.latitude, report.longitude, radius_m)
    return BBox(west=west, south=south, east=east, north=north)
