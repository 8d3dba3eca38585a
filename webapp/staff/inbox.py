"""The one inbox over every kind of submission: a registry of sources.

Each feature declares its `InboxSource` as `SOURCE` in its `inbox.py` and registers it
in its package's `register(app)` (see `register_source`); the inbox, its CSV export, the bulk actions, the dashboard and
the annual report ask the sources the user's roles allow, and nothing else. A
source hands back a filtered `select()` and turns each row into a uniform
`InboxRow`, so the inbox never imports a feature (and works with none).
"""

import heapq
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, literal_column, or_, select

from webapp.common.clock import local_days_as_utc, utcnow
from webapp.common.geo import BBox
from webapp.common.pagination import Page
from webapp.common.workdays import deadline_is_estimated, is_overdue
from webapp.extensions import db
from webapp.staff.roles import Role

PER_PAGE = 50
# Each source's rows are counted up to this many: a count never reads a whole large table.
COUNT_CAP = 10_000
ALL_STATES = "all"  # the state filter's value for "any state"; empty means "open ones"


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox shows; every field comes from (and goes back to) the query string."""

    type: str = ""
    state: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False
    unassigned: bool = False
    overdue: bool = False  # only rows past their state's working-day target
    q: str = ""
    newest_first: bool = False
    bbox: BBox | None = None  # a map's view: only submissions placed in it

    def created_bounds(self) -> tuple[datetime | None, datetime | None]:
        """The date range as naive UTC bounds: [from 00:00, day after `to` 00:00) in Beijing.

        Any dates at all, even the ends of the calendar, give bounds (or none).
        """
        return local_days_as_utc(self.date_from, self.date_to)


@dataclass(frozen=True)
class InboxRow:
    """One submission as every inbox screen and export shows it (personal data masked)."""

    row_id: int
    reference: str
    type: str
    type_label: str
    category: str
    summary: str
    state: str
    state_label: str
    created_at: datetime
    state_changed_at: datetime
    assignee: str
    detail_url: str
    is_open: bool
    overdue: bool = False
    overdue_estimated: bool = False  # the target counts days of a year with no holiday calendar

    @property
    def key(self) -> str:
        return f"{self.type}:{self.row_id}"

    @property
    def age_days(self) -> int:
        """Whole days since the submission came in."""
        return max((utcnow() - self.created_at).days, 0)


@dataclass(frozen=True)
class StateTab:
    """One tab of the inbox's state filter: its value, label and how many rows it holds."""

    state: str
    label: Any
    count: int


@dataclass(frozen=True)
class FigureTable:
    """A small named table of figures for the annual report (e.g. referrals by agency)."""

    title: str
    rows: Sequence[tuple[str, float]]


@dataclass(frozen=True)
class Period:
    """A reporting period: naive UTC bounds [start, end) and its months, oldest first."""

    start: datetime
    end: datetime
    months: Sequence[tuple[int, int]]


@dataclass(frozen=True)
class SourceFigures:
    by_state: Sequence[tuple[str, int]] = ()
    by_category: Sequence[tuple[str, int]] = ()
    hours_to_close: Sequence[float] = ()
    monthly: Sequence[int] = ()  # submissions per month of the period
    tables: Sequence[FigureTable] = ()


class InboxActionRefused(Exception):
    """A source refuses a bulk action on one row; the message is shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class InboxSource:
    """How one kind of submission takes part in the inbox.

    select_rows(filters, user) -> a select() of one entity, filtered and ordered by
        creation time as `filters` asks (`filter_select` does the common part);
    to_row(entity) -> InboxRow;
    assign(row_id, assignee) and change_state(row_id, state, message, actor): the
        feature's own steps, run by a bulk action in a savepoint of its transaction;
        they add the change, its event and its messages to the session, never
        commit and never write an audit entry (the bulk action writes the row's
        one entry); they hand back the row changed, whose `reference` names it
        in the audit log, and raise TransitionNotAllowed, InboxActionRefused or
        LookupError to refuse a row;
    figures(period) -> SourceFigures for the dashboard and the annual report.
    """

    type: str
    label: Any
    roles: frozenset[Role]
    select_rows: Callable[[InboxFilters, Any], Select]
    to_row: Callable[[Any], InboxRow]
    states: Sequence[tuple[str, Any]] = ()
    categories: Sequence[tuple[str, Any]] = ()
    assign: Callable[[int, Any], Any] | None = None
    change_state: Callable[[int, str, str, Any], Any] | None = None
    figures: Callable[[Period], SourceFigures] | None = None

    def label_of_state(self, state: str) -> str:
        return str(dict(self.states).get(state, state))


_SOURCES: dict[str, InboxSource] = {}


def load_row(model, row_id: int):
    """The row a bulk action names; LookupError (refused as "not found") when it is gone."""
    row = db.session.get(model, row_id)
    if row is None:
        raise LookupError(row_id)
    return row


def register_source(source: InboxSource) -> None:
    """Add (or replace) a kind of submission in the inbox.

    A feature declares its source in its `inbox.py` (see webapp/hazards/inbox.py,
    whose `select_rows` applies `filter_select`) and registers it in its
    package's `register(app)`.
    """
    _SOURCES[source.type] = source


def unregister_source(type_code: str) -> None:
    _SOURCES.pop(type_code, None)


def all_sources() -> list[InboxSource]:
    return list(_SOURCES.values())


def sources_for(user) -> list[InboxSource]:
    """The sources this user's roles may see (admin: all)."""
    return [source for source in _SOURCES.values() if user.has_any_role(source.roles)]


def source_for(user, type_code: str) -> InboxSource | None:
    source = _SOURCES.get(type_code)
    return source if source is not None and user.has_any_role(source.roles) else None


def filter_select(
    stmt: Select,
    *,
    filters: InboxFilters,
    user,
    state_column,
    open_states: Sequence[str],
    created_column,
    assignee_column,
    category_column=None,
    search_columns: Sequence = (),
    phone_columns: Sequence = (),
    id_column=None,
    latitude_column=None,
    longitude_column=None,
) -> Select:
    """Apply the inbox's common filters and order to a source's select().

    Every staff queue filters through here too (a feature's queue calls its source's
    `select_rows`). Rows received at the same moment follow `id_column`, if given.
    The search matches `search_columns` by substring (any case) and, when it
    holds at least 4 digits, `phone_columns` by those digits (spaces and
    dashes ignored, the last 11 kept). A bbox keeps the rows placed in it, by
    `latitude_column` and `longitude_column`; a source without them has none there.
    """
    if filters.state == ALL_STATES:
        pass
    elif filters.state:
        stmt = stmt.where(state_column == filters.state)
    else:
        stmt = stmt.where(state_column.in_(list(open_states)))
    if filters.category and category_column is not None:
        stmt = stmt.where(category_column == filters.category)
    start, end = filters.created_bounds()
    if start is not None:
        stmt = stmt.where(created_column >= start)
    if end is not None:
        stmt = stmt.where(created_column < end)
    if filters.mine:
        stmt = stmt.where(assignee_column == user.id)
    if filters.unassigned:
        stmt = stmt.where(assignee_column.is_(None))
    if filters.bbox is not None:
        stmt = stmt.where(*_placed_in(filters.bbox, latitude_column, longitude_column))
    matches = _search_matches(filters.q.strip(), search_columns, phone_columns)
    if matches:
        stmt = stmt.where(or_(*matches))
    columns = (created_column,) if id_column is None else (created_column, id_column)
    return stmt.order_by(*(c.desc() if filters.newest_first else c.asc() for c in columns))


def _placed_in(box: BBox, latitude_column, longitude_column) -> list:
    if latitude_column is None or longitude_column is None:
        return [false()]
    return [
        latitude_column.between(box.south, box.north),
        longitude_column.between(box.west, box.east),
    ]


def _search_matches(q: str, search_columns: Sequence, phone_columns: Sequence) -> list:
    if not q:
        return []
    needle = f"%{q.lower()}%"
    matches = [func.lower(column).like(needle) for column in search_columns]
    digits = "".join(char for char in q if char.isdigit())
    if len(digits) >= 4:
        matches += [column.contains(digits[-11:]) for column in phone_columns]
    return matches


def _chosen_sources(user, filters: InboxFilters) -> list[InboxSource]:
    return [s for s in sources_for(user) if not filters.type or s.type == filters.type]


def _count(stmt: Select, cap: int | None = None) -> int:
    """How many rows `stmt` matches, but at most cap + 1 (meaning "more than cap")."""
    cap = COUNT_CAP if cap is None else cap
    # Only a constant per row: the database can count from an index, never loading rows.
    rows = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
    capped = rows.limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))


def is_capped(page: Page) -> bool:
    """True when the page's total stands for "more than COUNT_CAP"."""
    return page.total > COUNT_CAP


def _with_overdue(row: InboxRow) -> InboxRow:
    late = row.is_open and is_overdue(row.type, row.state, row.state_changed_at)
    if not late:
        return row
    estimated = deadline_is_estimated(row.type, row.state, row.state_changed_at)
    return replace(row, overdue=True, overdue_estimated=estimated)


def inbox_page(user, filters: InboxFilters, *, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of the merged inbox, oldest first unless asked otherwise."""
    if filters.overdue:
        return _overdue_page(user, filters, number=number, per_page=per_page)
    sources = _chosen_sources(user, filters)
    total = min(COUNT_CAP + 1, sum(_count(source.select_rows(filters, user)) for source in sources))
    wanted = number * per_page
    rows = [
        source.to_row(entity)
        for source in sources
        for entity in db.session.scalars(source.select_rows(filters, user).limit(wanted))
    ]
    rows.sort(key=lambda row: (row.created_at, row.key), reverse=filters.newest_first)
    items = [_with_overdue(row) for row in rows[wanted - per_page : wanted]]
    return Page(items=items, number=number, per_page=per_page, total=total)


def _overdue_page(user, filters: InboxFilters, *, number: int, per_page: int) -> Page:
    # Lateness is counted in working days per state (common/workdays.py), not in SQL:
    # the rows are read in order and the late ones kept, up to the count cap.
    late = list(islice(iter_inbox(user, filters), COUNT_CAP + 1))
    items = late[(number - 1) * per_page : number * per_page]
    return Page(items=items, number=number, per_page=per_page, total=len(late))


def state_tabs(user, filters: InboxFilters) -> list[StateTab]:
    """The state filter as tabs with counts: open, each state holding rows, and all.

    Every other filter applies to the counts. The chosen state always has its tab.
    """
    sources = _chosen_sources(user, filters)
    labels: dict[str, Any] = {}
    for source in sources:
        for code, label in source.states:
            labels.setdefault(code, label)
    if filters.overdue:
        # Only open rows can be late: count the late ones by state.
        late = Counter(row.state for row in iter_inbox(user, replace(filters, state="")))
        counts = {code: late[code] for code in labels}
        opened = everything = late.total()
    else:
        counts = {code: _state_count(sources, filters, user, code) for code in labels}
        opened = _state_count(sources, filters, user, "")
        everything = _state_count(sources, filters, user, ALL_STATES)
    tabs = [StateTab("", _l("Open"), opened)]
    tabs += [
        StateTab(code, label, counts[code])
        for code, label in labels.items()
        if counts[code] or code == filters.state
    ]
    return [*tabs, StateTab(ALL_STATES, _l("All"), everything)]


def _state_count(sources, filters: InboxFilters, user, state: str) -> int:
    asked = replace(filters, state=state)
    owning = [s for s in sources if state in ("", ALL_STATES) or state in dict(s.states)]
    return min(COUNT_CAP + 1, sum(_count(s.select_rows(asked, user)) for s in owning))


def source_page(
    source: InboxSource, filters: InboxFilters, user, *, number: int, per_page: int = PER_PAGE
) -> Page:
    """One page of one source's own entities (not InboxRows): a feature's staff queue."""
    stmt = source.select_rows(filters, user)
    items = list(db.session.scalars(stmt.offset((number - 1) * per_page).limit(per_page)))
    return Page(items=items, number=number, per_page=per_page, total=_count(stmt))


def _source_rows(source, filters: InboxFilters, user) -> Iterator[InboxRow]:
    query = source.select_rows(filters, user).execution_options(yield_per=500)
    for entity in db.session.scalars(query):
        yield source.to_row(entity)


def iter_inbox(user, filters: InboxFilters) -> Iterator[InboxRow]:
    """Every row the filters match, merged in order, read from the database in batches."""
    # One generator per source, each bound to its own source (not the loop's last one).
    streams = [_source_rows(source, filters, user) for source in _chosen_sources(user, filters)]
    merged = heapq.merge(
        *streams, key=lambda row: (row.created_at, row.key), reverse=filters.newest_first
    )
    for row in merged:
        row = _with_overdue(row)
        if row.overdue or not filters.overdue:
            yield row
