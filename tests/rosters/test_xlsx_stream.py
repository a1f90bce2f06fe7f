"""The export's XLSX writer, read back by the libraries spreadsheets users' tools are built on
(openpyxl, calamine)."""

from __future__ import annotations

import io
import warnings

import openpyxl
from python_calamine import CalamineWorkbook

from forum.rosters.xlsx_stream import _column_letters, write_xlsx

HEADER = ["ID", "Name", *(f"Extra {n}" for n in range(28))]  # 30 columns: past "Z"
ROWS = [["p1", "x<&>\x01y\x1f", *([""] * 27), "last column"],
        ["p2", "  Әлия Нурланқызы ", "'=HYPERLINK(\"x\")"],
        ["p3"]]


def _book() -> bytes:
    out = io.BytesIO()
    assert write_xlsx(out, sheet="Participants", header=HEADER, rows=iter(ROWS)) == 3
    return out.getvalue()


def test_column_letters():
    assert _column_letters(28)[-3:] == ["Z", "AA", "AB"]
    assert _column_letters(703)[-1] == "AAA"


def test_openpyxl_reads_text_style_and_frozen_header():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a part openpyxl finds incomplete warns
        sheet = openpyxl.load_workbook(io.BytesIO(_book())).active
    assert sheet.title == "Participants" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADER and sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet["B2"].value == "x<&>y"  # control characters XML cannot hold are dropped
    assert sheet.cell(2, 30).value == "last column"
    assert sheet["B3"].value == "  Әлия Нурланқызы "  # spaces kept, Unicode intact
    assert sheet["C3"].value == "'=HYPERLINK(\"x\")" and sheet["C3"].data_type == "s"
    assert sheet.max_row == 4 and sheet["B4"].value is None


def test_calamine_reads_the_same_cells():
    rows = CalamineWorkbook.from_filelike(io.BytesIO(_book())).get_sheet_by_index(0).to_python()
    assert rows[0] == HEADER
    assert rows[1][:2] == ["p1", "x<&>y"] and rows[1][29] == "last column"
    assert rows[2][:3] == ["p2", "  Әлия Нурланқызы ", "'=HYPERLINK(\"x\")"]
