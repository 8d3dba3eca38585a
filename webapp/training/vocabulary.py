"""The fixed lists a training request chooses from: stable codes, bilingual labels.

The codes are stored and exported; only the labels are translated.
"""

from flask_babel import lazy_gettext as _l

INDUSTRIES = {
    "passenger_transport": _l("Passenger transport"),
    "freight_logistics": _l("Freight and logistics"),
    "hazardous_goods": _l("Hazardous goods"),
    "school_transport": _l("School transport"),
    "construction_mining": _l("Construction and mining"),
    "tobacco_retail": _l("Tobacco and retail distribution"),
    "food_delivery": _l("Food delivery and couriers"),
    "manufacturing": _l("Manufacturing"),
    "public_institution": _l("Public institution"),
    "other": _l("Other"),
}

TOPICS = {
    "drunk_driving": _l("Drunk driving"),
    "fatigue_long_haul": _l("Fatigue and long-haul driving"),
    "helmets_ebikes": _l("Helmets and e-bikes"),
    "truck_blind_spots": _l("Heavy-truck blind spots"),
    "passenger_hazmat": _l("Passenger coaches, tour buses and hazardous-goods vehicles"),
    "accident_cases": _l("Accident case studies"),
    "winter_night_driving": _l("Winter and night driving"),
    "crash_first_aid": _l("First aid at a crash scene"),
}

VENUES = {
    "on_site": _l("At our company (on site)"),
    "brigade": _l("At the traffic police brigade"),
}
ON_SITE = "on_site"


def industry_label(code: str) -> str:
    return str(INDUSTRIES.get(code, code))


def topic_label(code: str) -> str:
    return str(TOPICS.get(code, code))


def venue_label(code: str) -> str:
    return str(VENUES.get(code, code))
