"""Reports as places: the public map's GeoJSON and an officer's neighbours on the map."""

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import lazyload, load_only

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
    HazardReport.id,
    HazardReport.reference,
    HazardReport.category,
    HazardReport.location,
    HazardReport.state,
    HazardReport.latitude,
    HazardReport.longitude,
    HazardReport.created_at,
)


@dataclass(frozen=True)
class MapAnswer:
    reports: list[HazardReport]
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
    """Public reports placed in the box, newest first, at most `limit` (then truncated)."""
    limit = max_features() if limit is None else limit
    query = (
        HazardReport.public()
        .options(
            load_only(*MAP_COLUMNS, raiseload=True),
            lazyload(HazardReport.assignee),
            lazyload(HazardReport.duplicate_of),
        )
        .where(
            HazardReport.latitude.between(box.south, box.north),
            HazardReport.longitude.between(box.west, box.east),
        )
    )
    if category:
        query = query.where(HazardReport.category == category)
    if state:
        query = query.where(HazardReport.state == state)
    query = query.order_by(HazardReport.created_at.desc(), HazardReport.id.desc())
    rows = list(db.session.scalars(query.limit(limit + 1)))
    return MapAnswer(reports=rows[:limit], limit=limit, truncated=len(rows) > limit)


def as_feature(report: HazardReport) -> dict:
    """One marker: the place as the public page shows it (masked), never who reported it."""
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(report.longitude, 6), round(report.latitude, 6)],
        },
        "properties": {
            "reference": report.reference,
            "category": report.category,
            "state": report.state,
            "place": mask_personal_data_in_text(report.location),
            "url": url_for("hazards.report_detail", reference=report.reference),
        },
    }


def as_feature_collection(answer: MapAnswer) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [as_feature(report) for report in answer.reports],
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
