"""What the importer makes of files that are not a readable roster."""

from __future__ import annotations

import io
import zipfile

import pytest

from forum.errors import DomainError
from forum.rosters import import_roster
from forum.rosters.reader import open_sheet
from tests.factories import NOW

from .conftest import HEADER, count, csv_bytes, person


def _zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "hello")
    return out.getvalue()


@pytest.mark.parametrize(("data", "code", "status"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unsupported_file", 415),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported_file", 415),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "unsupported_file", 415),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported_file", 415),
    (_zip("notes.txt"), "unsupported_file", 415),
    (b"PK\x03\x04 broken zip", "unsupported_file", 415),
    (b"first,last\x00\x01\x02", "unsupported_file", 415),
    (b"", "empty_file", 400),
    (b"  \r\n\r\n", "empty_file", 400),
    (b"\xff\xfeF\x00i\x00", "bad_encoding", 400),
    # 0x98 is undefined in Windows-1251, and the bytes are not UTF-8 either.
    ("Имя,Фамилия\n".encode("cp1251") + b"\x98\x98", "bad_encoding", 400),
])
def test_unreadable_files_have_a_stable_code(session, event, data, code, status):
    with pytest.raises(DomainError) as raised:
        import_roster(session, event=event, data=data, filename="upload", dry_run=True,
                      now=NOW, actor="test")
    assert (raised.value.code, raised.value.status) == (code, status)


def test_file_size_and_row_limits(session, event):
    data = csv_bytes([person(n) for n in range(5)])
    with pytest.raises(DomainError) as raised:
        import_roster(session, event=event, data=data, dry_run=True, now=NOW, actor="test",
                      max_bytes=len(data) - 1)
    assert (raised.value.code, raised.value.status) == ("file_too_large", 413)
    with pytest.raises(DomainError) as raised:
        import_roster(session, event=event, data=data, dry_run=False, now=NOW, actor="test",
                      max_rows=4)
    assert raised.value.code == "too_many_rows" and raised.value.extra == {"limit": 4}
    assert count(session) == 0


def test_header_only_file_imports_nothing(session, event):
    result = import_roster(session, event=event, data=csv_bytes([]), dry_run=False, now=NOW,
                           actor="test")
    assert (result.rows, result.created, result.errors) == (0, 0, [])


@pytest.mark.parametrize(("line", "delimiter"), [
    ("a,b;c", ","), ("a;b;c,d", ";"), ("a\tb\tc", "\t"), ('"x;y";"z;w",q', ","),
    ("single", ","),
])
def test_delimiter_is_sniffed_from_the_header(line, delimiter):
    assert open_sheet((line + "\n").encode()).delimiter == delimiter


def test_encodings_are_reported():
    header = ",".join(HEADER) + "\n"
    assert open_sheet(header.encode()).encoding == "utf-8"
    assert open_sheet(b"\xef\xbb\xbf" + "Имя;Фамилия\n".encode()).header == ["Имя", "Фамилия"]
    assert open_sheet("Имя;Фамилия\n".encode("cp1251")).encoding == "cp1251"
