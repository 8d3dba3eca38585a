"""Percentiles for the time to close, checked against known answers."""

from datetime import date, datetime

import pytest

from webapp.common.stats import count_by_month, last_twelve_months, median, percentile


def test_median_of_an_odd_and_an_even_count():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5


def test_percentiles_interpolate_between_ranks_like_excel_percentile_inc():
    values = list(range(1, 11))  # 1..10
    assert percentile(values, 90) == pytest.approx(9.1)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 10
    assert percentile([15, 20, 35, 40, 50], 40) == pytest.approx(29.0)


def test_no_values_give_no_percentile():
    assert median([]) is None
    assert percentile([], 90) is None


def test_a_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1], 101)


def test_the_last_twelve_months_cross_the_year_boundary():
    months = last_twelve_months(date(2026, 3, 15))
    assert months[0] == (2025, 4) and months[-1] == (2026, 3) and len(months) == 12


def test_counts_by_month_ignore_moments_outside_the_months():
    months = [(2026, 1), (2026, 2)]
    moments = [
        datetime(2026, 1, 5),
        datetime(2026, 2, 1),
        datetime(2026, 2, 28),
        date(2025, 12, 31),
    ]
    assert count_by_month(moments, months) == [1, 2]
