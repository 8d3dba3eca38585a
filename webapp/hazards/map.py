"""Reports as places: the public map's GeoJSON and an officer's neighbours on the map."""

import json
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, url_for
from sqlalchemy import bindparam, select
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


# A full map's newest reports are looked for among this many newest public reports first.
RECENT_WINDOW = 10_000


def public_reports_in(
    box: BBox, *, category: str = "", state: str = "", limit: int | None = None
) -> MapAnswer:
    """Public reports placed in the box, newest first, at most `limit` (then truncated).

    Plain rows of MAP_COLUMNS, not report objects: a full map reads a thousand.
    A box that holds many reports (a city at a wide zoom) fills the map from the newest
    reports alone, found in the time order of the public list's index, so its cost
    stays the same however many older reports there are; a box that holds few (a street)
    is read from the map's index (`ix_hazard_reports_map`) and its few rows sorted.
    Either way the answer is the box's newest `limit` reports.
    """
    limit = max_features() if limit is None else limit
    values = {
        "category": category,
        "state": state,
        "west": box.west,
        "south": box.south,
        "east": box.east,
        "north": box.north,
        "among": RECENT_WINDOW,
        "wanted": limit + 1,
    }
    filters = (bool(category), bool(state))
    rows = db.session.execute(_newest_in_box(*filters), values).all()
    if len(rows) <= limit:  # the recent reports do not fill the map: the box's own, all
        rows = db.session.execute(_in_box_newest_first(*filters), values).all()
    return MapAnswer(rows=rows[:limit], limit=limit, truncated=len(rows) > limit)


# The two queries are built once per worker for each choice of filters, their values
# bound when run: building a statement costs more than running it on a small table.
NEWEST_FIRST = (HazardReport.created_at.desc(), HazardReport.id.desc())


def _public(by_category: bool, by_state: bool) -> list:
    conditions = [HazardReport.is_private.is_(False)]
    if by_category:
        conditions.append(HazardReport.category == bindparam("category"))
    if by_state:
        conditions.append(HazardReport.state == bindparam("state"))
    return conditions


def _in_box(columns) -> tuple:
    return (
        columns.latitude.between(bindparam("south"), bindparam("north")),
        columns.longitude.between(bindparam("west"), bindparam("east")),
    )


@lru_cache(maxsize=4)
def _newest_in_box(by_category: bool, by_state: bool):
    """The box's newest `wanted` among the `among` newest reports meeting the filters
    (exact when as many are found: nothing older can come before them)."""
    recent = (
        select(*MAP_COLUMNS, HazardReport.created_at, HazardReport.id)
        .where(*_public(by_category, by_state))
        .order_by(*NEWEST_FIRST)
        .limit(bindparam("among"))
        .subquery()
    )
    return (
        select(*(recent.c[column.key] for column in MAP_COLUMNS))
        .where(*_in_box(recent.c))
        .order_by(recent.c.created_at.desc(), recent.c.id.desc())
        .limit(bindparam("wanted"))
    )


@lru_cache(maxsize=4)
def _in_box_newest_first(by_category: bool, by_state: bool):
    """The box's newest `wanted`: the ids from the map's index alone, then their rows."""
    ids = (
        select(HazardReport.id)
        .where(*_public(by_category, by_state), *_in_box(HazardReport))
        .order_by(*NEWEST_FIRST)
        .limit(bindparam("wanted"))
        .scalar_subquery()
    )
    return select(*MAP_COLUMNS).where(HazardReport.id.in_(ids)).order_by(*NEWEST_FIRST)


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


def as_json(value) -> str:
    """Chinese as itself and no spaces: a third of the bytes of the escaped form."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=8192)
def encoded_feature(row: tuple, report_url: str) -> str:
    """A marker's JSON, made once per worker for each (unchanged) row: the row is the key,
    so a changed state or place is a new entry, never a stale one."""
    return as_json(as_feature(row, report_url=report_url))


def feature_collection_json(answer: MapAnswer) -> str:
    """The answer as GeoJSON text: a FeatureCollection of the kept markers, with the
    limit and whether the box held more."""
    report_url = url_for("hazards.report_detail", reference="REF")
    features = ",".join(encoded_feature(tuple(row), report_url) for row in answer.rows)
    return (
        f'{{"type":"FeatureCollection","features":[{features}],'
        f'"limit":{as_json(answer.limit)},"truncated":{as_json(answer.truncated)}}}'
    )


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
