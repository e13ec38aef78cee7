"""Load the shipped methodology files (data/<year>.json) into the database (idempotent)."""

import hashlib
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .datafile import FrameworkDataError, parse
from .services import framework_import

DATA = Path(__file__).parent / "data"
OUTCOMES = {
    "created": gettext_lazy("dimuat"),
    "updated": gettext_lazy("diperbarui"),
    "unchanged": gettext_lazy("tidak berubah"),
    "kept_edits": gettext_lazy("tidak ditimpa (sudah diubah di aplikasi)"),
}


def load() -> str:
    done = []
    for path in sorted(DATA.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        try:
            framework, outcome = framework_import(
                data=parse(text), source_file=path.name, checksum=hashlib.sha256(text.encode()).hexdigest()
            )
        except FrameworkDataError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            message = _("Berkas %(file)s tidak dapat dimuat:\n%(lines)s") % {"file": path.name, "lines": lines}
            raise CommandError(message) from None
        done.append(f"{framework.year} {OUTCOMES[outcome]}")
    return ", ".join(done)
