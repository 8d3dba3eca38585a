"""CSV downloads that Excel opens correctly: UTF-8 with a BOM, formulas defused (SPEC.md §5)."""

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is read by a spreadsheet as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A download of the rows as `filename` (ASCII name), UTF-8 with BOM."""
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
