"""Every catalog and page dictionary holds the same keys in kk, ru and en, and every error
code of every package has a text in each of them."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import forum
from forum import errors as forum_errors
from forum.i18n import LANGUAGES
from forum.translate import CATALOGS, translate

ROOT = Path(forum.__file__).parent
STATIC = ROOT.parent / "static"
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Plural categories a language may add to a key the others give as .one/.other (CLDR).
PLURAL_EXTRA = re.compile(r"\.(zero|two|few|many)$")


def catalog(language: str) -> dict[str, str]:
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def error_codes() -> set[str]:
    """Codes of every package: the constants of each errors.py, every ``code="…"`` given
    where an error is raised, and the ``code`` of each DomainError subclass."""
    codes: set[str] = set(forum_errors._HTTP_CODES.values())
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.keyword) and node.arg == "code"
                    and isinstance(node.value, ast.Constant)):
                codes.add(node.value.value)
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1
                  and isinstance(node.targets[0], ast.Name)
                  and isinstance(node.value, ast.Constant)
                  and isinstance(node.value.value, str)):
                name = node.targets[0].id
                if name == "code" or (path.name == "errors.py" and name.isupper()):
                    codes.add(node.value.value)
            elif (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)
                  and isinstance(node.value, ast.Tuple)):
                for target, value in zip(node.targets[0].elts, node.value.elts, strict=False):
                    if getattr(target, "id", "") == "code" and isinstance(value, ast.Constant):
                        codes.add(value.value)  # code, title = "malformed_json", "…"
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "problem"
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
                codes.add(node.args[1].value)  # problem(503, "database_unavailable", …)

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            codes.add(sub.code)
            walk(sub)

    walk(forum_errors.DomainError)
    return {c for c in codes if isinstance(c, str) and CODE.match(c)}


def test_the_walk_finds_codes_of_every_package():
    codes = error_codes()
    for code in ("gate_mismatch", "already_registered", "invalid_credentials", "roster_invalid",
                 "validation_failed", "database_unavailable", "malformed_json"):
        assert code in codes
    assert len(codes) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_code_has_a_title_in_every_language(language):
    missing = sorted(code for code in error_codes()
                     if not catalog(language).get(f"problem.{code}.title", "").strip())
    assert not missing, f"{language}: no problem.<code>.title for {missing}"


def test_catalogs_have_the_same_messages_all_translated():
    catalogs = {language: catalog(language) for language in LANGUAGES}
    ids = set(catalogs["en"])
    for language, messages in catalogs.items():
        assert set(messages) == ids, (language, sorted(ids ^ set(messages)))
        empty = sorted(k for k, v in messages.items() if not v.strip())
        assert not empty, (language, empty)
    # Kazakh and Russian texts are written in their languages, not left in English.
    for language in ("kk", "ru"):
        same = [k for k, v in catalogs[language].items() if v == catalogs["en"][k]
                and re.search(r"[A-Za-z]{4,}", v)]
        assert not same, (language, same)


def test_compiled_catalogs_are_the_committed_ones():
    assert translate("problem.category_full.title", "kk") == \
        catalog("kk")["problem.category_full.title"]
    assert translate("Missing data for required field.", "ru") == "Заполните это поле."


def page_dictionaries() -> dict[str, dict[str, dict[str, str]]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (make test installs it)")
    pages = sorted(p.parent.name for p in STATIC.glob("*/i18n.js")
                   if re.search(r"^export const TEXTS\b", p.read_text(), re.M))
    script = ("const out = {}; for (const page of process.argv.slice(1)) {"
              " out[page] = (await import(`./static/${page}/i18n.js`)).TEXTS; }"
              " console.log(JSON.stringify(out));")
    done = subprocess.run([node, "--input-type=module", "-e", script, *pages],
                          cwd=STATIC.parent, capture_output=True, text=True, timeout=30,
                          check=True)
    return json.loads(done.stdout)


def test_every_page_dictionary_has_the_same_keys_in_every_language():
    dictionaries = page_dictionaries()
    # Every page with texts exports them (a page whose dictionary is hidden escapes the test).
    assert {"admin", "program", "register", "scanner", "speaker"} <= set(dictionaries)
    for page, texts in dictionaries.items():
        assert set(texts) == set(LANGUAGES), page
        keys = {k for table in texts.values() for k in table if not PLURAL_EXTRA.search(k)}
        for language, table in texts.items():
            own = {k for k in table if not PLURAL_EXTRA.search(k)}
            assert own == keys, (page, language, sorted(keys ^ own))
            empty = {k for k, v in table.items() if not str(v).strip()}
            assert empty <= {"field.consent_before"}, (page, language, empty)


def test_kazakh_registration_texts_are_kazakh():
    texts = page_dictionaries()["register"]
    kazakh = set("әғқңөұүһі")
    assert sum(1 for v in texts["kk"].values() if kazakh & set(v.lower())) > len(texts["en"]) / 2
    assert not any(re.search(r"[A-Za-z]{4,}", v.replace("name@example.com", ""))
                   for v in texts["kk"].values()), "Kazakh texts contain Latin words"
