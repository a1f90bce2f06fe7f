"""Helpers for roster tests: build files in memory, read exports back."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.registration.models import Participant
from tests import factories

HEADER = ["First name", "Last name", "Email", "Country", "Phone", "Organization", "Category"]


def csv_bytes(rows: list[list[str]], *, header=HEADER, delimiter=",",
              encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(n: int, **overrides) -> list[str]:
    values = {"first_name": "Aigerim", "last_name": f"Testova{chr(ord('a') + n % 26)}",
              "email": f"roster{n}@example.kz", "country": "KZ", "phone": "+77011234567",
              "organization": "Example LLP", "category": "attendee"}
    values.update(overrides)
    return list(values.values())


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [["" if v is None else v for v in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def count(session, model=Participant, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def audit_actions(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def any_session(any_app):
    from forum.extensions import db

    return db.session


@pytest.fixture
def any_event(any_session):
    event = factories.make_event(any_session, slug="digital-bridge")
    any_session.commit()
    return event
