"""The organizers' participant search: typed text, filters, sort orders and pages.

Text is folded like the stored key (``search_index.fold``) and split into words; a
participant matches when every word does:

- a word of three or more characters matches anywhere in a name, email, organization or phone
  ("нурл" finds "Нурланқызы", "example.kz" finds every such address);
- a word of one or two characters matches the start of a word ("ai" finds "Aigerim" and
  "aigerim@…", not "Zhanaidar"): a trigram index cannot look up shorter substrings, and word
  starts are what people type first.

Both go through the trigram index of ``search_index``. Filters and sort orders are backed by
the participant table's indexes on (event, last/first name), (event, status, names), (event,
country, names), (category, names) and (event, created); pages are found as ids first, so a
deep OFFSET walks index entries, not rows. Check-in and badge state come from those domains'
tables (read here, never written).

Matches are counted up to ``COUNT_LIMIT`` (or as deep as the page asked for, whichever is
more); beyond that counting stops, ``total`` is that lower bound and ``total_exact`` is false.
Counting every match of a broad filter or a common fragment over 200,000 rows would cost more
than finding the page (on SQLite an exact count doubled a text search's time), and "1,000+" is
all a person paging through results can use. On PostgreSQL a text search's total is exact:
its matches are all fetched for the sort anyway, and counted in the same pass.

On SQLite a fragment as common as "nova" or "zha" matches 20,000–30,000 of 200,000 people;
fetching every match's row to sort it took 35–45 ms. When the trigram index holds at least
``WALK_FROM`` matches and a filter leads, the page is found instead by walking the filter's
index in the sort order and keeping the entries whose id is among the matches (the match list
is read from the trigram index alone): 6–13 ms for those fragments, where a rare fragment
still fetches its few rows.
The total is still counted through the matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, and_, column, exists, func, literal_column, select
from sqlalchemy import table as sql_table
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session, joinedload

from forum.badges.models import Badge
from forum.checkin.models import Checkin, Direction, Outcome
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant, Status
from forum.registration.search_index import FTS_TABLE, fold

if TYPE_CHECKING:
    from forum.accounts.auth import Scope

P = Participant
# Sort name → columns; "-name" reverses. The row id settles ties, so pages never overlap.
SORT_COLUMNS = {
    "name": (P.last_name, P.first_name),
    "created": (P.created_at,),
    "country": (P.country, P.last_name, P.first_name),
    "status": (P.status, P.last_name, P.first_name),
}
SORTS = tuple(name for key in SORT_COLUMNS for name in (key, f"-{key}"))
COUNT_LIMIT = 1_000
WALK_FROM = 3_000  # SQLite: matches from which walking the sort's index beats fetching them
MAX_WORDS = 8  # more words than a name has only slow the query down
_FTS = sql_table(FTS_TABLE, column("rowid"))


@dataclass(frozen=True)
class Page:
    items: list[Participant]
    total: int  # exact, or a lower bound when total_exact is false
    total_exact: bool


def words(q: str | None) -> list[str]:
    """The folded words of a search text (empty: no text condition)."""
    return fold(q or "").split()[:MAX_WORDS]


def _matches_sqlite(terms: list[str]) -> Select:
    """The ids whose indexed text holds every term."""
    # The indexed text has two spaces before every word: "  a" and " ab" are word starts.
    phrases = []
    for term in terms:
        lead = " " * max(0, 3 - len(term))
        phrases.append('"' + (lead + term).replace('"', '""') + '"')
    return select(_FTS.c.rowid).where(
        literal_column(FTS_TABLE).op("MATCH")(" AND ".join(phrases)))


def _text_sqlite(terms: list[str], mode: str = "lookup") -> ColumnElement[bool]:
    """The text condition, written for the plan it should lead to.

    - ``lookup``: ``id IN (matches)``, the rows fetched by id (SQLite first reads every match
      into a list);
    - ``join``: the trigram index joined by rowid, so the matches stream from it and a
      ``LIMIT`` stops reading them (counting 1,001 of 23,000 matches: 10–14 ms → 1–2 ms);
    - ``test``: ``+id IN (matches)``, only tested, while another index leads (walking).
    """
    if mode == "join":
        match = _matches_sqlite(terms).whereclause
        return and_(match, _FTS.c.rowid == P.id)
    target = _unindexed(P.id, sqlite=True) if mode == "test" else P.id
    return target.in_(_matches_sqlite(terms))


def _dense(session: Session, terms: list[str]) -> bool:
    """Whether the trigram index holds at least ``WALK_FROM`` matches (counted no further:
    at most about a millisecond)."""
    probe = _matches_sqlite(terms).limit(WALK_FROM).subquery()
    return (session.scalar(select(func.count()).select_from(probe)) or 0) >= WALK_FROM


def _text_postgresql(terms: list[str]) -> ColumnElement[bool]:
    # search_key begins every word with one space; pg_trgm indexes the pattern's trigrams
    # (word starts included) and rechecks LIKE on the rows it finds.
    conditions = []
    for term in terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%" if len(term) >= 3 else f"% {escaped}%"
        conditions.append(P.search_key.like(pattern, escape="\\"))
    return and_(*conditions)


def text_condition(session: Session, q: str | None, *, mode: str = "lookup"
                   ) -> ColumnElement[bool] | None:
    """The index-backed condition for a search text, on the session's backend (``mode``:
    SQLite's plan, see ``_text_sqlite``)."""
    terms = words(q)
    if not terms:
        return None
    if session.get_bind().dialect.name == "sqlite":
        return _text_sqlite(terms, mode)
    return _text_postgresql(terms)


def _checked_in() -> ColumnElement[bool]:
    """Admitted at least once: an accepted entry scan that was not annulled (leaving since
    does not undo it)."""
    return exists().where(Badge.participant_id == P.id, Checkin.badge_id == Badge.id,
                          Checkin.outcome == Outcome.OK, Checkin.direction == Direction.ENTRY,
                          Checkin.annulled_at.is_(None))


def _badge_printed() -> ColumnElement[bool]:
    """The current badge has been printed (a reissue or a revocation clears that)."""
    return exists().where(Badge.participant_id == P.id, Badge.printed_at.is_not(None),
                          Badge.revoked_at.is_(None))


def _id_of(model: type[Category] | type[Delegation] | type[Company], event: Event,
           **where: str):
    """The row id behind a slug or public id, looked up inside the query."""
    return (select(model.id).where(model.event_id == event.id)
            .filter_by(**where).scalar_subquery())


def _unindexed(col, *, sqlite: bool) -> ColumnElement:
    """The same value, but no index may serve the term: SQLite's "+column", and on
    PostgreSQL coalesce(c, c) (its unary plus is for numbers only)."""
    if sqlite:
        return literal_column(f"+{col.table.name}.{col.name}", type_=col.type)
    return func.coalesce(col, col)


# Which filter should lead on SQLite, most selective first. Without statistics its planner
# takes the index with the most "=" terms, which for "confirmed in UZ" is the status index
# (95% of rows); the others are then written so no index can serve them.
_LEADS = ("text", "scope", "delegation", "company", "country", "category", "status")
_LEAD_NEEDS_EVENT = frozenset({"country", "status"})  # their indexes begin with the event
_BROAD = frozenset({"event", "country", "status", "category"})
# Sort order → the leading filters whose index is in that order. A text alone is not walked:
# streaming its matches by rowid beat walking the event's whole name index (p95 at 200,000:
# 46-64 ms against 66-87 ms); a filter's index holds only the filtered people.
_WALKABLE = {"name": {"country", "status", "category"}, "country": {"country"},
             "status": {"status"}, "created": set()}


def _lead(present: dict[str, bool], *, text_leads: bool = True) -> str | None:
    """The filter whose index SQLite should read (the others are written unindexed)."""
    return next((name for name in _LEADS
                 if present.get(name) and (text_leads or name != "text")), None)


def _walks(sort: str, filters: dict, scope: Scope | None) -> bool:
    """Whether the sort order's index can lead a dense text search (SQLite)."""
    present = {name: bool(filters.get(name)) for name in _LEADS}
    present["scope"] = scope is not None
    return _lead(present, text_leads=False) in _WALKABLE[sort.removeprefix("-")]


def conditions(session: Session, event: Event, *, q: str | None = None,
               status: str | None = None, category: str | None = None,
               country: str | None = None, delegation: str | None = None,
               company: str | None = None, checked_in: bool | None = None,
               badge_printed: bool | None = None, scope: Scope | None = None,
               text_mode: str = "lookup") -> list[ColumnElement[bool]]:
    """WHERE terms for the event's participants matching every filter given (``text_mode``:
    on SQLite, how the text leads or, with ``test``, follows the filters' index)."""
    equal = {"event": (P.event_id, event.id)}
    if status:
        equal["status"] = (P.status, Status(status))
    if category:
        equal["category"] = (P.category_id, _id_of(Category, event, slug=category))
    if country:
        equal["country"] = (P.country, country.upper())
    if delegation:
        equal["delegation"] = (P.delegation_id, _id_of(Delegation, event, public_id=delegation))
    if company:
        equal["company"] = (P.company_id, _id_of(Company, event, public_id=company))
    walk = text_mode == "test"
    text = text_condition(session, q, mode=text_mode)
    where: list[ColumnElement[bool]] = [] if text is None else [text]
    if scope is not None:
        where.append(scope.condition(P.delegation_id, P.company_id))
    present = {"text": text is not None, "scope": scope is not None, **dict.fromkeys(equal, True)}
    lead = _lead(present, text_leads=not walk)
    sqlite = session.get_bind().dialect.name == "sqlite"
    for name, (col, value) in equal.items():
        if not sqlite:
            # Found by text on PostgreSQL, the trigram index leads over the broad filters:
            # their indexes would hand thousands of rows to the LIKE (see _trigram_only).
            indexed = text is None or name not in _BROAD
        else:
            indexed = (lead is None or name == lead
                       or (name == "event" and lead in _LEAD_NEEDS_EVENT))
        where.append((col if indexed else _unindexed(col, sqlite=sqlite)) == value)
    if checked_in is not None:
        where.append(_checked_in() if checked_in else ~_checked_in())
    if badge_printed is not None:
        where.append(_badge_printed() if badge_printed else ~_badge_printed())
    return where


def _ordered(query: Select, sort: str, *, by_index: bool = True) -> Select:
    descending = sort.startswith("-")
    columns = (*SORT_COLUMNS[sort.removeprefix("-")], P.id)
    if not by_index:
        # coalesce(c, c) sorts as c but no index can serve it: found by text, the matches are
        # fetched through the trigram index and sorted, instead of walking the whole event in
        # name order and testing each row (the plan PostgreSQL prefers for a common-looking
        # pattern, and a slow one when it is rare).
        columns = tuple(func.coalesce(c, c) for c in columns)
    return query.order_by(*(c.desc() if descending else c.asc() for c in columns))


@contextmanager
def _trigram_only(session: Session, by_text: bool) -> Iterator[None]:
    """On PostgreSQL, a text search reads through the trigram index, never a scan.

    The planner prices LIKE on an 800-character key like any operator and, for an event
    of 20,000 people, picks a sequential scan that runs every key through LIKE: 13–22 ms
    against 5 ms through the index for a four-letter fragment (bench/search.py). Only the
    page's id query runs so; the setting ends with it.
    """
    if not by_text or session.get_bind().dialect.name != "postgresql":
        yield
        return
    session.execute(text_sql("SET LOCAL enable_seqscan = off"))
    yield  # a failure ends the transaction, and the setting with it
    session.execute(text_sql("SET LOCAL enable_seqscan = on"))


def count(session: Session, where: list[ColumnElement[bool]], *, limit: int
          ) -> tuple[int, bool]:
    """How many rows match, counting no further than ``limit`` (then not exact)."""
    capped = select(P.id).where(*where).limit(limit + 1).subquery()
    found = session.scalar(select(func.count()).select_from(capped)) or 0
    return min(found, limit), found <= limit


def find(session: Session, event: Event, *, sort: str = "name", page: int = 1,
         per_page: int = 50, scope: Scope | None = None, **filters) -> Page:
    """A page of the event's participants matching the filters (only the scope's people)."""
    terms = words(filters.get("q"))
    by_text = bool(terms)
    sqlite = session.get_bind().dialect.name == "sqlite"
    walk = (sqlite and by_text and _walks(sort, filters, scope)
            and _dense(session, terms))
    # On SQLite the matches stream from the trigram index when they lead; walking, the
    # sort's index leads and they are only tested.
    text_mode = "test" if walk else "join"
    where = conditions(session, event, scope=scope, text_mode=text_mode, **filters)
    # PostgreSQL fetches every text match for the sort, so counting them costs nothing more;
    # SQLite's sorter keeps only the page's rows unless a window makes it hold them all.
    counted = by_text and not sqlite
    # Ids first: walking OFFSET rows through the sort index is cheap, loading them is not.
    query = _ordered(select(P.id, func.count().over() if counted else literal_column("0"))
                     .where(*where), sort, by_index=not by_text or walk)
    with _trigram_only(session, by_text):
        found = session.execute(query.offset((page - 1) * per_page).limit(per_page)).all()
    ids = [row[0] for row in found]
    rows = session.scalars(select(P).where(P.id.in_(ids))
                           .options(joinedload(P.category), joinedload(P.delegation),
                                    joinedload(P.company)))
    by_id = {row.id: row for row in rows}
    items = [by_id[i] for i in ids]
    if counted and found:
        return Page(items, found[0][1], True)
    if page == 1 and len(items) < per_page:
        return Page(items, len(items), True)  # the whole result is on this page
    reached = (page - 1) * per_page + len(items)
    if walk:
        # Counted by walking, a strict filter would read the index to its end before the
        # count is sure; the matches' own rows are fewer (KZ + confirmed + "eri" at 200,000:
        # 105 ms walking, 23 ms by the matches).
        where = conditions(session, event, scope=scope, text_mode="join", **filters)
    total, exact = count(session, where, limit=max(COUNT_LIMIT, reached))
    return Page(items, total, exact)
