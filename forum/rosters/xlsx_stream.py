"""A one-sheet XLSX of text cells, streamed row by row: the export's writer.

Why not xlsxwriter (which still writes the roster templates): its per-cell path (type
dispatch, dimension checks, escaping through several regular expressions) cost 3.3 s of the
5 s budget for 20,000 participants × 16 columns in bench/rosters.py, leaving the export at
4.2–5.4 s. A roster export needs none of its features: every cell is text, the header row is
bold and frozen. This module writes exactly that part of SpreadsheetML (ECMA-376 part 1:
inline strings, one style, a frozen pane) and reads back with openpyxl and calamine in
tests/rosters.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        '</Relationships>'),
    # Style 0: plain; style 1: bold (the header row).
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
        '</font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
        'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
        '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" '
        'borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle '
        'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot carry at all (a pasted control character must not break the file).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROWS_PER_WRITE = 500


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _row(number: int, letters: Sequence[str], cells: Sequence[str], style: str = "") -> str:
    parts = [f'<row r="{number}">']
    for letter, text in zip(letters, cells, strict=False):
        if text:
            clean = escape(_ILLEGAL.sub("", text))
            parts.append(f'<c r="{letter}{number}"{style} t="inlineStr"><is>'
                         f'<t xml:space="preserve">{clean}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def write_xlsx(out: IO[bytes], *, sheet: str, header: Sequence[str],
               rows: Iterable[Sequence[str]]) -> int:
    """Write the workbook to ``out`` (a seekable file), streaming ``rows``; returns how many
    data rows were written."""
    letters = _column_letters(len(header))
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, _HEAD + xml)
        book.writestr("xl/workbook.xml", _HEAD + (
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets><sheet '
            f'name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write((_HEAD + f'<worksheet xmlns="{_NS}"><sheetViews><sheetView '
                        'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                        '<sheetData>' + _row(1, letters, header, ' s="1"')).encode())
            batch: list[str] = []
            for cells in rows:
                written += 1
                batch.append(_row(written + 1, letters, cells))
                if len(batch) >= _ROWS_PER_WRITE:
                    part.write("".join(batch).encode())
                    batch.clear()
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return written
