"""CSV downloads that Excel opens correctly and that cannot smuggle formulas.

UTF-8 with a byte-order mark (Excel otherwise reads Chinese as mojibake); the first
line says who exported what and when (SPEC.md §5, issue 7); every text cell that
begins like a formula is neutralised with a leading apostrophe. Rows are written
one at a time from an iterable, so an export of any size streams in constant memory.

A file must never look complete when it is not. The first row is read before the
answer starts, so a query that fails at once is an error page, not an empty file
sent with 200. Once the file streams, its status has been sent: a failure then
ends the file with a line of its own, "# Export incomplete: ...", and is logged.
"""

import csv
import io
import logging
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context
from flask_babel import gettext as _

from webapp.common.audit import record_audit
from webapp.common.clock import to_local
from webapp.transactions import discard, transactional

log = logging.getLogger(__name__)
INCOMPLETE_MARK = "# "

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
    written = 0
    try:
        for row in rows:
            yield line(row)
            written += 1
    except Exception:
        log.exception("CSV export stopped after %d rows", written)
        yield line([INCOMPLETE_MARK + _incomplete_message(written)])
        discard()  # after the last line, which must reach the file even if this fails


def _incomplete_message(written: int) -> str:
    return _(
        "Export incomplete: an error stopped it after %(count)d rows. Do not use this file; export again.",
        count=written,
    )


def csv_response(
    filename: str, *, header_line: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> Response:
    """A streamed attachment; `rows` may be a generator reading the database as it goes.

    Such a generator must not have started: the request's session is closed once the
    view returns, with any cursor it holds, and the rows are read in the stream's own.
    A view checks its query first with `first_row_readable`.
    """
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


def first_row_readable(make_rows: Callable[[], Generator]) -> None:
    """Read one row now, before the answer begins, so that a query that fails at once
    gets the error page and not a file; the stream reads the rows again from the start."""
    rows = make_rows()
    try:
        next(rows, None)
    finally:
        rows.close()


@transactional
def record_export(*, actor, what: str, ip: str = "") -> None:
    """Write the audit entry for an export, saved before the file streams."""
    record_audit("export", actor=actor, target=what[:120], ip=ip)
