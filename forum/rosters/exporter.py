"""Streaming the event's participants out as CSV or XLSX, in chunks, with flat memory."""

from __future__ import annotations

import csv
import enum
import io
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.errors import ValidationFailed
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant, Status
from forum.registration.search import text_condition
from forum.rosters.columns import Column, export_columns
from forum.rosters.errors import UNKNOWN_COLUMN_SELECTION
from forum.rosters.rows import neutralize
from forum.rosters.xlsx_stream import write_xlsx

CHUNK_ROWS = 2_000
_FILE_CHUNK = 64 * 1024
_BOM = "\ufeff"
# Where each catalogue column's value comes from.
_SOURCES: dict[str, ColumnElement] = {
    "id": Participant.public_id, "category": Category.slug, "delegation": Delegation.name,
    "company": Company.name, "status": Participant.status, "locale": Participant.locale,
    "created_at": Participant.created_at,
    **{name: getattr(Participant, name) for name in (
        "first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic", "email",
        "phone", "country", "organization", "job_title")},
}


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class RosterExport:
    """An export being streamed: iterate it for the file's bytes; ``rows`` counts as it goes
    and ``complete`` turns true after the last chunk (then ``record_export``)."""

    event_id: int
    event_slug: str
    format: ExportFormat
    columns: tuple[Column, ...]
    filters: dict
    minimized: bool
    filename: str
    rows: int = 0
    complete: bool = False
    _chunks: Iterator[bytes] | None = field(default=None, repr=False)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def __iter__(self) -> Iterator[bytes]:
        assert self._chunks is not None
        return self._chunks


def export_participants(session: Session, *, event: Event,
                        format: ExportFormat = ExportFormat.CSV,
                        columns: Sequence[str] | None = None, minimized: bool = False,
                        status: Status | str | None = None, category: str | None = None,
                        delegation_id: int | None = None, company_id: int | None = None,
                        q: str | None = None, where: ColumnElement[bool] | None = None,
                        filters: dict | None = None, now: datetime,
                        chunk_rows: int = CHUNK_ROWS) -> RosterExport:
    """The event's participants matching the filters, as a lazily streamed file.

    ``where`` is an extra condition on Participant (the search's filters and the caller's
    scope); ``filters`` is what the audit entry records of them; ``minimized``
    leaves out contact data (email, phone). Nothing is read until the stream is iterated.
    """
    try:
        chosen = export_columns(columns, minimized=minimized)
    except KeyError as exc:
        raise ValidationFailed(f"Unknown export column '{exc.args[0]}'.",
                               code=UNKNOWN_COLUMN_SELECTION,
                               errors={"columns": [f"Unknown column '{exc.args[0]}'."]}) from None
    query = select(Participant.id, *(_SOURCES[c.name].label(c.name) for c in chosen)) \
        .join(Category, Category.id == Participant.category_id) \
        .outerjoin(Delegation, Delegation.id == Participant.delegation_id) \
        .outerjoin(Company, Company.id == Participant.company_id) \
        .where(Participant.event_id == event.id)
    if status:
        query = query.where(Participant.status == Status(status))
    if category:
        query = query.where(Category.slug == category)
    if delegation_id is not None:
        query = query.where(Participant.delegation_id == delegation_id)
    if company_id is not None:
        query = query.where(Participant.company_id == company_id)
    text = text_condition(session, q)  # the organizers' search, matched the same way
    if text is not None:
        query = query.where(text)
    if where is not None:
        query = query.where(where)
    # The audit entry names the filters as the caller asked for them, when it says.
    filters = filters or {"status": str(status) if status else None, "category": category,
                          "delegation_id": delegation_id, "company_id": company_id, "q": q,
                          "scoped": where is not None}
    suffix = "-minimized" if minimized else ""
    export = RosterExport(event.id, event.slug, ExportFormat(format), chosen,
                          {k: v for k, v in filters.items() if v}, minimized,
                          f"participants-{event.slug}-{now:%Y%m%d-%H%M}{suffix}.{format}")
    records = _records(session, query, chosen, ZoneInfo(event.timezone), export, chunk_rows)
    writer = _csv_chunks if export.format is ExportFormat.CSV else _xlsx_chunks
    export._chunks = writer(chosen, records, export)
    return export


def record_export(session: Session, export: RosterExport, *, actor: str,
                  now: datetime) -> None:
    """The audit entry of an export (filters, columns, row count), once it has streamed."""
    audit.record(session, actor=actor, action="roster.export", target_type="event",
                 target_id=export.event_slug, event_id=export.event_id, now=now, data={
                     "format": export.format.value, "rows": export.rows,
                     "complete": export.complete, "filters": export.filters,
                     "minimized": export.minimized,
                     "columns": [c.name for c in export.columns]})


def _records(session: Session, query, columns: tuple[Column, ...], tz: ZoneInfo,
             export: RosterExport, chunk_rows: int) -> Iterator[list[list[str]]]:
    """Chunks of rows as neutralized text, read by keyset on the primary key."""
    names = [c.name for c in columns]
    last_id = 0
    while True:
        chunk = session.execute(query.where(Participant.id > last_id)
                                .order_by(Participant.id).limit(chunk_rows)).all()
        if not chunk:
            return
        last_id = chunk[-1][0]
        yield [[_text(name, value, tz) for name, value in zip(names, row[1:], strict=True)]
               for row in chunk]
        export.rows += len(chunk)
        if len(chunk) < chunk_rows:
            return


def _text(name: str, value, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, enum.Enum):
        return str(value.value)
    return neutralize(str(value))


def _csv_chunks(columns: tuple[Column, ...], records: Iterator[list[list[str]]],
                export: RosterExport) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # The BOM lets Excel open UTF-8 (Cyrillic, Kazakh) correctly.
    buffer.write(_BOM)
    writer.writerow([neutralize(c.title) for c in columns])
    for chunk in records:
        writer.writerows(chunk)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    export.complete = True
    if tail:
        yield tail.encode("utf-8")


def _xlsx_chunks(columns: tuple[Column, ...], records: Iterator[list[list[str]]],
                 export: RosterExport) -> Iterator[bytes]:
    """The sheet is written to a temporary file as rows come; the finished zip is then read
    back in pieces (an XLSX cannot be sent before its last row)."""
    with tempfile.TemporaryFile() as out:
        write_xlsx(out, sheet="Participants", header=[c.title for c in columns],
                   rows=(row for chunk in records for row in chunk))
        export.complete = True
        out.seek(0)
        while piece := out.read(_FILE_CHUNK):
            yield piece
