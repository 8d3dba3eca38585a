"""CSV exports: BOM, a first line saying who exported what, and the formula guard."""

import csv
import io
import itertools
from datetime import datetime

from webapp.common.csv_export import csv_lines, csv_response, safe_cell


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_cells_that_look_like_formulas_are_neutralised():
    for dangerous in ("=1+1", "+86 138", "-2", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("普通文字") == "普通文字"
    assert safe_cell(-3) == -3  # a number is data, not a formula
    assert safe_cell(None) == ""


def test_timestamps_are_written_in_beijing_time():
    assert safe_cell(datetime(2026, 9, 30, 16, 0)) == "2026-10-01 00:00"


def test_the_response_starts_with_a_bom_and_the_statement_line(app, app_context):
    with app.test_request_context():
        response = csv_response(
            "隐患.csv",
            header_line="Exported by admin at 2026-10-01 09:00: inbox",
            columns=["编号", "描述"],
            rows=[["HZ-1", '=HYPERLINK("http://evil")'], ["HZ-2", "护栏损坏"]],
        )
        body = b"".join(response.response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = _parse(body.decode("utf-8-sig"))
    assert rows[0] == ["Exported by admin at 2026-10-01 09:00: inbox"]
    assert rows[1] == ["编号", "描述"]
    assert rows[2] == ["HZ-1", '\'=HYPERLINK("http://evil")']
    assert rows[3] == ["HZ-2", "护栏损坏"]
    assert response.mimetype == "text/csv"
    assert "filename*=UTF-8''%E9%9A%90%E6%82%A3.csv" in response.headers["Content-Disposition"]


def test_a_hundred_thousand_rows_stream_one_at_a_time():
    consumed = itertools.count()

    def rows():
        for number in range(100_000):
            next(consumed)
            yield [number, f"row {number}"]

    chunks = csv_lines(header_line="statement", columns=["n", "text"], rows=rows())
    first_three = [next(chunks) for _ in range(3)]
    # Only one row has been read from the source to write the first data line.
    assert next(consumed) == 1
    assert first_three[2] == "0,row 0\r\n"
    assert sum(1 for _ in chunks) == 99_999
