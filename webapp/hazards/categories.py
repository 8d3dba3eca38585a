"""The fixed vocabulary of hazard categories (SPEC.md §2), stored as stable codes."""

from enum import StrEnum
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


class Category(StrEnum):
    GUARDRAIL = "guardrail"
    SIGN = "sign"
    SIGNAL = "signal"
    MARKING = "marking"
    CROSSING = "crossing"
    ROAD_SURFACE = "road_surface"
    SIGHT_LINE = "sight_line"
    SCHOOL_ZONE = "school_zone"
    CONSTRUCTION = "construction"
    PARKING_HOTSPOT = "parking_hotspot"
    LIGHTING = "lighting"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.GUARDRAIL: _l("Damaged guardrail"),
    Category.SIGN: _l("Damaged or missing sign"),
    Category.SIGNAL: _l("Traffic signal fault"),
    Category.MARKING: _l("Faded road markings"),
    Category.CROSSING: _l("Missing pedestrian crossing"),
    Category.ROAD_SURFACE: _l("Road surface damage"),
    Category.SIGHT_LINE: _l("Blocked sight line"),
    Category.SCHOOL_ZONE: _l("School zone"),
    Category.CONSTRUCTION: _l("Construction site"),
    Category.PARKING_HOTSPOT: _l("Illegal parking hotspot"),
    Category.LIGHTING: _l("Street lighting"),
    Category.OTHER: _l("Other"),
}

# Categories where an emergency is likely enough that the form repeats
# "an accident, an injury or a blocked road now: call 122 or 110" beside them.
EMERGENCY_PRONE = frozenset(
    {Category.SIGNAL, Category.ROAD_SURFACE, Category.CONSTRUCTION, Category.GUARDRAIL}
)

# What the brigade usually asks the responsible party to do, for the referral letter.
RECTIFICATION_REQUESTS = {
    Category.GUARDRAIL: "修复或更换受损护栏，恢复防护功能。",
    Category.SIGN: "修复、补设或更换相关交通标志标牌。",
    Category.SIGNAL: "检修信号灯设施，优化配时，恢复正常运行。",
    Category.MARKING: "重新施划模糊、缺失的交通标线。",
    Category.CROSSING: "论证并施划人行横道，设置相应标志及安全设施。",
    Category.ROAD_SURFACE: "修补破损路面，施工期间设置警示标志。",
    Category.SIGHT_LINE: "清除或修剪遮挡视线的障碍物，保证通视。",
    Category.SCHOOL_ZONE: "完善校园周边标志、标线及减速设施。",
    Category.CONSTRUCTION: "规范施工围挡，设置警示、导向标志及夜间警示灯。",
    Category.PARKING_HOTSPOT: "完善禁停标志标线，配合开展违停治理。",
    Category.LIGHTING: "检修或增设道路照明设施。",
    Category.OTHER: "核查现场情况并及时整改。",
}


@lru_cache(maxsize=8)
def _translated(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((category.value, str(label)) for category, label in CATEGORY_LABELS.items())


def category_choices() -> list[tuple[str, str]]:
    """(code, label) pairs in the reader's language, translated once per language."""
    return list(_translated(str(get_locale())))


@lru_cache(maxsize=8)
def _label_map(locale: str) -> dict[str, str]:
    return dict(_translated(locale))


def category_label(code: str) -> str:
    return _label_map(str(get_locale())).get(code, code)
