"""Importing a roster of participants from a CSV or XLSX file, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration import service as registration
from forum.registration.models import ACTIVE_STATUSES, Participant
from forum.rosters import bulk
from forum.rosters.columns import (
    GROUP_COLUMNS,
    KIND_RULES,
    Column,
    RosterKind,
    header_index,
    import_columns,
    normalize_header,
)
from forum.rosters.errors import (
    DUPLICATE_COLUMNS,
    MISSING_COLUMNS,
    UNKNOWN_COLUMNS,
    BadHeader,
    RosterInvalid,
    TooManyRows,
)
from forum.rosters.groups import Groups
from forum.rosters.reader import MAX_BYTES, Sheet, open_sheet
from forum.rosters.rows import RowError, RowLoader

MAX_ROWS = 50_000
_LOOKUP_CHUNK = 500
_EXISTING_COLUMNS = (Participant.id, Participant.public_id, Participant.email,
                     Participant.status, Participant.category_id, Participant.delegation_id,
                     Participant.company_id, *(getattr(Participant, n) for n in bulk.UPDATABLE))


@dataclass
class ImportResult:
    kind: RosterKind
    dry_run: bool
    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)  # of the created registrations
    ignored_columns: list[str] = field(default_factory=list)  # export-only headers


@dataclass
class _Row:
    number: int
    values: dict
    given: frozenset[str]  # the fields this row has a value for
    category: Category
    delegation: Delegation | None
    company: Company | None


def import_roster(session: Session, *, event: Event, data: bytes, filename: str = "",
                  content_type: str = "", kind: RosterKind = RosterKind.PARTICIPANTS,
                  dry_run: bool, now: datetime, actor: str, delegation_id: int | None = None,
                  company_id: int | None = None, max_bytes: int = MAX_BYTES,
                  max_rows: int = MAX_ROWS) -> ImportResult:
    """Check a roster file (dry run) or import it: every row is created or updated, or none.

    The file's kind is found from its content; ``filename`` and ``content_type`` only name it
    in messages. ``delegation_id``/``company_id`` put every row into that group (and limit
    updates to its members). Flushes; the caller commits.
    """
    groups = Groups.load(session, event, delegation_id=delegation_id, company_id=company_id)
    sheet = open_sheet(data, max_bytes=max_bytes)
    layout, ignored = _layout(sheet, kind, bound=groups.bound)
    result = ImportResult(kind=kind, dry_run=dry_run, format=sheet.format,
                          ignored_columns=ignored)
    categories = {c.slug: c for c in session.scalars(
        select(Category).where(Category.event_id == event.id))}
    rows = _read_rows(sheet, layout, kind, groups, categories, result, max_rows=max_rows)
    existing = _existing(session, event, [row.values["email"] for row in rows])
    new, changes, revived = _classify(rows, existing, groups, layout, result)
    result.errors.sort(key=lambda e: e.row)
    result.created = len(new) + len(revived)
    result.updated = len(changes)
    if dry_run:
        bulk.read_pools(session, event, new, lock=False)
        _plan(event, new, result)
        return result
    if result.errors:
        raise RosterInvalid(result.errors)
    for row in revived:
        participant, _token = registration.register(
            session, event=event, data=_registration_data(row), now=now, actor=actor,
            by_organizer=True)
        result.statuses[participant.status.value] = (
            result.statuses.get(participant.status.value, 0) + 1)
    bulk.read_pools(session, event, new, lock=True)
    plan = _plan(event, new, result)
    bulk.insert_registrations(session, event=event, registrations=new, now=now, actor=actor)
    plan.settle(session)
    for pool in {id(p): p for r in new for p in r.pools(event)}.values():
        session.expire(pool, ["taken"])
    bulk.apply_changes(session, event=event, changes=changes, now=now, actor=actor)
    audit.record(session, actor=actor, action="roster.import", target_type="event",
                 target_id=event.slug, event_id=event.id, now=now, data={
                     "kind": kind.value, "format": sheet.format, "rows": result.rows,
                     "created": result.created, "updated": result.updated,
                     "unchanged": result.unchanged, "statuses": result.statuses,
                     "delegation_id": delegation_id, "company_id": company_id})
    session.flush()
    return result


def _layout(sheet: Sheet, kind: RosterKind, *, bound: bool
            ) -> tuple[dict[int, Column], list[str]]:
    """Which column each header cell names; the export-only headers that are skipped."""
    index = header_index(kind)
    readable = import_columns(kind)
    layout: dict[int, Column] = {}
    unknown, ignored, seen = [], [], {}
    for position, header in enumerate(sheet.header):
        key = normalize_header(header)
        if not key:
            continue
        column = index.get(key)
        if column is None:
            unknown.append(header.strip())
        elif column not in readable:
            ignored.append(header.strip())
        elif column.name in seen:
            raise BadHeader(f"The columns '{seen[column.name]}' and '{header.strip()}' both "
                            f"give {column.title}.", code=DUPLICATE_COLUMNS,
                            errors={"columns": [seen[column.name], header.strip()]})
        else:
            seen[column.name] = header.strip()
            layout[position] = column
    if unknown:
        raise BadHeader(f"Unknown columns for a {kind.value} roster: {', '.join(unknown)}.",
                        code=UNKNOWN_COLUMNS, errors={"columns": unknown})
    required = [c for c in readable if c.required]
    group = KIND_RULES[kind].group_required
    if group and not bound:
        required += [c for c in readable if c.name == group]
    missing = [c.title for c in required if c.name not in seen]
    if missing:
        raise BadHeader(f"Missing columns: {', '.join(missing)}.", code=MISSING_COLUMNS,
                        errors={"columns": missing})
    return layout, ignored


def _read_rows(sheet: Sheet, layout: dict[int, Column], kind: RosterKind, groups: Groups,
               categories: dict[str, Category], result: ImportResult, *,
               max_rows: int) -> list[_Row]:
    """Validated rows; the invalid ones go to ``result.errors``."""
    rows: list[_Row] = []
    first_row_of: dict[str, int] = {}
    positions = sorted(layout.items(), key=lambda item: item[0])
    loader = RowLoader()
    for number, record in sheet.rows:
        cells = {column.name: record[pos] if pos < len(record) else ""
                 for pos, column in positions}
        if not any(text.strip() for text in cells.values()):
            continue  # blank rows are skipped, but keep their number
        result.rows += 1
        if result.rows > max_rows:
            raise TooManyRows(f"The file has more than {max_rows} rows.",
                              extra={"limit": max_rows})
        row = _validate(number, cells, loader, kind, groups, categories, result.errors)
        if row is None:
            continue
        email = row.values["email"]
        if email in first_row_of:
            result.errors.append(RowError(number, "email",
                                          f"Same email as row {first_row_of[email]}."))
            continue
        first_row_of[email] = number
        rows.append(row)
    return rows


def _validate(number: int, cells: dict[str, str], loader: RowLoader, kind: RosterKind,
              groups: Groups, categories: dict[str, Category], errors: list[RowError]
              ) -> _Row | None:
    group_cells = {name: cells.pop(name) for name in GROUP_COLUMNS if name in cells}
    values, messages = loader.load(cells)
    found = [RowError(number, name, message) for name, texts in messages.items()
             for message in texts]
    delegation, company, group_errors = groups.resolve(group_cells, kind)
    found += [RowError(number, name, message) for name, message in group_errors]
    category = None
    if not group_errors:
        slug = values.get("category") or _default_category(kind, delegation, company)
        category = categories.get(slug)
        if category is None and "category" not in messages:
            found.append(RowError(number, "category", f"Unknown category '{slug}'."))
    if found:
        errors.extend(found)
        return None
    given = frozenset(name for name, text in cells.items() if text.strip())
    return _Row(number, values, given | frozenset(n for n, t in group_cells.items()
                                                  if t.strip()),
                category, delegation, company)


def _default_category(kind: RosterKind, delegation: Delegation | None,
                      company: Company | None) -> str:
    """The kind's category, else the registration default for the row's group."""
    default = KIND_RULES[kind].default_category
    if default:
        return default
    if delegation is not None:
        return "delegate"
    if company is not None:
        return "exhibitor" if company.exhibitor else "attendee"
    return "attendee"


def _existing(session: Session, event: Event, emails: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for start in range(0, len(emails), _LOOKUP_CHUNK):
        chunk = emails[start:start + _LOOKUP_CHUNK]
        for row in session.execute(select(*_EXISTING_COLUMNS).where(
                Participant.event_id == event.id, Participant.email.in_(chunk))).mappings():
            found[row["email"]] = dict(row)
    return found


def _classify(rows: list[_Row], existing: dict[str, dict], groups: Groups,
              layout: dict[int, Column], result: ImportResult
              ) -> tuple[list[bulk.NewRegistration], list[bulk.Change], list[_Row]]:
    """New registrations, changes to existing ones, and cancelled or rejected ones that the
    registration service registers again (as it does for an organizer's single add)."""
    carried = {column.name for column in layout.values()}
    new, changes, revived = [], [], []
    for row in rows:
        stored = existing.get(row.values["email"])
        if stored is None:
            new.append(bulk.NewRegistration(row.number, row.values, row.category,
                                            row.delegation, row.company))
            continue
        if not groups.covers(stored["delegation_id"], stored["company_id"]):
            result.errors.append(RowError(row.number, "email", "This email address is "
                                          "already registered for the event."))
            continue
        if stored["status"] not in ACTIVE_STATUSES:
            revived.append(row)
            continue
        mismatch = _placement_mismatch(row, stored, carried | set(groups.forced))
        if mismatch:
            result.errors.append(mismatch)
            continue
        updates = {name: row.values[name] for name in bulk.UPDATABLE
                   if name in row.given and row.values[name] != stored[name]}
        if updates:
            current = {name: stored[name] for name in (*bulk.UPDATABLE, "email")}
            changes.append(bulk.Change(row.number, stored["id"], stored["public_id"],
                                       current, updates))
        else:
            result.unchanged += 1
    return new, changes, revived


def _placement_mismatch(row: _Row, stored: dict, carried: set[str]) -> RowError | None:
    """An import updates personal data; it does not move a registration to another seat."""
    checks = []
    if "category" in row.given:
        checks.append(("category", row.category.id, stored["category_id"]))
    if "delegation" in carried:
        checks.append(("delegation", row.delegation.id if row.delegation else None,
                       stored["delegation_id"]))
    if "company" in carried:
        checks.append(("company", row.company.id if row.company else None,
                       stored["company_id"]))
    for name, wanted, current in checks:
        if wanted != current:
            return RowError(row.number, name, f"Already registered with another {name}; "
                                              "change it in the participant's record.")
    return None


def _plan(event: Event, new: list[bulk.NewRegistration], result: ImportResult
          ) -> bulk.SeatPlan:
    plan = bulk.SeatPlan()
    for registration_ in new:
        registration_.status = plan.status(event, registration_)
        key = registration_.status.value
        result.statuses[key] = result.statuses.get(key, 0) + 1
    return plan


def _registration_data(row: _Row) -> registration.RegistrationData:
    values = row.values
    return registration.RegistrationData(
        first_name=values["first_name"], last_name=values["last_name"], email=values["email"],
        country=values["country"], consent=True, category=row.category.slug,
        delegation_code=row.delegation.invitation_code if row.delegation else None,
        company_code=row.company.invitation_code if row.company else None,
        organization=values["organization"], job_title=values["job_title"],
        phone=values["phone"], locale=values["locale"],
        first_name_cyrillic=values["first_name_cyrillic"],
        last_name_cyrillic=values["last_name_cyrillic"])
