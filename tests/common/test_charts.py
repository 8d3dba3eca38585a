"""Server-drawn SVG charts: accessible, no inline styles, figures where they belong."""

from xml.etree import ElementTree

from webapp.common.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))  # noqa: S314  (our own markup)


def test_a_bar_chart_is_an_image_with_a_title_and_description():
    svg = _parse(
        bar_chart(
            chart_id="by-type",
            title="按类型 <统计>",
            desc="Reports by kind",
            items=[("护栏损坏", 12), ("标志标牌", 6)],
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "by-type-title by-type-desc"
    assert svg.find(f"{SVG}title").text == "按类型 <统计>"
    assert svg.find(f"{SVG}desc").text == "Reports by kind"
    bars = svg.findall(f"{SVG}rect")
    widths = [float(bar.get("width")) for bar in bars]
    assert len(bars) == 2 and widths[0] == 2 * widths[1]
    assert [t.text for t in svg.findall(f"{SVG}text")] == ["护栏损坏", "12", "标志标牌", "6"]


def test_no_element_of_a_chart_has_a_style_attribute():
    charts = [
        bar_chart(chart_id="a", title="t", desc="d", items=[("x", 1)]),
        line_chart(chart_id="b", title="t", desc="d", labels=["01", "02"], series=[("s", [1, 2])]),
    ]
    for chart in charts:
        assert all(element.get("style") is None for element in _parse(chart).iter())


def test_a_line_chart_draws_one_line_per_series_over_twelve_months():
    labels = [f"{month:02d}" for month in range(1, 13)]
    svg = _parse(
        line_chart(
            chart_id="trend",
            title="Per month",
            desc="Submissions per month",
            labels=labels,
            series=[("隐患", list(range(12))), ("预约", [0] * 12)],
        )
    )
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 2
    points = lines[0].get("points").split()
    assert len(points) == 12
    # The highest value touches the top of the plot, zero sits on the axis.
    ys = [float(point.split(",")[1]) for point in points]
    assert ys[0] > ys[-1]
    assert {float(point.split(",")[1]) for point in lines[1].get("points").split()} == {ys[0]}


def test_an_empty_chart_still_parses():
    svg = _parse(bar_chart(chart_id="empty", title="Nothing", desc="No figures", items=[]))
    assert svg.findall(f"{SVG}rect") == []
