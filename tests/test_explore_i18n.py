"""The Dutch interface words of /explore against the installed Sparnatural (issue 16).

Sparnatural has no public way to add an interface language (see static/explore-i18n.js),
so lcgraph writes its Dutch words into Sparnatural's English word table as the bundle
loads. These tests fail loudly when that stops fitting: another Sparnatural version, or an
English table that gained, lost or renamed a word.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import lcgraph

STATIC = Path(lcgraph.__file__).parent / "web" / "static"
BUNDLE = STATIC / "vendor" / "sparnatural" / "sparnatural.js"
I18N = STATIC / "explore-i18n.js"
PINNED = Path(__file__).resolve().parents[1] / "web-assets" / "package.json"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_string(body: str) -> str:
    """The value of a single-quoted JavaScript string literal's body."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, body)


def word_tables(bundle: str) -> list[dict[str, str]]:
    """Every interface word table the bundle reads with JSON.parse('…') as it loads."""
    tables = []
    for match in re.finditer(r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)", bundle, re.S):
        try:
            value = json.loads(_js_string(match.group(1)))
        except ValueError:
            continue
        if isinstance(value, dict) and "Submit.tooltip" in value:
            tables.append(value)
    return tables


def _const(name: str) -> str:
    found = re.search(rf'var {name} = "([^"]*)";', I18N.read_text(encoding="utf-8"))
    assert found, f"{name} missing from {I18N.name}"
    return found.group(1)


@pytest.fixture(scope="module")
def tables() -> list[dict[str, str]]:
    if not BUNDLE.is_file():
        pytest.fail("Sparnatural missing: run scripts/install-web-assets.sh")
    return word_tables(BUNDLE.read_text(encoding="utf-8"))


def dutch_words() -> dict[str, str]:
    found = re.search(r"var NL = (\{.*?\n  \});", I18N.read_text(encoding="utf-8"), re.S)
    assert found, f"the NL word table is missing from {I18N.name}"
    words: dict[str, str] = json.loads(found.group(1))
    return words


def test_override_is_written_for_the_installed_sparnatural() -> None:
    installed = json.loads((BUNDLE.parent / "package.json").read_text())["version"]
    pinned = json.loads(PINNED.read_text())["dependencies"]["sparnatural"]
    written_for = _const("FOR_SPARNATURAL")
    assert written_for == installed == pinned, (
        f"Sparnatural is {installed} (pinned {pinned}) but static/explore-i18n.js was written "
        f"for {written_for}: check that the new version still has no public way to add a "
        "language (SparnaturalComponent#initLang, I18n) and still reads lang/en.json with "
        "JSON.parse, compare its lang/en.json with the NL words, then set FOR_SPARNATURAL"
    )


def test_the_bundle_has_one_english_and_one_french_table(tables: list[dict[str, str]]) -> None:
    marks = sorted(table["Submit.tooltip"] for table in tables)
    assert marks == ["Lancer la recherche", _const("ENGLISH_MARK")], (
        "explore-i18n.js tells Sparnatural's English word table by its Submit.tooltip; "
        f"the bundle's tables now have {marks}"
    )


def test_every_english_word_has_a_dutch_one(tables: list[dict[str, str]]) -> None:
    (english,) = [t for t in tables if t["Submit.tooltip"] == _const("ENGLISH_MARK")]
    dutch = dutch_words()
    assert sorted(set(english) - set(dutch)) == [], "English words without a Dutch one"
    assert sorted(set(dutch) - set(english)) == [], "Dutch words Sparnatural no longer has"
    assert all(word.strip() for word in dutch.values())
    untranslated = [k for k, v in dutch.items() if v == english[k] and len(v) > 3]
    assert untranslated == [], f"Dutch words left in English: {untranslated}"
