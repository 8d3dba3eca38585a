"""Charts drawn on the server as accessible SVG: no script, no library, no other host.

Each chart is `<svg role="img">` labelled by its `<title>` and `<desc>`; colours come
from CSS classes (`chart-bar`, `chart-series-N`), never from style attributes, so the
page's CSP holds. The template shows the same figures in a table beside each chart.
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 200
PLOT_HEIGHT = 220
MARGIN = 40
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
    """Horizontal bars, one per (label, value), longest value spanning the plot."""
    height = max(1, len(items)) * ROW_HEIGHT + 10
    parts = _open_svg(chart_id, title, desc, height)
    top = max((value for _, value in items), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 60
    for row, (label, value) in enumerate(items):
        y = 5 + row * ROW_HEIGHT
        length = plot * value / top
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 18}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 4}" '
            f'width="{_fmt(length)}" height="{ROW_HEIGHT - 8}"/>'
            f'<text class="chart-value" x="{_fmt(LABEL_WIDTH + length + 6)}" '
            f'y="{y + 18}">{escape(_fmt(value))}</text>'
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
    """One polyline per (name, values) over the labels (e.g. twelve months), with a legend."""
    legend_height = 22 * len(series)
    height = PLOT_HEIGHT + 2 * MARGIN + legend_height
    parts = _open_svg(chart_id, title, desc, height)
    top = max((value for _, values in series for value in values), default=0) or 1
    step = (WIDTH - 2 * MARGIN) / max(1, len(labels) - 1)
    bottom = MARGIN + PLOT_HEIGHT
    parts.append(
        f'<line class="chart-axis" x1="{MARGIN}" y1="{bottom}" x2="{WIDTH - MARGIN}" '
        f'y2="{bottom}"/><text class="chart-value" x="{MARGIN - 6}" y="{MARGIN + 4}" '
        f'text-anchor="end">{escape(_fmt(top))}</text><text class="chart-value" '
        f'x="{MARGIN - 6}" y="{bottom + 4}" text-anchor="end">0</text>'
    )
    for position, label in enumerate(labels):
        parts.append(
            f'<text class="chart-label" x="{_fmt(MARGIN + position * step)}" '
            f'y="{bottom + 18}" text-anchor="middle">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        css = f"chart-series-{number % SERIES_CLASSES}"
        points = " ".join(
            f"{_fmt(MARGIN + position * step)},{_fmt(bottom - PLOT_HEIGHT * value / top)}"
            for position, value in enumerate(values)
        )
        y = bottom + 40 + 22 * number
        parts.append(
            f'<polyline class="chart-line {css}" fill="none" points="{points}"/>'
            f'<rect class="chart-key {css}" x="{MARGIN}" y="{y - 10}" width="14" height="14"/>'
            f'<text class="chart-label" x="{MARGIN + 20}" y="{y + 2}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text was escaped above)
