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


EAGER = {"gettext", "ngettext", "pgettext"}


def _translated_at_import(path: Path) -> list[str]:
    """Calls of gettext (not gettext_lazy) that run when the module is imported: module and class
    level, decorators and default arguments. They freeze the language of whoever imported first."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    found = []

    class AtImport(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            for expression in [*node.decorator_list, *node.args.defaults, *filter(None, node.args.kw_defaults)]:
                self.visit(expression)

        def visit_AsyncFunctionDef(self, node):
            self.visit_FunctionDef(node)

        def visit_Lambda(self, node):
            pass

        def visit_Call(self, node):
            if isinstance(node.func, ast.Name) and node.func.id in names:
                found.append(f"{path}:{node.lineno}")
            self.generic_visit(node)

    if names:
        AtImport().visit(tree)
    return found


def test_no_string_is_translated_when_its_module_is_imported():
    root = Path(settings.BASE_DIR) / "lumbung"
    modules = [path for path in root.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts]
    assert [hit for path in modules for hit in _translated_at_import(path)] == []
