"""Error codes of roster import and export (stable: clients branch on them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forum.errors import BadRequest, DomainError, ValidationFailed

if TYPE_CHECKING:
    from forum.rosters.rows import RowError

UNSUPPORTED_FILE = "unsupported_file"  # not a CSV or XLSX file (PDF, image, other zip, .xls)
EMPTY_FILE = "empty_file"  # no bytes, or no header row
FILE_TOO_LARGE = "file_too_large"  # more bytes than the limit
BAD_ENCODING = "bad_encoding"  # CSV text that is neither UTF-8 nor cp1251
UNKNOWN_COLUMNS = "unknown_columns"  # headers that name no column of the roster kind
MISSING_COLUMNS = "missing_columns"  # a required column is absent
DUPLICATE_COLUMNS = "duplicate_columns"  # two headers name the same column
TOO_MANY_ROWS = "too_many_rows"  # more data rows than the limit
ROSTER_INVALID = "roster_invalid"  # a commit with rows in error; nothing was written
UNKNOWN_COLUMN_SELECTION = "unknown_export_columns"  # export columns= names no column


class UnsupportedFile(DomainError):
    status = 415
    code = UNSUPPORTED_FILE
    title = "The file is not a CSV or XLSX spreadsheet"


class FileTooLarge(DomainError):
    status = 413
    code = FILE_TOO_LARGE
    title = "The file is too large"


class BadFile(BadRequest):
    """The file is a spreadsheet but cannot be read (encoding, empty)."""

    title = "The file cannot be read"


class BadHeader(ValidationFailed):
    """The header row does not fit the roster kind; ``errors`` names the columns."""

    title = "The header row does not match the roster"


class TooManyRows(ValidationFailed):
    code = TOO_MANY_ROWS
    title = "The file has too many rows"


class RosterInvalid(ValidationFailed):
    """A commit was asked for a file with rows in error; nothing was written.

    The answer's ``errors`` is the same list a dry run gives, ``[{row, field, message}]``
    (the import contract), rather than the usual field map: a roster's errors belong to rows.
    """

    code = ROSTER_INVALID
    title = "Some rows of the roster are invalid"

    def __init__(self, row_errors: list[RowError]) -> None:
        super().__init__(f"{len(row_errors)} error(s) in the roster; nothing was imported.",
                         extra={"errors": [error.as_dict() for error in row_errors]})
        self.row_errors = row_errors
