"""Reading an uploaded roster: CSV or XLSX told apart by content, rows as lists of text."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from forum.rosters.errors import (
    BAD_ENCODING,
    EMPTY_FILE,
    BadFile,
    FileTooLarge,
    UnsupportedFile,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64  # wider header rows are cut here: no roster has that many columns

_ZIP_MAGIC = b"PK\x03\x04"
# Formats people upload by mistake, named in the answer.
_KNOWN_BINARY = ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"),
                 (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
                 (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file; save it as .xlsx"),
                 (b"PK", "a zip archive"))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = (",", ";", "\t")


@dataclass
class Sheet:
    format: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells as text)
    encoding: str | None = None
    delimiter: str | None = None


def open_sheet(data: bytes, *, max_bytes: int = MAX_BYTES) -> Sheet:
    """The file's header row and a lazy iterator of its data rows (row 1 is the header)."""
    if len(data) > max_bytes:
        raise FileTooLarge(f"The file is {len(data)} bytes; the limit is {max_bytes}.",
                           extra={"limit": max_bytes})
    if not data.strip():
        raise BadFile("The file is empty.", code=EMPTY_FILE)
    if data.startswith(_ZIP_MAGIC):
        return _open_xlsx(data)
    for magic, what in _KNOWN_BINARY:
        if data.startswith(magic):
            raise UnsupportedFile(f"The file is {what}, not a CSV or XLSX spreadsheet.")
    return _open_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):
        raise BadFile("The file is UTF-16 text; save it as CSV UTF-8.", code=BAD_ENCODING)
    if b"\x00" in data:
        raise UnsupportedFile("The file is binary, not a CSV or XLSX spreadsheet.")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Russian Excel saves "CSV (comma delimited)" in the Windows code page.
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise BadFile("The file's text is neither UTF-8 nor Windows-1251; save it as "
                      "CSV UTF-8.", code=BAD_ENCODING) from None


def _sniff_delimiter(first_line: str) -> str:
    """The candidate that splits the header line most often (outside quotes)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(data: bytes) -> Sheet:
    text, encoding = _decode(data)
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise UnsupportedFile("The file is binary, not a CSV or XLSX spreadsheet.")
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise BadFile("The file has no header row.", code=EMPTY_FILE)

    return Sheet("csv", header[:MAX_COLUMNS], enumerate(reader, start=2), encoding=encoding,
                 delimiter=delimiter)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _open_xlsx(data: bytes) -> Sheet:
    """The first sheet through calamine (Rust): openpyxl's read-only mode took 20 s of the
    20,000-row import budget in bench/rosters.py, calamine reads the same file in under 1 s."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0) if workbook.sheet_names else None
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        # A zip without a workbook part, or a damaged one.
        raise UnsupportedFile("The file is a zip archive but not an XLSX workbook.") from exc
    if sheet is None:
        raise BadFile("The workbook has no sheet.", code=EMPTY_FILE)
    cells = _xlsx_rows(sheet)
    first = next(cells, None)
    if first is None or first[0] != 1 or not any(text.strip() for text in first[1]):
        raise BadFile("The first sheet has no header row in row 1.", code=EMPTY_FILE)
    header = first[1][:MAX_COLUMNS]
    while header and not header[-1].strip():
        header.pop()
    return Sheet("xlsx", header, ((number, values[:len(header)]) for number, values in cells))


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as the spreadsheet shows them, from column A: calamine starts its range
    at the first used cell."""
    if sheet.start is None:
        return
    top, left = sheet.start
    pad = [""] * left
    for offset, values in enumerate(sheet.iter_rows()):
        yield top + offset + 1, (pad + [_cell_text(v) for v in values])[:MAX_COLUMNS]
