"""Rosters over HTTP: multipart imports (dry run, all-or-nothing commit), templates, exports."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.registration.models import Participant
from tests import factories

from ..auth import staff_headers
from ..test_registration_api import assert_problem
from .conftest import csv_bytes, person, read_csv, read_xlsx

EVENT = "/api/v1/events/digital-bridge"


def _upload(client, headers, data: bytes, *, dry_run: bool, name="roster.csv", kind=None):
    form = {"file": (io.BytesIO(data), name), "dry_run": "true" if dry_run else "false"}
    if kind:
        form["kind"] = kind
    return client.post(f"{EVENT}/imports", headers=headers, data=form,
                       content_type="multipart/form-data")


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Participant))


def test_dry_run_then_fix_then_commit(client, session, event):
    headers = staff_headers(session, event=event)
    bad = csv_bytes([person(1), person(2, email="not-an-email"), person(3)])
    report = _upload(client, headers, bad, dry_run=True)
    assert report.status_code == 200
    assert report.json["rows"] == 3
    assert [(e["row"], e["field"]) for e in report.json["errors"]] == [(3, "email")]
    refused = _upload(client, headers, bad, dry_run=False)
    body = assert_problem(refused, 422, "roster_invalid")
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "email")]
    assert _count(session) == 0

    good = csv_bytes([person(1), person(2), person(3)])
    done = _upload(client, headers, good, dry_run=False)
    assert done.status_code == 200 and done.json["created"] == 3
    again = _upload(client, headers, good, dry_run=False)
    assert again.json["created"] == 0 and _count(session) == 3


def test_files_that_are_not_rosters_get_a_clear_answer(client, session, event):
    headers = staff_headers(session, event=event)
    assert_problem(_upload(client, headers, b"%PDF-1.7 not a roster", dry_run=True,
                           name="x.pdf"), 415, "unsupported_file")
    assert_problem(_upload(client, headers, b"", dry_run=True), 400, "empty_file")
    assert_problem(_upload(client, headers, csv_bytes([person(1)], header=[
        "First name", "Last name", "Email", "Country", "Shoe size", "Organization",
        "Category"]), dry_run=True), 422, "unknown_columns")
    missing = client.post(f"{EVENT}/imports", headers=headers, data={"dry_run": "true"},
                          content_type="multipart/form-data")
    assert_problem(missing, 422, "validation_failed")
    assert _count(session) == 0


def test_a_delegation_head_imports_into_their_delegation_only(client, session, event):
    mine = factories.make_delegation(session, event, country="UZ")
    session.commit()
    headers = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=mine)
    done = _upload(client, headers, csv_bytes([person(7, category="")]), dry_run=False,
                   kind="delegation")
    assert done.status_code == 200, done.get_data(as_text=True)
    member = session.scalar(select(Participant))
    assert member.delegation_id == mine.id


def test_template_and_export(client, session, event):
    headers = staff_headers(session, event=event)
    factories.make_participant(session, event, first_name="=HYPERLINK(1)", last_name="Ok")
    factories.make_participant(session, event, last_name="Second")
    session.commit()
    template = client.get(f"{EVENT}/imports/template?kind=delegation", headers=headers)
    assert template.status_code == 200 and read_csv(template.data)[0]

    r = client.get(f"{EVENT}/participants/export?format=csv", headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = read_csv(r.data)
    assert len(rows) == 3 and "email" in [c.lower() for c in rows[0]] or len(rows) == 3
    assert any(cell.startswith("'=") for row in rows for cell in row)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.export"))
    assert entry.data["rows"] == 2 and entry.data["complete"] is True

    x = client.get(f"{EVENT}/participants/export?format=xlsx&minimized=true", headers=headers)
    assert x.mimetype.endswith("spreadsheetml.sheet")
    sheet = read_xlsx(x.data)
    assert len(sheet) == 3
    assert not any("@" in str(cell) for row in sheet[1:] for cell in row)
    assert_problem(client.get(f"{EVENT}/participants/export?columns=shoe_size",
                              headers=headers), 422, "unknown_export_columns")


def test_a_scoped_export_holds_only_their_people(client, session, event):
    mine = factories.make_delegation(session, event, country="UZ")
    other = factories.make_delegation(session, event, country="KG", name="Kyrgyzstan")
    factories.make_participant(session, event, delegation_code=mine.invitation_code,
                               last_name="Mine")
    factories.make_participant(session, event, delegation_code=other.invitation_code,
                               last_name="Theirs")
    session.commit()
    headers = staff_headers(session, Role.DELEGATION_HEAD, event=event, delegation=mine)
    rows = read_csv(client.get(f"{EVENT}/participants/export", headers=headers).data)
    text = "\n".join(",".join(r) for r in rows)
    assert "Mine" in text and "Theirs" not in text


def test_export_takes_the_search_filters(client, session, event):
    headers = staff_headers(session, event=event)
    factories.make_participant(session, event, last_name="Nurlanuly",
                               last_name_cyrillic="Нұрланұлы", country="KZ")
    factories.make_participant(session, event, last_name="Other", country="UZ")
    session.commit()
    found = read_csv(client.get(f"{EVENT}/participants/export?q=нурлан",
                                headers=headers).data)
    assert len(found) == 2 and "Nurlanuly" in ",".join(found[1])
    by_country = read_csv(client.get(f"{EVENT}/participants/export?country=UZ",
                                     headers=headers).data)
    assert len(by_country) == 2 and "Other" in ",".join(by_country[1])
    assert_problem(client.get(f"{EVENT}/participants/export?country=XX", headers=headers),
                   422, "validation_failed")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "roster.export")
                            .order_by(AuditEntry.id)).all()[-1]
    assert entry.data["filters"] == {"country": "UZ"} and entry.data["rows"] == 1
