"""CSV downloads that Excel opens correctly and that cannot smuggle formulas.

UTF-8 with a byte-order mark (Excel otherwise reads Chinese as mojibake); the first
line says who exported what and when (SPEC.md §5, issue 7); every text cell that
begins like a formula is neutralised with a leading apostrophe. Rows are written
one at a time from an iterable, so an export of any size streams in constant memory.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context

from webapp.common.audit import record_audit
from webapp.common.clock import to_local
from webapp.transactions import transactional

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """A value ready for a cell: numbers kept, timestamps in Beijing time, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_lines(
    *, header_line: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> Iterator[str]:
    """The file as text chunks: BOM and statement line, headings, then one chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(value) for value in values])
        return buffer.getvalue()

    yield BOM + line([header_line])
    yield line(columns)
    for row in rows:
        yield line(row)


def csv_response(
    filename: str, *, header_line: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> Response:
    """A streamed attachment; `rows` may be a generator reading the database as it goes."""
    chunks = (
        chunk.encode("utf-8")
        for chunk in csv_lines(header_line=header_line, columns=columns, rows=rows)
    )
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@transactional
def record_export(*, actor, what: str, ip: str = "") -> None:
    """Write the audit entry for an export, saved before the file streams."""
    record_audit("export", actor=actor, target=what[:120], ip=ip)
