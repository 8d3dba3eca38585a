"""Template filters and globals shared by every page."""

from datetime import date, datetime

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

from webapp.common.clock import to_local

DEFAULT_BRIGADE_NAME = _l("First Traffic Police Brigade")
DEFAULT_BRIGADE_ADDRESS = _l("Service hall: 1 North Street (Beidajie), city centre")


def brigade_name() -> str:
    return current_app.config.get("BRIGADE_NAME") or str(DEFAULT_BRIGADE_NAME)


def brigade_address() -> str:
    return current_app.config.get("BRIGADE_ADDRESS") or str(DEFAULT_BRIGADE_ADDRESS)


def local_datetime(moment: datetime | None, format: str = "medium") -> str:  # noqa: A002
    """A stored UTC timestamp, shown in Beijing time in the reader's language."""
    if moment is None:
        return ""
    return format_datetime(to_local(moment).replace(tzinfo=None), format, rebase=False)


def local_date(day: date | datetime | None, format: str = "medium") -> str:  # noqa: A002
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return format_date(day, format)


def number(value) -> str:
    return format_decimal(value)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        local_datetime=local_datetime, local_date=local_date, number=number
    )
    app.jinja_env.globals.update(
        brigade_name=brigade_name, brigade_address=brigade_address, nav_items=nav_items
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


# The main navigation: an entry shows once its feature's endpoint exists.
NAV_ITEMS = (
    ("public.home", _l("Home")),
    ("education.section_list:campaigns", _l("Campaigns")),
    ("education.section_list:exposures", _l("Accident exposures")),
    ("education.section_list:knowledge", _l("Safety knowledge")),
    ("hazards.new_report", _l("Report a road hazard")),
    ("appointments.services", _l("Appointments")),
    ("training.new_request", _l("Enterprise training")),
)


def nav_items() -> list[tuple[str, str, bool]]:
    """(url, label, is current page) for each navigation entry whose view exists."""
    return [
        (url, str(label), request.path == url or (url != "/" and request.path.startswith(url)))
        for url, label in _nav_urls()
    ]


def _nav_urls() -> list[tuple[str, object]]:
    """The entries' URLs, built once per app: they never change while it runs."""
    cached = current_app.extensions.get("nav_urls")
    if cached is None:
        cached = []
        for spec, label in NAV_ITEMS:
            endpoint, _, section = spec.partition(":")
            if endpoint in current_app.view_functions:
                arguments = {"section": section} if section else {}
                cached.append((url_for(endpoint, **arguments), label))
        current_app.extensions["nav_urls"] = cached
    return cached
