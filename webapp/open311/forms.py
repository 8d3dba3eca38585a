"""What a partner sends: a new service request (the web form's own checks) and list filters."""

import re
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from webapp.common.identifiers import normalise_reference
from webapp.common.validators import FIRST_DATE, LAST_DATE, is_portal_date
from webapp.hazards.categories import Category
from webapp.hazards.forms import HazardReportForm
from webapp.open311.services import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RequestQuery

# The web form's field for each GeoReport v2 argument, so that an error names the
# argument the partner sent.
FORM_FIELDS = {
    "service_code": "category",
    "address_string": "location",
    "lat": "latitude",
    "long": "longitude",
    "description": "description",
    "first_name": "reporter_name",
    "phone": "reporter_phone",
}
GEOREPORT_NAMES = {field: argument for argument, field in FORM_FIELDS.items()}
STATUSES = frozenset({"open", "closed"})
MAX_IDS = 100
# What a reference can look like (H20260315-7KQ2XM); anything else matches no report
# and is never sent to the database (PostgreSQL refuses NUL characters, for one).
REFERENCE_SHAPE = re.compile(r"[A-Z0-9-]{1,20}")


class PartnerReportForm(HazardReportForm):
    """The resident's report form, checked the same way, without photos or a CSRF token.

    The API authenticates by key instead of a session; media_url is not fetched
    (the server never downloads from an address a client names).
    """

    class Meta:
        csrf = False

    photos = None

    def problems(self) -> list[str]:
        """One message per problem, each led by the GeoReport argument it concerns."""
        return [
            f"{GEOREPORT_NAMES.get(field.name, field.name)}: {message}"
            for field in self
            if field.name in GEOREPORT_NAMES
            for message in field.errors
        ]


def partner_formdata(sent: MultiDict) -> MultiDict:
    """The web form's fields filled from a GeoReport v2 POST."""
    name = " ".join(
        part for part in (sent.get("first_name", ""), sent.get("last_name", "")) if part.strip()
    )
    data = MultiDict({field: sent.get(argument, "") for argument, field in FORM_FIELDS.items()})
    data["reporter_name"] = name
    # Consent is given under the partner agreement: the partner collects it from
    # the resident before sending the report on, so the API has no consent box.
    data["consent"] = "y"
    return data


class InvalidQuery(Exception):
    def __init__(self, problems: list):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def parse_request_query(args: MultiDict) -> RequestQuery:
    """The filters of GET requests.json, checked. Raises InvalidQuery listing every problem."""
    problems: list = []
    ids = tuple(_comma_list(args.get("service_request_id", "")))
    if len(ids) > MAX_IDS:
        problems.append(_l("service_request_id: give at most 100 references."))
    service_code = args.get("service_code", "").strip()
    if service_code and service_code not in set(Category):
        problems.append(_l("service_code: there is no service with this code."))
    statuses = frozenset(_comma_list(args.get("status", "")))
    if not statuses <= STATUSES:
        problems.append(_l("status: use open, closed, or both separated by a comma."))
    start = _moment(args, "start_date", problems)
    end = _moment(args, "end_date", problems)
    if start and end and start > end:
        problems.append(_l("end_date: must not be before start_date."))
    page = _whole_number(args, "page", default=1, high=100_000, problems=problems)
    size = _whole_number(
        args, "page_size", default=DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE, problems=problems
    )
    if problems:
        raise InvalidQuery(problems)
    return RequestQuery(
        ids=_references(ids) if ids else None,
        service_code=service_code,
        statuses=statuses,
        start=start,
        end=end,
        page=page,
        page_size=size,
    )


def is_reference(text: str) -> bool:
    return REFERENCE_SHAPE.fullmatch(text) is not None


def _references(raw_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The ids that can be references (possibly none, which then matches nothing)."""
    return tuple(ref for ref in map(normalise_reference, raw_ids) if is_reference(ref))


def _comma_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


# A "+" left unencoded in a query string arrives as a space: "...T08:00:00 08:00".
_SPACE_BEFORE_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def _moment(args: MultiDict, name: str, problems: list) -> datetime | None:
    """An ISO 8601 date and time with its time zone, as naive UTC (the stored form)."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(_SPACE_BEFORE_OFFSET.sub(r"+\1", raw))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        problems.append(
            _l(
                "%(name)s: give an ISO 8601 date and time with its time zone, e.g. 2026-11-01T00:00:00+08:00.",
                name=name,
            )
        )
        return None
    # Checked in its own time zone, before the conversion that overflows at the
    # ends of the calendar (0001-01-01T00:00:00+08:00 is in year 0 in UTC).
    if not is_portal_date(value.date()):
        problems.append(
            _l(
                "%(name)s: give a date from %(first)s to %(last)s.",
                name=name,
                first=FIRST_DATE.isoformat(),
                last=LAST_DATE.isoformat(),
            )
        )
        return None
    return value.astimezone(UTC).replace(tzinfo=None)


def _whole_number(args: MultiDict, name: str, *, default: int, high: int, problems: list) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    # The length first: int() refuses a number of thousands of digits with a ValueError.
    readable = raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))
    if not readable or not 1 <= int(raw) <= high:
        problems.append(
            _l("%(name)s: give a whole number from 1 to %(high)d.", name=name, high=high)
        )
        return default
    return int(raw)
