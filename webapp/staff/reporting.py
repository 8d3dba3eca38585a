"""Figures for the dashboard and the annual report, gathered from the inbox's sources.

Each registered source computes its own figures for a period; this module adds
the shared statistics (median and 90th percentile time to close) and the totals.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from webapp.common.clock import local_to_utc
from webapp.common.stats import last_twelve_months, median, months_of_year, percentile
from webapp.staff.inbox import InboxSource, Period, SourceFigures, sources_for

FIRST_YEAR = 2020


@dataclass(frozen=True)
class SourceReport:
    source: InboxSource
    figures: SourceFigures
    period: Period

    @property
    def total(self) -> int:
        return sum(count for _, count in self.figures.by_state)

    @property
    def monthly(self) -> list[int]:
        counts = list(self.figures.monthly)
        return (counts + [0] * len(self.period.months))[: len(self.period.months)]

    @property
    def median_hours(self) -> float | None:
        return median(self.figures.hours_to_close)

    @property
    def p90_hours(self) -> float | None:
        return percentile(self.figures.hours_to_close, 90)


@dataclass(frozen=True)
class Report:
    period: Period
    sources: list[SourceReport]

    @property
    def total(self) -> int:
        return sum(item.total for item in self.sources)

    @property
    def by_type(self) -> list[tuple[str, int]]:
        return [(str(item.source.label), item.total) for item in self.sources]

    @property
    def monthly_totals(self) -> list[int]:
        totals = [0] * len(self.period.months)
        for item in self.sources:
            totals = [a + b for a, b in zip(totals, item.monthly, strict=True)]
        return totals

    @property
    def month_labels(self) -> list[str]:
        return [f"{year}-{month:02d}" for year, month in self.period.months]


def _local_midnight(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time()))


def twelve_months_to(today: date) -> Period:
    months = last_twelve_months(today)
    first_year, first_month = months[0]
    last_year, last_month = months[-1]
    end = date(last_year + (last_month == 12), last_month % 12 + 1, 1)
    return Period(
        start=_local_midnight(date(first_year, first_month, 1)),
        end=_local_midnight(end),
        months=months,
    )


def calendar_year(year: int) -> Period:
    return Period(
        start=_local_midnight(date(year, 1, 1)),
        end=_local_midnight(date(year + 1, 1, 1)),
        months=months_of_year(year),
    )


def build_report(user, period: Period) -> Report:
    """Every figure the user's roles may see for the period (zeros for a source without any)."""
    items = [
        SourceReport(
            source=source,
            figures=source.figures(period) if source.figures else SourceFigures(),
            period=period,
        )
        for source in sources_for(user)
    ]
    return Report(period=period, sources=items)


def report_csv_rows(report: Report, *, labels: dict[str, str]) -> Iterator[tuple]:
    """(section, type, label, value) rows of the annual report."""
    yield (labels["total"], "", "", report.total)
    for item in report.sources:
        kind = str(item.source.label)
        for label, count in item.figures.by_state:
            yield (labels["by_state"], kind, str(label), count)
        for label, count in item.figures.by_category:
            yield (labels["by_category"], kind, str(label), count)
        for month, count in zip(report.month_labels, item.monthly, strict=True):
            yield (labels["monthly"], kind, month, count)
        for name, value in (
            (labels["median"], item.median_hours),
            (labels["p90"], item.p90_hours),
        ):
            yield (name, kind, "", "" if value is None else round(value, 1))
        for table in item.figures.tables:
            for label, value in table.rows:
                yield (str(table.title), kind, str(label), value)
