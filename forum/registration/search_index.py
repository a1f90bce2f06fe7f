"""What the participant search indexes, and the index itself on each backend.

``Participant.search_key`` holds the searched fields folded by ``fold`` (the one text
normalisation of the search, applied to stored text and to what is typed), each word preceded
by a space so that word starts can be matched. Every writer of participant rows computes it
with ``search_key``; the database indexes it:

- SQLite: an FTS5 trigram table (``participant_search``, contentless) kept in step by
  triggers on ``participant``, so bulk inserts and raw UPDATEs stay indexed too. Its text has
  two spaces before every word, so that one- and two-letter word starts are trigrams as well.
- PostgreSQL: a pg_trgm GIN index on ``search_key`` (pg_trgm pads words itself). Cyrillic
  needs a database whose LC_CTYPE is not "C" (pg_trgm treats non-ASCII letters as separators
  there).

``install`` creates the index (used by the migration and, through ``after_create``, by
``create_all``); ``uninstall`` removes it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from sqlalchemy import Connection, Table, text

# Order matters: the key is clipped to its column length from the end.
SEARCHED = ("last_name", "first_name", "last_name_cyrillic", "first_name_cyrillic", "email",
            "organization", "phone")
SEARCH_KEY_LENGTH = 800

FTS_TABLE = "participant_search"
PG_INDEX = "ix_participant_search_key_trgm"
# Kazakh letters meet their Russian look-alikes, so a Russian keyboard finds Kazakh spellings
# ("нурланкызы" finds "Нурланқызы") and the other way round; a few Latin letters that
# Unicode does not decompose meet their plain forms.
_LETTERS = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у",
                          "ү": "у", "һ": "х", "і": "и", "ł": "l", "ø": "o", "đ": "d",
                          "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(value: str) -> str:
    """The case- and accent-free form: "ÁLIYA  Нұрланқызы" → "aliya нурланкызы"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.translate(_LETTERS).split())


def search_key(values: Mapping[str, object]) -> str:
    """The folded text organizers search in, from a row's (or a dict's) searched fields."""
    words = " ".join(fold(str(values.get(name) or "")) for name in SEARCHED)
    return " " + " ".join(words.split())[:SEARCH_KEY_LENGTH - 1]


_FTS_TEXT = "replace({row}.search_key, ' ', '  ')"
_SQLITE_INSTALL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(words, content='', "
    "tokenize='trigram case_sensitive 1')",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON participant BEGIN
        INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, {_FTS_TEXT.format(row="new")});
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON participant BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words)
        VALUES ('delete', old.id, {_FTS_TEXT.format(row="old")});
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_key ON participant BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words)
        VALUES ('delete', old.id, {_FTS_TEXT.format(row="old")});
        INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, {_FTS_TEXT.format(row="new")});
    END""",
    # Rows written before the index existed (a migrated database).
    f"INSERT INTO {FTS_TABLE}(rowid, words) SELECT id, {_FTS_TEXT.format(row='participant')} "
    "FROM participant",
)
_SQLITE_UNINSTALL = tuple(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{op}"
                          for op in ("insert", "delete", "update")
                          ) + (f"DROP TABLE IF EXISTS {FTS_TABLE}",)
_PG_INSTALL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {PG_INDEX} ON participant USING gin (search_key gin_trgm_ops)",
)
_PG_UNINSTALL = (f"DROP INDEX IF EXISTS {PG_INDEX}",)


def install(connection: Connection) -> None:
    """Create the search index of the participant table (which must exist)."""
    dialect = connection.dialect.name
    for statement in {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(dialect, ()):
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    dialect = connection.dialect.name
    for statement in {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(dialect, ()):
        connection.execute(text(statement))


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's ``include_name``: the model comparison leaves the search index out (the
    models do not describe an FTS5 table, its shadow tables or the pg_trgm index)."""
    is_ours = bool(name) and (name == PG_INDEX or name.startswith(FTS_TABLE))
    return not (type_ in ("table", "index") and is_ours)


def attach(table: Table) -> None:
    """Let ``create_all``/``drop_all`` create and drop the index with the table."""
    from sqlalchemy import event

    event.listen(table, "after_create", lambda _t, connection, **_kw: install(connection))
    event.listen(table, "before_drop", lambda _t, connection, **_kw: uninstall(connection))
