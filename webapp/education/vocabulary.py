"""The fixed vocabularies of the content schema, with their labels in both languages.

Codes are what the content files write; labels are what readers see.
"""

from flask_babel import lazy_gettext as _l

SECTIONS = {
    "campaigns": _l("Campaigns"),
    "exposures": _l("Accident exposures"),
    "knowledge": _l("Safety knowledge"),
    "notices": _l("Notices"),
}

# The fixed list of accident causes (issue 3; content schema).
CAUSES = {
    "drunk_driving": _l("Drink or drunk driving"),
    "speeding": _l("Speeding"),
    "no_helmet": _l("No helmet"),
    "red_light": _l("Running a red light"),
    "fatigue": _l("Fatigue"),
    "illegal_passengers": _l("Illegal passengers"),
    "overloading": _l("Overloading"),
    "unlicensed": _l("Unlicensed driving"),
    "failure_to_yield": _l("Failure to yield to pedestrians"),
    "wrong_way": _l("Wrong-way riding"),
    "other": _l("Other"),
}

ROAD_TYPES = {
    "expressway": _l("Expressway"),
    "national_road": _l("National road"),
    "provincial_road": _l("Provincial road"),
    "county_road": _l("County road"),
    "village_road": _l("Village road"),
    "urban_road": _l("Urban road"),
    "intersection": _l("Intersection"),
}


def section_label(code: str) -> str:
    return str(SECTIONS[code])


def cause_label(code: str) -> str:
    return str(CAUSES[code])


def road_type_label(code: str) -> str:
    return str(ROAD_TYPES[code])


def register_labels(state) -> None:
    """Make the label functions available to every template."""
    state.app.jinja_env.globals.update(
        section_label=section_label, cause_label=cause_label, road_type_label=road_type_label
    )
