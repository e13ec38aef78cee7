"""The source strings are Indonesian, and Django's own Indonesian catalogue is active in the
Indonesian interface: a source string that is also an English msgid there gets "translated"
(the column title "No" read "Tidak"). Every string of the project must come out unchanged."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

KEYWORDS = ("msgctxt", "msgid_plural", "msgid")
# The language names of settings.LANGUAGES are English msgids on purpose ("English" reads "Inggris").
MEANT_TO_CHANGE = {"English"}


def catalogue_entries(path: Path):
    """(context, msgid, msgid_plural) of each entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {}, None
        for line in block.splitlines():
            if line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
                continue
            key = next((word for word in KEYWORDS if line.startswith(f"{word} ")), None)
            if key:
                entry[key] = ast.literal_eval(line[len(key) + 1 :])
        if entry.get("msgid"):
            yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")


def test_no_source_string_is_changed_by_the_indonesian_catalogues():
    root = Path(settings.BASE_DIR)
    catalogues = [root / "locale", *sorted((root / "lumbung").glob("*/locale"))]
    changed = []
    with translation.override("id"):
        for catalogue in catalogues:
            for context, msgid, plural in catalogue_entries(catalogue / "en" / "LC_MESSAGES" / "django.po"):
                if plural:
                    shown = ngettext(msgid, plural, 1)
                elif context:
                    shown = pgettext(context, msgid)
                else:
                    shown = gettext(msgid)
                if shown != msgid and msgid not in MEANT_TO_CHANGE:
                    changed.append((catalogue.parent.name, msgid, shown))
    assert changed == []
