"""The English catalogues are complete: no msgstr is empty or fuzzy (an empty one shows the
Indonesian source in the English interface; a fuzzy one is a guess gettext ignores), neither in
the committed .po files nor after `make messages` picks up the strings added to the code since.
A failure names each string and where it comes from: translate it in the catalogue named."""

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = Path("en", "LC_MESSAGES", "django.po")
# What `make messages` leaves out of the scan, and what a copy of the sources does not need.
NOT_COPIED = (".venv", "var", ".git", "__pycache__", "*.pyc", "*.mo", "node_modules", ".ruff_cache", ".pytest_cache")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)

    def problem(self) -> str | None:
        if self.fuzzy:
            return "fuzzy"
        if not self.msgstr or not all(self.msgstr.values()):
            return "empty"
        return None


def entries(path: Path):
    """The translatable entries of a .po file (not the header, not obsolete #~ entries)."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.fuzzy = "fuzzy" in (flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith('"') and target is not None:
                kind, index = target
                if kind == "msgstr":
                    entry.msgstr[index] += ast.literal_eval(line)
                else:
                    setattr(entry, kind, getattr(entry, kind) + ast.literal_eval(line))
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
                kind, value = line.split(" ", 1)
                setattr(entry, kind, ast.literal_eval(value))
                target = (kind, None)
            elif line.startswith("msgstr"):
                head, value = line.split(" ", 1)
                index = int(head[len("msgstr[") : -1]) if head.startswith("msgstr[") else 0
                entry.msgstr[index] = ast.literal_eval(value)
                target = ("msgstr", index)
            else:
                target = None if not line.startswith("#") else target
        if entry.msgid:
            yield entry


def catalogues(root: Path) -> list[Path]:
    return [root / "locale" / CATALOGUE, *sorted(path / CATALOGUE for path in (root / "lumbung").glob("*/locale"))]


def problems(root: Path) -> list[str]:
    found = []
    for path in catalogues(root):
        for entry in entries(path):
            if problem := entry.problem():
                where = ", ".join(entry.references[:2]) or "?"
                found.append(f"{path.relative_to(root)}: {problem} msgid {entry.msgid!r} ({where})")
    return found


def test_the_parser_reads_plurals_contexts_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "Simpan"\nmsgstr "Save"\n\n'
        '#: b.html:2\n#, fuzzy, python-format\n#| msgid "lama"\nmsgid "%(n)s baris"\nmsgid_plural "%(n)s baris"\n'
        'msgstr[0] "%(n)s row"\nmsgstr[1] "%(n)s rows"\n\n'
        'msgctxt "bulan"\nmsgid ""\n"Mei"\nmsgstr ""\n\n'
        '#~ msgid "usang"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    found = list(entries(po))
    assert [(e.msgid, e.problem()) for e in found] == [("Simpan", None), ("%(n)s baris", "fuzzy"), ("Mei", "empty")]
    assert found[1].msgstr == {0: "%(n)s row", 1: "%(n)s rows"} and found[2].msgctxt == "bulan"


def test_every_english_msgstr_is_translated():
    found = problems(ROOT)
    assert not found, "Translate these in the English catalogues (then compilemessages):\n" + "\n".join(found)


@pytest.mark.skipif(not shutil.which("xgettext") or not shutil.which("msgmerge"), reason="GNU gettext is not installed")
def test_every_string_of_the_code_is_in_an_english_catalogue(tmp_path):
    """`make messages` on a copy of the sources: a string added to the code without its English
    translation comes out empty (or fuzzy, when gettext guesses from a similar one)."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=.venv", "--ignore=var"]
    result = subprocess.run(  # noqa: S603 (our own manage.py, a fixed command)
        [*command, "--no-obsolete", "-v0"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    found = problems(copy)
    assert not found, "Run `make messages` and translate these:\n" + "\n".join(found)
