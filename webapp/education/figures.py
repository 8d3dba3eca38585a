"""The home page's "year in numbers": report figures from content/, live counts from features.

Report figures are checked and formatted once, when the content loads. Live counts
come from callables that features register on the app, for example from their
blueprint: `bp.record_once(lambda state: register_live_figure(state.app, count))`,
where `count()` returns `(label, number)` at request time.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from babel.numbers import format_decimal
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from webapp.education.schema import Checker, check_labels
from webapp.i18n import current_language
from webapp.transactions import discard

log = logging.getLogger(__name__)

LIVE_FIGURES = "live_figures"
LIVE_FIGURES_CACHE = "live_figures_cache"
# How an approximate figure ("1500余", "more than 1,500") reads in each language.
APPROX_FORMAT = {"zh": "{}余", "en": "{}+"}


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class YearInNumbers:
    year: int
    source: dict[str, str]
    figures: dict[str, tuple[Figure, ...]]  # by language

    def in_language(self, lang: str) -> tuple[Figure, ...]:
        return self.figures[lang]


def format_figure(value: int | float, *, approx: bool, lang: str) -> str:
    text = format_decimal(value, locale=lang)
    return APPROX_FORMAT[lang].format(text) if approx else text


def check_figures(file: str, data, languages) -> YearInNumbers:
    """figures-YYYY.yaml: year, source {zh, en}, figures [{key, value, approx, label}]."""
    checker = Checker(file, data if isinstance(data, dict) else {})
    year = checker.present("year")
    if isinstance(year, bool) or not isinstance(year, int):
        checker.fail("year", "must be a year, e.g. 2025")
    source = check_labels(checker, "source", checker.present("source"))
    items = checker.present("figures")
    if not isinstance(items, list) or not items:
        checker.fail("figures", "must be a non-empty list")
    by_language = {lang: [] for lang in languages}
    for index, item in enumerate(items):
        field = f"figures[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            checker.fail(field, "must be a mapping with a text 'key'")
        value, approx = item.get("value"), item.get("approx", False)
        if isinstance(value, bool) or not isinstance(value, int | float):
            checker.fail(f"{field}.value", "must be a number")
        if not isinstance(approx, bool):
            checker.fail(f"{field}.approx", "must be true or false")
        labels = check_labels(checker, f"{field}.label", item.get("label"))
        for lang in languages:
            shown = format_figure(value, approx=approx, lang=lang)
            by_language[lang].append(Figure(label=labels[lang], value=shown))
    figures = {lang: tuple(items) for lang, items in by_language.items()}
    return YearInNumbers(year=year, source=source, figures=figures)


def register_live_figure(app: Flask, count: Callable[[], tuple[str, int]]) -> None:
    """Show `count()`'s (label, number) in the home page's numbers block."""
    app.extensions.setdefault(LIVE_FIGURES, []).append(count)


def live_figures() -> list[Figure]:
    """Each registered count, in the reader's language; counts are kept for a short while.

    The home page is the busiest page: asking every count on every view would cost
    more than the rest of the page. Each worker keeps the numbers for
    LIVE_FIGURES_TTL_SECONDS (labels are lazy, so each reader gets their language).
    """
    counted = _recent_counts()
    language = current_language()
    return [
        Figure(label=str(label), value=format_decimal(value, locale=language))
        for label, value in counted
    ]


def _recent_counts() -> list[tuple]:
    cache = current_app.extensions.setdefault(LIVE_FIGURES_CACHE, {})
    ttl = current_app.config.get("LIVE_FIGURES_TTL_SECONDS", 60)
    now = time.monotonic()
    if "counts" not in cache or now - cache["at"] >= ttl:
        cache["counts"], cache["at"] = _ask_every_count(), now
    return cache["counts"]


def _ask_every_count() -> list[tuple]:
    """One query each; a count that fails is left out, so the page answers with the database down."""
    counted = []
    for count in current_app.extensions.get(LIVE_FIGURES, ()):
        try:
            counted.append(count())
        except SQLAlchemyError as error:
            log.warning("live figure left out: %s", error)
            discard()
    return counted
