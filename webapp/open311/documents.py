"""GeoReport v2 documents (http://wiki.open311.org/GeoReport_v2) built from hazard reports.

Only what the public page of a report shows goes in: no reporter name or phone,
and the description, location and messages masked as on that page.
"""

from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.common.clock import to_local
from webapp.common.identifiers import mask_personal_data_in_text
from webapp.common.workdays import deadline
from webapp.hazards.categories import Category, category_label
from webapp.hazards.models import HazardReport
from webapp.templating import brigade_name

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the API last changed in a way a client would notice (discovery's changeset).
CHANGESET = datetime(2026, 11, 27, 0, 0)
FORMATS = ["application/json"]
PAGING_NOTE = "page (from 1), page_size (1-100, default 50)"

SERVICE_DESCRIPTIONS = {
    Category.GUARDRAIL: _l("Guardrails that are bent, broken or missing."),
    Category.SIGN: _l("Traffic signs that are damaged, hidden, wrong or missing."),
    Category.SIGNAL: _l("Traffic signals that are dark, stuck, or badly timed."),
    Category.MARKING: _l("Lane lines, crossings and other markings that are hard to see."),
    Category.CROSSING: _l("Places where people cross the road but no crossing is marked."),
    Category.ROAD_SURFACE: _l("Potholes, sunken or broken road surface, loose covers."),
    Category.SIGHT_LINE: _l("Trees, billboards or structures that hide traffic at a junction."),
    Category.SCHOOL_ZONE: _l("Missing signs, markings or calming measures near a school."),
    Category.CONSTRUCTION: _l("Road works without fences, warning signs or night lights."),
    Category.PARKING_HOTSPOT: _l("Places where illegal parking repeatedly endangers traffic."),
    Category.LIGHTING: _l("Street lights that are out, or roads too dark at night."),
    Category.OTHER: _l("Any other hazard to road traffic."),
}


def iso(moment: datetime | None) -> str | None:
    """A stored naive UTC time as ISO 8601 in Beijing time, e.g. 2026-11-27T09:30:00+08:00."""
    if moment is None:
        return None
    return to_local(moment).replace(microsecond=0).isoformat()


def error_list(code: int, descriptions: list) -> list[dict]:
    """The GeoReport v2 error format: one object per problem."""
    return [{"code": code, "description": str(text)} for text in descriptions]


def discovery_document() -> dict:
    endpoint = url_for("open311.discovery", _external=True).rsplit("/", 1)[0]
    hotline = current_app.config.get("BRIGADE_HOTLINE", "")
    return {
        "changeset": iso(CHANGESET),
        "contact": f"{brigade_name()} {hotline}".strip(),
        "key_service": _(
            "API keys for creating requests are issued by the brigade's administrators to partner agencies."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint,
                "changeset": iso(CHANGESET),
                "type": "production",
                "formats": FORMATS,
                # Not in GeoReport v2, which has no paging: requests.json takes these.
                "paging": PAGING_NOTE,
            }
        ],
    }


def service_document(category: Category) -> dict:
    label = category_label(category)
    return {
        "service_code": category.value,
        "service_name": label,
        "description": str(SERVICE_DESCRIPTIONS[category]),
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join((category.value.replace("_", " "), label)),
        "group": _("road hazards"),
    }


def service_list() -> list[dict]:
    return [service_document(category) for category in Category]


def service_definition(category: Category) -> dict:
    """No service has metadata, so each definition has no attributes."""
    return {"service_code": category.value, "attributes": []}


def request_document(report: HazardReport, *, status_note: str = "") -> dict:
    return {
        "service_request_id": report.reference,
        "status": "open" if report.is_open else "closed",
        "status_notes": mask_personal_data_in_text(status_note) or None,
        "service_name": report.category_label,
        "service_code": report.category,
        "description": report.public_description,
        "agency_responsible": report.responsible_party if report.is_referred else brigade_name(),
        "service_notice": _service_notice(report),
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.state_changed_at),
        "expected_datetime": iso(_expected(report)),
        "address": report.public_location,
        "address_id": None,
        "zipcode": None,
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": _media_url(report),
    }


def _expected(report: HazardReport) -> datetime | None:
    """When the current step should be done, from the working-day targets (open only)."""
    if not report.is_open:
        return None
    return deadline(report.SUBJECT_TYPE, report.state, report.state_changed_at)


def _service_notice(report: HazardReport) -> str:
    original = report.duplicate_of
    if report.is_duplicate and original is not None and not original.is_private:
        return _("Duplicate: the same hazard as %(reference)s.", reference=original.reference)
    return report.state_label


def _media_url(report: HazardReport) -> str | None:
    if not report.photos:
        return None
    first = report.photos[0]
    return url_for(
        "hazards.photo", reference=report.reference, position=first.position, _external=True
    )


def submitted_document(report: HazardReport) -> list[dict]:
    return [
        {
            "service_request_id": report.reference,
            "service_notice": _(
                "Received. Follow the report at %(url)s",
                url=url_for("hazards.report_detail", reference=report.reference, _external=True),
            ),
            "account_id": None,
        }
    ]
