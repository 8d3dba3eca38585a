"""Checks of front matter and data files against the content schema.

Every check raises ContentError naming the file and the field, so that a bad
file stops start-up with a message its author can act on.
"""

import re
from dataclasses import dataclass
from datetime import date

from webapp.education.vocabulary import CAUSES, ROAD_TYPES

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
TAG_CODE = SLUG
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE = date(2000, 1, 1)
COMMON_FIELDS = {"title", "date", "summary", "tags", "cover"}
EXPOSURE_FIELDS = {"accident_date", "road_type", "vehicles", "causes", "casualties", "lesson"}
# Facts that the Chinese and English files of one article must share.
SHARED_FIELDS = ("date", "tags", "accident_date", "road_type", "causes", "casualties")


class ContentError(ValueError):
    """A content file breaks the schema."""

    def __init__(self, file: str, field: str | None, problem: str):
        self.file, self.field, self.problem = file, field, problem
        where = f"{file}: field '{field}'" if field else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Exposure:
    accident_date: date
    road_type: str
    vehicles: tuple[str, ...]
    causes: tuple[str, ...]
    deaths: int
    injuries: int
    lesson: str


@dataclass(frozen=True)
class FrontMatter:
    title: str
    date: date
    summary: str
    tags: tuple[str, ...]
    cover: str | None
    exposure: Exposure | None

    def shared_facts(self) -> dict:
        facts = {"date": self.date, "tags": self.tags}
        if self.exposure:
            facts.update(
                accident_date=self.exposure.accident_date,
                road_type=self.exposure.road_type,
                causes=self.exposure.causes,
                casualties=(self.exposure.deaths, self.exposure.injuries),
            )
        return facts


class Checker:
    """Field checks for one file: each failure names that file."""

    def __init__(self, file: str, data: dict):
        self.file, self.data = file, data

    def fail(self, field: str | None, problem: str):
        raise ContentError(self.file, field, problem)

    def present(self, field: str):
        if field not in self.data or self.data[field] is None:
            self.fail(field, "is missing")
        return self.data[field]

    def text(self, field: str, *, max_length: int) -> str:
        value = self.present(field)
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "must be non-empty text")
        value = " ".join(value.split())
        if len(value) > max_length:
            self.fail(field, f"is {len(value)} characters long; the limit is {max_length}")
        return value

    def day(self, field: str, *, latest: date) -> date:
        value = self.present(field)
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, f"{value!r} is not a real date")
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.fail(field, f"{value!r} is not a date written YYYY-MM-DD")
        if not EARLIEST_DATE <= value <= latest:
            self.fail(field, f"{value} is outside {EARLIEST_DATE} .. {latest}")
        return value

    def codes(self, field: str, *, known, minimum: int, maximum: int) -> tuple[str, ...]:
        value = self.present(field)
        if not isinstance(value, list):
            self.fail(field, "must be a list")
        if not minimum <= len(value) <= maximum:
            self.fail(field, f"must hold {minimum} to {maximum} items, not {len(value)}")
        for code in value:
            if not isinstance(code, str) or code not in known:
                self.fail(field, f"{code!r} is not a known code")
        if len(set(value)) != len(value):
            self.fail(field, "lists a code twice")
        return tuple(value)

    def strings(self, field: str, *, minimum: int, maximum: int) -> tuple[str, ...]:
        value = self.present(field)
        if not isinstance(value, list) or not minimum <= len(value) <= maximum:
            self.fail(field, f"must be a list of {minimum} to {maximum} items")
        if not all(isinstance(item, str) and item.strip() for item in value):
            self.fail(field, "every item must be non-empty text")
        return tuple(item.strip() for item in value)

    def count(self, mapping: dict, key: str, field: str) -> int:
        value = mapping.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(field, f"'{key}' must be a whole number >= 0")
        return value


def check_front_matter(
    file: str, data: dict, *, section: str, tags: dict, cover_exists, today: date
) -> FrontMatter:
    """Check one article's front matter; return its typed values."""
    checker = Checker(file, data)
    allowed = COMMON_FIELDS | (EXPOSURE_FIELDS if section == "exposures" else set())
    for field in data:
        if field not in allowed:
            checker.fail(str(field), "is not a field of this section")
    cover = data.get("cover")
    if cover is not None and (not isinstance(cover, str) or not cover_exists(cover)):
        checker.fail("cover", f"{cover!r} is not an image file under content/")
    published = checker.day("date", latest=today)
    return FrontMatter(
        title=checker.text("title", max_length=120),
        date=published,
        summary=checker.text("summary", max_length=300),
        tags=checker.codes("tags", known=tags, minimum=0, maximum=len(tags)),
        cover=cover,
        exposure=_check_exposure(checker, published) if section == "exposures" else None,
    )


def _check_exposure(checker: Checker, published: date) -> Exposure:
    casualties = checker.present("casualties")
    if not isinstance(casualties, dict) or set(casualties) != {"deaths", "injuries"}:
        checker.fail("casualties", "must be a mapping {deaths: N, injuries: N}")
    road_type = checker.present("road_type")
    if road_type not in ROAD_TYPES:
        checker.fail("road_type", f"{road_type!r} is not one of {', '.join(ROAD_TYPES)}")
    return Exposure(
        accident_date=checker.day("accident_date", latest=published),
        road_type=road_type,
        vehicles=checker.strings("vehicles", minimum=1, maximum=5),
        causes=checker.codes("causes", known=CAUSES, minimum=1, maximum=4),
        deaths=checker.count(casualties, "deaths", "casualties"),
        injuries=checker.count(casualties, "injuries", "casualties"),
        lesson=checker.text("lesson", max_length=300),
    )


def check_same_facts(file: str, chinese: FrontMatter, english: FrontMatter) -> None:
    """The English file repeats the Chinese file's facts; only the text differs."""
    ours, theirs = english.shared_facts(), chinese.shared_facts()
    for field in SHARED_FIELDS:
        if ours.get(field) != theirs.get(field):
            raise ContentError(file, field, "differs from the Chinese file of this article")


def check_labels(checker: Checker, field: str, value) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("zh", "en")
    ):
        checker.fail(field, "must be a mapping {zh: text, en: text}")
    return {"zh": value["zh"].strip(), "en": value["en"].strip()}


def check_tags(file: str, data) -> dict[str, dict[str, str]]:
    """tags.yaml: tag code -> {zh: label, en: label}."""
    checker = Checker(file, data if isinstance(data, dict) else {})
    if not isinstance(data, dict):
        checker.fail(None, "must be a mapping of tag codes to labels")
    tags = {}
    for code, labels in data.items():
        if not isinstance(code, str) or not TAG_CODE.fullmatch(code):
            checker.fail(str(code), "is not a tag code (lower-case words joined by hyphens)")
        tags[code] = check_labels(checker, code, labels)
    return tags
