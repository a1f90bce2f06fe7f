"""Open data: how many confirmed participants an event has, by country, category,
organization kind and registration day, with small counts suppressed.

Method (one-dimensional tables of one population, so the tables are linked only through
their common total):

1. Primary suppression: a count under ``THRESHOLD`` is withheld (null).
2. Secondary suppression: with the total published, the withheld cells of a table add up to
   the total minus the shown ones. So while a table withholds anything, it withholds the
   smallest shown cells too, until at least two cells are withheld and they add up to at
   least ``THRESHOLD``: their sum then pins down none of them.
3. When that cannot be reached (a table of fewer than ``THRESHOLD`` people, or withheld cells
   that are all ones), the total is withheld everywhere, and every table that would show it
   by adding up (one withholding nothing) withholds its two smallest cells.

Only values that occur are listed; a listed row means at least one person.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from forum.events.models import Category, Event
from forum.registration.models import Participant, Status

THRESHOLD = 5
TABLES = ("country", "category", "organization_kind", "registration_day")

Cells = dict[str, int]


@dataclass(frozen=True)
class OpenData:
    event: str
    threshold: int
    total: int | None
    tables: dict[str, dict[str, int | None]]  # table → value → count (None: withheld)


def raw_counts(session: Session, event: Event) -> dict[str, Cells]:
    """The unprotected counts of the event's confirmed participants."""
    confirmed = (Participant.event_id == event.id, Participant.status == Status.CONFIRMED)
    kind = case((Participant.delegation_id.is_not(None), "delegation"),
                (Participant.company_id.is_not(None), "company"), else_="individual")

    def grouped(column, *joins) -> Cells:
        query = select(column, func.count()).select_from(Participant)
        for target, on in joins:
            query = query.join(target, on)
        return {str(v): n for v, n in session.execute(query.where(*confirmed).group_by(column))}

    zone = ZoneInfo(event.timezone)
    days = Counter(at.astimezone(zone).date().isoformat() for at in session.scalars(
        select(Participant.consent_at).where(*confirmed)))
    return {
        "country": grouped(Participant.country),
        "category": grouped(Category.slug, (Category, Category.id == Participant.category_id)),
        "organization_kind": grouped(kind),
        "registration_day": dict(days),
    }


def _withheld(cells: Cells, threshold: int) -> set[str]:
    hidden = {value for value, n in cells.items() if n < threshold}
    shown = sorted((n, value) for value, n in cells.items() if value not in hidden)
    while hidden and shown and (len(hidden) < 2
                                or sum(cells[v] for v in hidden) < threshold):
        hidden.add(shown.pop(0)[1])
    return hidden


def _pinned(cells: Cells, hidden: set[str], threshold: int) -> bool:
    """Whether the total still gives a withheld cell away."""
    if not hidden:
        return False
    withheld = sum(cells[v] for v in hidden)
    return len(hidden) < 2 or withheld < threshold or withheld == len(hidden)


def protect(tables: dict[str, Cells], *, threshold: int = THRESHOLD
            ) -> tuple[int | None, dict[str, dict[str, int | None]]]:
    """(total or None, tables with withheld cells as None), by the module's method."""
    total = sum(next(iter(tables.values()), {}).values())
    hidden = {name: _withheld(cells, threshold) for name, cells in tables.items()}
    keep_total = total >= threshold and not any(
        _pinned(cells, hidden[name], threshold) for name, cells in tables.items())
    if not keep_total:
        for name, cells in tables.items():
            if not hidden[name]:
                hidden[name] = {v for _n, v in sorted((n, v) for v, n in cells.items())[:2]}
    out = {name: {value: None if value in hidden[name] else n
                  for value, n in sorted(cells.items())}
           for name, cells in tables.items()}
    return (total if keep_total else None), out


def open_data(session: Session, event: Event) -> OpenData:
    total, tables = protect(raw_counts(session, event))
    return OpenData(event=event.slug, threshold=THRESHOLD, total=total, tables=tables)


def as_json(data: OpenData) -> dict:
    return {"event": data.event, "threshold": data.threshold, "total": data.total,
            "tables": {name: [{"value": v, "count": n} for v, n in rows.items()]
                       for name, rows in data.tables.items()}}


def as_csv(data: OpenData) -> str:
    """``table,value,count`` rows (an empty count is withheld), the total first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "value", "count"])
    writer.writerow(["total", "", "" if data.total is None else data.total])
    for name, rows in data.tables.items():
        for value, n in rows.items():
            writer.writerow([name, value, "" if n is None else n])
    return out.getvalue()
