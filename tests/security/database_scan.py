"""Search every text column of every row of every table, so that nothing is missed."""

from sqlalchemy import String, select

from webapp.extensions import db


def where_found(needles: dict[str, str]) -> list[str]:
    """`table.column: what` for each needle (what -> value) found, ignoring case."""
    found = set()
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, String)]
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                for what, needle in needles.items():
                    if value and needle.lower() in value.lower():
                        found.add(f"{table.name}.{column.name}: {what}")
    return sorted(found)
