"""Roster import and export through the service functions, on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.organizations.models import CompanyStatus
from forum.registration import service as registration
from forum.registration.models import Participant, Status
from forum.rosters import (
    ExportFormat,
    RosterKind,
    RowError,
    export_participants,
    import_roster,
    record_export,
    roster_template,
)
from forum.rosters.errors import BadHeader, RosterInvalid
from tests import factories
from tests.factories import NOW

from .conftest import HEADER, audit_actions, count, csv_bytes, person, read_csv, read_xlsx

ACTOR = "account:test-organizer"


def run(session, event, data: bytes, *, dry_run=False, **kwargs):
    return import_roster(session, event=event, data=data, dry_run=dry_run, now=NOW,
                         actor=ACTOR, **kwargs)


def export_bytes(session, event, **kwargs) -> tuple[bytes, object]:
    export = export_participants(session, event=event, now=NOW, **kwargs)
    return b"".join(export), export


def test_import_creates_then_reimport_changes_nothing(any_session, any_event):
    data = csv_bytes([person(1), person(2), person(3, category="speaker")])
    result = run(any_session, any_event, data)
    any_session.commit()
    assert (result.rows, result.created, result.updated, result.errors) == (3, 3, 0, [])
    assert result.statuses == {"confirmed": 3}
    stored = any_session.scalars(select(Participant).order_by(Participant.email)).all()
    assert [p.email for p in stored] == [f"roster{n}@example.kz" for n in (1, 2, 3)]
    assert stored[2].category.slug == "speaker"
    written = stored[0].search_key
    stored[0].refresh_search_key()
    assert written == stored[0].search_key and "roster1@example.kz" in written
    # One entry for the import, one per registration (as the registration service writes).
    (entry,) = audit_actions(any_session, "roster.import")
    assert entry.actor == ACTOR
    assert {k: entry.data[k] for k in ("kind", "rows", "created", "updated")} == {
        "kind": "participants", "rows": 3, "created": 3, "updated": 0}
    assert "roster1@example.kz" not in str(entry.data)
    assert len(audit_actions(any_session, "registration.create")) == 3
    any_event_taken = any_event.taken
    assert any_event_taken == 3

    again = run(any_session, any_event, data)
    any_session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert count(any_session) == 3
    assert any_event.taken == 3


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
def test_export_then_import_updates_and_never_duplicates(any_session, any_event, fmt):
    delegation = factories.make_delegation(any_session, any_event)
    company = factories.make_company(any_session, any_event, name="Astana Hub Labs")
    factories.make_participant(any_session, any_event, delegation_code=delegation.invitation_code,
                               first_name="Dilnoza", last_name="Karimova",
                               first_name_cyrillic="Дилноза", last_name_cyrillic="Каримова")
    factories.make_participant(any_session, any_event, company_code=company.invitation_code,
                               phone="+77011234567", organization="-minus first")
    factories.make_participant(any_session, any_event, category="press")
    any_session.commit()
    data, export = export_bytes(any_session, any_event, format=fmt)
    assert export.rows == 3 and export.complete

    result = run(any_session, any_event, data)
    assert (result.format, result.rows, result.created, result.updated, result.unchanged) == (
        fmt.value, 3, 0, 0, 3)
    assert sorted(result.ignored_columns) == ["ID", "Registered at", "Status"]
    any_session.commit()
    assert count(any_session) == 3

    edited = data.replace(b"Dilnoza", b"Dilnara")
    if fmt is ExportFormat.XLSX:
        edited = _edit_xlsx(data, "Dilnoza", "Dilnara")
    result = run(any_session, any_event, edited)
    any_session.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    changed = any_session.scalar(select(Participant).where(Participant.first_name == "Dilnara"))
    assert changed.delegation_id == delegation.id and changed.last_name_cyrillic == "Каримова"
    assert "dilnara" in changed.search_key
    assert count(any_session) == 3
    (update,) = audit_actions(any_session, "registration.update")
    assert update.data == {"fields": ["first_name"], "via": "roster"}


def _edit_xlsx(data: bytes, old: str, new: str) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in read_xlsx(data):
        sheet.append([new if cell == old else cell for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_dry_run_reports_row_field_message_and_writes_nothing(any_session, any_event):
    data = csv_bytes([person(1), person(2, email="not-an-email"), person(3, country="Narnia"),
                      person(4, email="roster1@example.kz")])
    result = run(any_session, any_event, data, dry_run=True)
    assert result.rows == 4 and result.created == 1
    assert [(e.row, e.field) for e in result.errors] == [(3, "email"), (4, "country"),
                                                        (5, "email")]
    assert result.errors[0].message.startswith("Not a valid email address")
    assert result.errors[2] == RowError(5, "email", "Same email as row 2.")
    assert count(any_session) == 0
    assert audit_actions(any_session, "roster.import") == []


def test_commit_with_a_bad_row_raises_and_writes_nothing(any_session, any_event):
    data = csv_bytes([person(1), person(2, category="astronaut"), person(3)])
    with pytest.raises(RosterInvalid) as raised:
        run(any_session, any_event, data)
    assert raised.value.code == "roster_invalid" and raised.value.status == 422
    assert raised.value.extra["errors"] == [
        {"row": 3, "field": "category", "message": "Unknown category 'astronaut'."}]
    any_session.rollback()
    assert count(any_session) == 0
    assert any_event.taken == 0


def test_cp1251_semicolon_csv_with_russian_headers(session, event):
    header = ["Имя", "Фамилия", "Эл. почта", "Страна", "Организация", "Должность",
              "Категория"]
    rows = [["Иван", "Петров", "ivan@example.ru", "Россия", "ООО «Пример»", "Инженер", ""],
            ["Алия", "Сейтова", "aliya@example.kz", "Казахстан", "ТОО Пример", "", "press"]]
    data = csv_bytes(rows, header=header, delimiter=";", encoding="cp1251")
    result = run(session, event, data)
    assert result.errors == [] and result.created == 2
    assert result.statuses == {"confirmed": 1, "pending": 1}
    ivan = session.scalar(select(Participant).where(Participant.email == "ivan@example.ru"))
    assert (ivan.first_name, ivan.country, ivan.organization) == ("Иван", "RU", "ООО «Пример»")


def test_tab_separated_utf8_with_bom_and_english_country_names(session, event):
    header = ["first_name", "LAST NAME ", "E-mail", "country", "Language"]
    data = b"\xef\xbb\xbf" + csv_bytes(
        [["Jane", "Example", "jane@example.com", "United Kingdom", "EN"],
         ["Bob", "Example", "bob@example.com", "uzbekistan", "ru"]],
        header=header, delimiter="\t")
    result = run(session, event, data)
    assert result.errors == [] and result.created == 2
    bob = session.scalar(select(Participant).where(Participant.email == "bob@example.com"))
    assert (bob.country, bob.locale.value) == ("UZ", "ru")


def test_xlsx_import_with_numbers_and_blank_rows(session, event):
    from .conftest import xlsx_bytes

    data = xlsx_bytes([person(1), [None] * 7, person(2, phone=None, organization=2026)])
    result = run(session, event, data)
    assert (result.format, result.rows, result.created, result.errors) == ("xlsx", 2, 2, [])
    second = session.scalar(select(Participant).where(Participant.email == "roster2@example.kz"))
    assert second.organization == "2026"
    # A number cell loses the "+": read as a number typed in Kazakhstan, like the form's.
    numeric = xlsx_bytes([person(5, phone=77011234567)])
    assert run(session, event, numeric).errors == []
    fifth = session.scalar(select(Participant).where(Participant.email == "roster5@example.kz"))
    assert fifth.phone == "+77011234567"
    bad = xlsx_bytes([person(3), [], person(4, phone=8701)])
    result = run(session, event, bad, dry_run=True)
    assert [(e.row, e.field) for e in result.errors] == [(4, "phone")]


def test_unknown_and_missing_columns(session, event):
    with pytest.raises(BadHeader) as raised:
        run(session, event, csv_bytes([], header=[*HEADER, "Shoe size", "Hobby"]))
    assert raised.value.code == "unknown_columns"
    assert raised.value.errors == {"columns": ["Shoe size", "Hobby"]}
    with pytest.raises(BadHeader) as raised:
        run(session, event, csv_bytes([], header=["First name", "Email"]))
    assert raised.value.code == "missing_columns"
    assert raised.value.errors == {"columns": ["Last name", "Country"]}
    with pytest.raises(BadHeader) as raised:
        run(session, event, csv_bytes([], header=[*HEADER, "Фамилия"]))
    assert raised.value.code == "duplicate_columns"
    # A speakers roster has no delegation column.
    with pytest.raises(BadHeader) as raised:
        run(session, event, csv_bytes([], header=[*HEADER, "Delegation"]),
            kind=RosterKind.SPEAKERS)
    assert raised.value.errors == {"columns": ["Delegation"]}


def test_scope_forces_every_row_into_the_delegation(session, event):
    uzbekistan = factories.make_delegation(session, event)
    turkey = factories.make_delegation(session, event, country="TR", name="Republic of Türkiye")
    outsider = factories.make_participant(session, event, email="outsider@example.kz")
    header = ["First name", "Last name", "Email", "Country", "Delegation"]
    rows = [["Aziz", "Karimov", "aziz@example.uz", "UZ", ""],
            ["Malika", "Karimova", "malika@example.uz", "UZ", "Republic of Uzbekistan"]]
    data = csv_bytes(rows, header=header)
    result = run(session, event, data, kind=RosterKind.DELEGATION, delegation_id=uzbekistan.id)
    assert result.errors == [] and result.created == 2
    members = session.scalars(select(Participant).where(
        Participant.delegation_id == uzbekistan.id)).all()
    assert {p.category.slug for p in members} == {"delegate"} and len(members) == 2

    other = csv_bytes([["Ali", "Veli", "ali@example.tr", "TR", turkey.name],
                       ["Out", "Sider", outsider.email, "KZ", ""]], header=header)
    result = run(session, event, other, kind=RosterKind.DELEGATION,
                 delegation_id=uzbekistan.id, dry_run=True)
    assert [(e.row, e.field) for e in result.errors] == [(2, "delegation"), (3, "email")]


def test_delegation_roster_without_binding_needs_the_column(session, event):
    factories.make_delegation(session, event)
    header = ["First name", "Last name", "Email", "Country", "Делегация"]
    data = csv_bytes([["Aziz", "Karimov", "aziz@example.uz", "UZ", "uz"],
                      ["Malika", "Karimova", "malika@example.uz", "UZ", ""]], header=header)
    result = run(session, event, data, kind=RosterKind.DELEGATION, dry_run=True)
    assert [(e.row, e.field) for e in result.errors] == [(3, "delegation")]
    with pytest.raises(BadHeader):
        run(session, event, csv_bytes([], header=HEADER), kind=RosterKind.DELEGATION)


def test_delegation_quota_waitlists_like_registration(session, event):
    delegation = factories.make_delegation(session, event, quota=2)
    header = ["First name", "Last name", "Email", "Country"]
    data = csv_bytes([[f"Member{c}", "Karimov", f"m{n}@example.uz", "UZ"]
                      for n, c in enumerate("abc")], header=header)
    preview = run(session, event, data, kind=RosterKind.DELEGATION,
                  delegation_id=delegation.id, dry_run=True)
    assert preview.statuses == {"confirmed": 2, "waitlisted": 1}
    result = run(session, event, data, kind=RosterKind.DELEGATION, delegation_id=delegation.id)
    session.commit()
    assert result.statuses == {"confirmed": 2, "waitlisted": 1}
    statuses = session.scalars(select(Participant.status).order_by(Participant.id)).all()
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert (delegation.taken, event.taken) == (2, 2)
    # The registration service agrees: the next member is waitlisted too.
    member, _ = registration.register(
        session, event=event, data=factories.registration_data(
            delegation_code=delegation.invitation_code), now=NOW, by_organizer=True)
    assert member.status is Status.WAITLISTED


def test_existing_registration_is_not_moved_and_cancelled_one_comes_back(session, event):
    kept = factories.make_participant(session, event, email="kept@example.kz")
    gone = factories.make_participant(session, event, email="gone@example.kz")
    registration.cancel(session, gone, now=NOW, actor=ACTOR)
    session.commit()
    data = csv_bytes([person(1, email="kept@example.kz", category="vip"),
                      person(2, email="gone@example.kz")])
    result = run(session, event, data, dry_run=True)
    assert [(e.row, e.field) for e in result.errors] == [(2, "category")]
    result = run(session, event, csv_bytes([person(2, email="gone@example.kz")]))
    session.commit()
    assert result.created == 1 and result.statuses == {"confirmed": 1}
    session.refresh(gone)
    assert gone.status is Status.CONFIRMED and kept.status is Status.CONFIRMED
    assert count(session) == 2


def test_company_rows_take_the_company_default_and_need_approval(session, event):
    exhibitor = factories.make_company(session, event, name="Kaspi Example")
    pending = factories.make_company(session, event, name="Pending Example",
                                     status=CompanyStatus.PENDING)
    header = ["First name", "Last name", "Email", "Country", "Company"]
    data = csv_bytes([["Asel", "Ten", "asel@example.kz", "KZ", exhibitor.invitation_code],
                      ["Marat", "Ten", "marat@example.kz", "KZ", pending.name]], header=header)
    result = run(session, event, data, kind=RosterKind.COMPANY, dry_run=True)
    assert result.errors == [RowError(3, "company", "The company is not approved yet.")]
    result = run(session, event, data[:data.rindex(b"Marat")], kind=RosterKind.COMPANY)
    asel = session.scalar(select(Participant).where(Participant.email == "asel@example.kz"))
    assert (asel.category.slug, asel.organization) == ("exhibitor", "Kaspi Example")


def test_export_neutralizes_formulas_in_both_formats(session, event):
    factories.make_participant(session, event, organization="=HYPERLINK(\"http://x\")",
                               job_title="@SUM(A1)", phone="+77011234567",
                               email="formula@example.kz")
    session.commit()
    csv_rows = read_csv(export_bytes(session, event, format="csv")[0])
    xlsx_rows = read_xlsx(export_bytes(session, event, format="xlsx")[0])
    for rows in (csv_rows, xlsx_rows):
        header, row = rows
        cell = dict(zip(header, row, strict=True))
        assert cell["Organization"] == "'=HYPERLINK(\"http://x\")"
        assert cell["Job title"] == "'@SUM(A1)"
        assert cell["Phone"] == "'+77011234567"
        assert cell["Email"] == "formula@example.kz"
    # Imported back, the quote is taken off again.
    result = run(session, event, export_bytes(session, event, format="xlsx")[0])
    assert (result.unchanged, result.errors) == (1, [])


def test_minimized_export_has_no_contact_data(session, event):
    factories.make_participant(session, event, email="private@example.kz",
                               phone="+77011234567")
    session.commit()
    for fmt in ("csv", "xlsx"):
        data, export = export_bytes(session, event, format=fmt, minimized=True)
        rows = read_csv(data) if fmt == "csv" else read_xlsx(data)
        assert "Email" not in rows[0] and "Phone" not in rows[0]
        assert "private@example.kz" not in str(rows) and "77011234567" not in str(rows)
        assert export.filename.endswith(f"-minimized.{fmt}")


def test_export_filters_scope_columns_and_audit(session, event):
    delegation = factories.make_delegation(session, event)
    factories.make_participant(session, event, delegation_code=delegation.invitation_code,
                               last_name="Karimov")
    factories.make_participant(session, event, category="press", last_name="Pressova")
    factories.make_participant(session, event, last_name="Attendova")
    session.commit()

    def names(**kwargs) -> list[str]:
        data, _ = export_bytes(session, event, columns=["last_name"], **kwargs)
        return [row[0] for row in read_csv(data)[1:]]

    assert names() == ["Karimov", "Pressova", "Attendova"]
    assert names(status="pending") == ["Pressova"]
    assert names(category="attendee") == ["Attendova"]
    assert names(delegation_id=delegation.id) == ["Karimov"]
    assert names(q="ATTEND") == ["Attendova"]
    assert names(where=Participant.delegation_id.is_(None), chunk_rows=1) == [
        "Pressova", "Attendova"]

    data, export = export_bytes(session, event, status=Status.CONFIRMED, chunk_rows=1)
    record_export(session, export, actor=ACTOR, now=NOW)
    (entry,) = audit_actions(session, "roster.export")
    assert entry.data["rows"] == 2 and entry.data["complete"] is True
    assert entry.data["filters"] == {"status": "confirmed"}
    assert "email" in entry.data["columns"]
    with pytest.raises(Exception) as raised:
        export_participants(session, event=event, now=NOW, columns=["shoe_size"])
    assert raised.value.code == "unknown_export_columns"


@pytest.mark.parametrize("kind", list(RosterKind))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_import_cleanly(session, event, kind, fmt):
    factories.make_delegation(session, event)
    factories.make_company(session, event, name="Example LLP")
    data = roster_template(kind, fmt)
    rows = read_csv(data) if fmt == "csv" else read_xlsx(data)
    assert rows[0][0] == "First name *" and len(rows) == 2
    result = run(session, event, data, kind=kind, dry_run=True)
    assert (result.rows, result.created, result.errors) == (1, 1, [])
