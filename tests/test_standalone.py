"""A clone stands alone: everything the project reads is inside it (issue 12, item 1).

The rule, for every file git tracks (text files; a file with a NUL byte is binary):

1. Nothing refers to a folder beside the clone: no relative path up into the team's folder
   `shared` (`BESIDE`), and no path built from the project's parent folder and "shared".
2. Nothing names this machine's work or home folders: no absolute path into `work`, `root`,
   `home`, `mnt` or `srv` at the top of the file system (`MACHINE`). A URL's path
   (https://example.org/work/x) is not one: the path must not follow a host, word or dot.
3. The top-level `tmp` folder is scratch space, only ever written to (`SCRATCH`): the code,
   scripts, build files and data (src/, scripts/, benchmarks/, Makefile, pyproject.toml,
   ontology/, queries/, data/) never name it; a test names it only as where screenshots for
   a person go (a line with one of `SCREENSHOT_WORDS`); the docs and the README only in an
   example command (a fenced code block).

System paths such as the `/usr/bin/chromium` that the browser tests use are allowed. The
examples below are written in pieces so that this file passes its own rules.
Copies pinned by a `SHA256SUMS` (standards/, data/open/, data/sources/) are checked too: the
clone carries them unchanged.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from functools import cache

import pytest
from support import ROOT

BESIDE = re.compile(r"\.\./shared\b|parents?(\[\d+\])?\s*/\s*[\"']shared[\"']")
MACHINE = re.compile(r"(?<![\w.:/~-])/(work|root|home|mnt|srv)/")
SCRATCH = re.compile(r"(?<![\w.:/~-])[/]tmp/")
NEVER_SCRATCH = ("src/", "scripts/", "benchmarks/", "ontology/", "queries/", "data/")
NEVER_SCRATCH_FILES = ("Makefile", "pyproject.toml")
SCREENSHOT_WORDS = ("screenshot", "SCREENSHOT", "SHOTS", "for a person to look at")


@cache
def _tracked() -> tuple[str, ...]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return tuple(name for name in listed.split("\0") if name and (ROOT / name).is_file())


@cache
def _text(name: str) -> str | None:
    data = (ROOT / name).read_bytes()
    return None if b"\0" in data else data.decode("utf-8", errors="replace")


def _lines(pattern: re.Pattern[str]) -> list[tuple[str, int, str]]:
    found = []
    for name in _tracked():
        text = _text(name)
        for number, line in enumerate((text or "").splitlines(), 1):
            if pattern.search(line):
                found.append((name, number, line.strip()))
    return found


def _in_code_block(name: str, number: int) -> bool:
    """Whether line `number` of the Markdown file `name` lies inside a ``` fence."""
    before = (_text(name) or "").splitlines()[: number - 1]
    return sum(line.lstrip().startswith("```") for line in before) % 2 == 1


def _scratch_allowed(name: str, number: int, line: str) -> bool:
    if name.startswith(NEVER_SCRATCH) or name in NEVER_SCRATCH_FILES:
        return False
    if name.startswith("tests/"):
        return any(word in line for word in SCREENSHOT_WORDS)
    return name.endswith(".md") and _in_code_block(name, number)


def test_the_project_is_a_git_checkout_with_files() -> None:
    assert "README.md" in _tracked() and "tests/test_standalone.py" in _tracked()


def test_no_file_refers_to_a_folder_beside_the_clone() -> None:
    assert _lines(BESIDE) == []


def test_no_file_names_this_machines_work_or_home_folders() -> None:
    assert _lines(MACHINE) == []


def test_tmp_is_only_named_as_scratch_output() -> None:
    wrong = [hit for hit in _lines(SCRATCH) if not _scratch_allowed(*hit)]
    assert wrong == []


def test_the_rules_catch_what_they_are_for() -> None:
    """The patterns themselves: what they flag and what they leave alone."""
    shared, up = '"shared"', "../"
    assert BESIDE.search(f"SHARED = ROOT.parent / {shared}")
    assert BESIDE.search(f"Path(__file__).resolve().parents[2] / {shared}")
    assert BESIDE.search(f"read {up}shared/standards/x.ttl")
    assert not BESIDE.search("the team's shared folder")
    assert MACHINE.search('STANDARDS = Path("/' + 'work/shared/standards")')
    assert MACHINE.search("cp /" + "root/.cache/x .")
    assert not MACHINE.search("https://example.org/work/item")
    assert not MACHINE.search('CHROMIUM = Path("/usr/bin/chromium")')
    assert SCRATCH.search('SHOTS = Path("/' + 'tmp/lcgraph-pages")')
    assert not SCRATCH.search("http://127.0.0.1:8000/tmp/x")


@cache
def _checksum_files() -> tuple[str, ...]:
    return tuple(name for name in _tracked() if name.endswith("SHA256SUMS"))


def test_the_copies_have_their_checksums() -> None:
    assert {"standards/SHA256SUMS", "data/sources/SHA256SUMS"} <= set(_checksum_files())


@pytest.mark.parametrize("sums", _checksum_files())
def test_every_pinned_copy_is_in_the_clone_unchanged(sums: str) -> None:
    folder = (ROOT / sums).parent
    wrong = []
    for line in (ROOT / sums).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            wrong.append(name)
    assert wrong == []
