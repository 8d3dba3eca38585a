"""CSV downloads that open cleanly in spreadsheets and cannot carry formulas."""

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from flask import Response

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(row, column: str | Callable) -> str:
    value = column(row) if callable(column) else getattr(row, column)
    return neutralise_cell(value)


def csv_response(
    filename: str,
    header_line: Sequence[str],
    columns: Sequence[str | Callable],
    rows: Iterable,
) -> Response:
    """A CSV attachment: UTF-8 with a BOM (for spreadsheets), one line per row.

    `columns` names an attribute of each row, or is a function of the row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(title) for title in header_line])
    for row in rows:
        writer.writerow([_cell(row, column) for column in columns])
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
