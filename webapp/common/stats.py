"""Small statistics for the dashboard and the annual report: pure functions."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) by linear interpolation between ranks; None when empty.

    The same definition as NumPy's default and Excel's PERCENTILE.INC.
    """
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 50)


def last_twelve_months(today: date) -> list[tuple[int, int]]:
    """(year, month) for the twelve months ending with today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def months_of_year(year: int) -> list[tuple[int, int]]:
    return [(year, month) for month in range(1, 13)]


def count_by_month(
    moments: Iterable[datetime | date], months: Sequence[tuple[int, int]]
) -> list[int]:
    """How many of the moments fall in each of the months (others are ignored)."""
    index = {month: position for position, month in enumerate(months)}
    counts = [0] * len(months)
    for moment in moments:
        position = index.get((moment.year, moment.month))
        if position is not None:
            counts[position] += 1
    return counts
