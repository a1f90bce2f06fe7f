"""The column catalogue of rosters and the roster kinds that choose among its columns.

Every column is defined once here: its name (the participant field it carries), the headers
accepted on import (English and common Russian ones, compared case- and space-insensitively),
whether imports need it, whether exports show it, and whether it is contact data (left out of
minimized exports).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    title: str  # the header written in exports and templates
    aliases: tuple[str, ...] = ()  # further headers accepted on import
    required: bool = False  # an import without it is refused (missing_columns)
    imported: bool = True  # read on import; export-only columns are ignored there
    exported: bool = True  # part of the default export
    contact: bool = False  # contact data: not in a minimized export
    example: str = ""  # the template's example value

    def headers(self) -> tuple[str, ...]:
        return (self.name, self.title, *self.aliases)


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", ("participant id", "идентификатор"), imported=False),
    Column("first_name", "First name", ("given name", "имя", "аты"), required=True,
           example="Example"),
    Column("last_name", "Last name", ("surname", "family name", "фамилия", "тегі"),
           required=True, example="Testperson"),
    Column("first_name_cyrillic", "First name (Cyrillic)",
           ("имя (кириллица)", "имя кириллицей"), example="Пример"),
    Column("last_name_cyrillic", "Last name (Cyrillic)",
           ("фамилия (кириллица)", "фамилия кириллицей"), example="Тестов"),
    Column("email", "Email", ("e-mail", "email address", "эл. почта", "эл.почта",
                              "электронная почта", "почта", "e-mail адрес"),
           required=True, contact=True, example="example.testperson@example.com"),
    Column("phone", "Phone", ("phone number", "mobile", "телефон", "моб. телефон"),
           contact=True, example="+77011234567"),
    Column("country", "Country", ("country code", "страна", "ел"), required=True,
           example="KZ"),
    Column("organization", "Organization", ("organisation", "организация", "ұйым"),
           example="Example LLP"),
    Column("job_title", "Job title", ("position", "title", "должность", "лауазымы"),
           example="Test engineer"),
    Column("category", "Category", ("категория", "санат"), example=""),
    Column("delegation", "Delegation", ("делегация",)),
    Column("company", "Company", ("компания",)),
    Column("locale", "Language", ("locale", "язык", "тіл"), example="en"),
    Column("status", "Status", ("статус",), imported=False),
    Column("created_at", "Registered at", ("дата регистрации",), imported=False),
)
BY_NAME = {column.name: column for column in COLUMNS}
GROUP_COLUMNS = frozenset({"delegation", "company"})


class RosterKind(enum.StrEnum):
    """What a roster lists; decides the default category and the organization columns."""

    PARTICIPANTS = "participants"
    DELEGATION = "delegation"
    COMPANY = "company"
    SPEAKERS = "speakers"
    VIPS = "vips"


@dataclass(frozen=True)
class KindRules:
    # None: the registration default (delegate in a delegation, exhibitor in an exhibiting
    # company, attendee otherwise).
    default_category: str | None
    groups: frozenset[str]  # the organization columns this kind reads
    group_required: str | None = None  # every row must name this group (unless bound)


KIND_RULES: dict[RosterKind, KindRules] = {
    RosterKind.PARTICIPANTS: KindRules(None, GROUP_COLUMNS),
    RosterKind.DELEGATION: KindRules("delegate", frozenset({"delegation"}), "delegation"),
    RosterKind.COMPANY: KindRules(None, frozenset({"company"}), "company"),
    RosterKind.SPEAKERS: KindRules("speaker", frozenset({"company"})),
    RosterKind.VIPS: KindRules("vip", frozenset({"delegation"})),
}

_SPACES = re.compile(r"[\s_]+")


def normalize_header(text: str) -> str:
    """Header text as compared: case-folded, spaces and underscores collapsed, '*'/':' off."""
    return _SPACES.sub(" ", text.replace("\ufeff", "")).strip().rstrip("*:").strip().casefold()


def import_columns(kind: RosterKind) -> tuple[Column, ...]:
    """The columns an import of this kind reads, in catalogue order."""
    groups = KIND_RULES[kind].groups
    return tuple(c for c in COLUMNS if c.imported
                 and (c.name not in GROUP_COLUMNS or c.name in groups))


def header_index(kind: RosterKind) -> dict[str, Column]:
    """Normalized header → column, for every header an import of this kind recognises.

    Export-only columns are recognised too (so an export can be imported back) and skipped.
    """
    index: dict[str, Column] = {}
    readable = set(import_columns(kind))
    for column in COLUMNS:
        if column in readable or not column.imported:
            for header in column.headers():
                index.setdefault(normalize_header(header), column)
    return index


def export_columns(names: Iterable[str] | None, *, minimized: bool) -> tuple[Column, ...]:
    """The columns of an export: the chosen names (or the default set), minus contact data
    when minimized. Unknown names raise KeyError with the first of them."""
    if names is None:
        chosen = [c for c in COLUMNS if c.exported]
    else:
        chosen = []
        for name in names:
            if name not in BY_NAME:
                raise KeyError(name)
            chosen.append(BY_NAME[name])
    return tuple(c for c in chosen if not (minimized and c.contact))
