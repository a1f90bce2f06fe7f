"""Rosters: importing participants from CSV/XLSX files and exporting them, in bulk."""

from forum.rosters.columns import COLUMNS, RosterKind
from forum.rosters.exporter import ExportFormat, RosterExport, export_participants, record_export
from forum.rosters.importer import ImportResult, import_roster
from forum.rosters.rows import RowError
from forum.rosters.templates import roster_template

__all__ = ["COLUMNS", "ExportFormat", "ImportResult", "RosterExport", "RosterKind", "RowError",
           "export_participants", "import_roster", "record_export", "roster_template"]
