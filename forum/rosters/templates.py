"""Blank rosters to fill in: the header row of a kind and one obviously fake example row."""

from __future__ import annotations

import csv
import io

from forum.rosters.columns import KIND_RULES, RosterKind, import_columns
from forum.rosters.exporter import ExportFormat
from forum.rosters.rows import neutralize

_EXAMPLE_GROUPS = {"delegation": "UZ", "company": "Example LLP"}


def _example(name: str, value: str, rules) -> str:
    if name in _EXAMPLE_GROUPS:
        return _EXAMPLE_GROUPS[name] if name == rules.group_required else ""
    if name == "category":
        return rules.default_category or "attendee"
    return value


def roster_template(kind: RosterKind = RosterKind.PARTICIPANTS,
                    format: ExportFormat = ExportFormat.CSV) -> bytes:
    """A template file: the kind's columns (required ones marked '*') and an example row."""
    columns = import_columns(kind)
    rules = KIND_RULES[kind]
    header = [c.title + (" *" if c.required or c.name == rules.group_required else "")
              for c in columns]
    example = [_example(c.name, c.example, rules) for c in columns]
    if ExportFormat(format) is ExportFormat.CSV:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerow([neutralize(text) for text in example])
        return buffer.getvalue().encode("utf-8")
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False,
                                         "strings_to_urls": False})
    sheet = workbook.add_worksheet(kind.value.capitalize())
    sheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    # Text cells, so a phone number keeps its leading + and is not read as a formula.
    sheet.write_row(1, 0, [neutralize(text) for text in example])
    sheet.set_column(0, len(header) - 1, 22)
    workbook.close()
    return out.getvalue()
