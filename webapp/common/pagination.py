"""Page numbers from the query string, bounded; one Page object for every list."""

from dataclasses import dataclass
from math import ceil
from typing import Any


def page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate_list(items: list, *, number: int, per_page: int) -> Page:
    start = (number - 1) * per_page
    return Page(
        items=items[start : start + per_page], number=number, per_page=per_page, total=len(items)
    )
