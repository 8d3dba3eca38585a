"""Charts drawn on the server as accessible SVG: no script, no library, no other host.

Each chart is `<svg role="img">` labelled by its `<title>` and `<desc>`; colours come
from CSS classes (`chart-bar`, `chart-series-N`), never from style attributes, so the
page's CSP holds. The template shows the same figures in a table beside each chart.

A chart scales with its box, and its text with it: the stylesheet enlarges the
text (in the chart's own units) as the box narrows, so that labels stay at least
12 px on a 360-px phone; the geometry below leaves room for that larger text
(labels above their bars, wide margins, every third month named on a narrow box).
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
ROW_HEIGHT = 52  # a label line above a bar
BAR_HEIGHT = 14
VALUE_ROOM = 70  # right of the longest bar, for its value
PLOT_HEIGHT = 220
MARGIN = 40
LEFT = 70  # room for the axis values
LEGEND_ROW = 38
SERIES_CLASSES = 6


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open_svg(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    *, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, float]]
) -> Markup:
    """Horizontal bars, one per (label, value), each under its label; the longest spans the plot."""
    height = max(1, len(items)) * ROW_HEIGHT + 8
    parts = _open_svg(chart_id, title, desc, height)
    top = max((value for _, value in items), default=0) or 1
    plot = WIDTH - VALUE_ROOM
    for row, (label, value) in enumerate(items):
        y = row * ROW_HEIGHT
        length = plot * value / top
        parts.append(
            f'<text class="chart-label" x="0" y="{y + 28}">{escape(label)}</text>'
            f'<rect class="chart-bar" x="0" y="{y + 34}" '
            f'width="{_fmt(length)}" height="{BAR_HEIGHT}"/>'
            f'<text class="chart-value" x="{_fmt(length + 6)}" '
            f'y="{y + 47}">{escape(_fmt(value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text was escaped above)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> Markup:
    """One polyline per (name, values) over the labels (e.g. twelve months), with a legend.

    Labels other than every third carry `chart-label-minor`, which a narrow box hides.
    """
    legend_height = LEGEND_ROW * len(series)
    height = PLOT_HEIGHT + MARGIN + 80 + legend_height
    parts = _open_svg(chart_id, title, desc, height)
    top = max((value for _, values in series for value in values), default=0) or 1
    step = (WIDTH - LEFT - MARGIN) / max(1, len(labels) - 1)
    bottom = MARGIN + PLOT_HEIGHT
    parts.append(
        f'<line class="chart-axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - MARGIN}" '
        f'y2="{bottom}"/><text class="chart-value" x="{LEFT - 8}" y="{MARGIN + 4}" '
        f'text-anchor="end">{escape(_fmt(top))}</text><text class="chart-value" '
        f'x="{LEFT - 8}" y="{bottom + 4}" text-anchor="end">0</text>'
    )
    for position, label in enumerate(labels):
        minor = " chart-label-minor" if position % 3 else ""
        parts.append(
            f'<text class="chart-label{minor}" x="{_fmt(LEFT + position * step)}" '
            f'y="{bottom + 32}" text-anchor="middle">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        css = f"chart-series-{number % SERIES_CLASSES}"
        points = " ".join(
            f"{_fmt(LEFT + position * step)},{_fmt(bottom - PLOT_HEIGHT * value / top)}"
            for position, value in enumerate(values)
        )
        y = bottom + 76 + LEGEND_ROW * number
        parts.append(
            f'<polyline class="chart-line {css}" fill="none" points="{points}"/>'
            f'<rect class="chart-key {css}" x="{LEFT}" y="{y - 14}" width="16" height="16"/>'
            f'<text class="chart-label" x="{LEFT + 24}" y="{y}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text was escaped above)
