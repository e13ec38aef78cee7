"""`manage.py iga_score FILE`: the index of a JSON file of levels, from the shipped methodology
files (frameworks/data/<year>.json) — the database is never opened, so it works on a fresh
checkout and gives the numbers of the files, not of a year edited in the app.

Exit codes: 0 scored (the result on standard output); 1 the input was refused (the reason on
standard error, naming the item); 2 the command line was wrong; 3 the methodology file of the
year is missing or does not pass its own check.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lumbung.frameworks import filespec, scorefile
from lumbung.frameworks.datafile import FrameworkDataError
from lumbung.frameworks.engine import ScoreInputError, compute

INPUT_REFUSED = 1
FRAMEWORK_UNUSABLE = 3


class Command(BaseCommand):
    help = (
        "Compute the Indeks Inovasi Daerah from a JSON file of levels and print the result as JSON, "
        "using the shipped methodology files (no database). FILE '-' reads standard input. Exit codes: "
        "0 scored, 1 input refused, 2 usage error, 3 methodology file unusable."
    )
    # The system checks may query the database; this command must run without one.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON input file (at most 5 MB), or - for standard input")

    def handle(self, *args, **options):
        request = self._read(options["file"])
        framework = self._framework(request.framework)
        try:
            result = compute(framework.spec, request.spd, request.innovations)
        except ScoreInputError as error:
            raise CommandError(scorefile.describe(error, request, framework.year)) from None
        output = scorefile.output(framework, result, request)
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _read(self, name):
        try:
            raw = self._bytes(name)
            scorefile.check_size(len(raw))
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Berkas %(file)s tidak dapat dibaca: %(error)s") % {"file": name, "error": error}
            ) from None
        except scorefile.ScoreFileError as error:
            raise CommandError(str(error)) from None
        try:
            return scorefile.read(text, affairs=filespec.affair_aliases())
        except scorefile.ScoreFileError as error:
            raise CommandError(str(error)) from None

    def _bytes(self, name) -> bytes:
        """At most one byte past the limit, so a huge file is refused without being read."""
        limit = scorefile.MAX_BYTES + 1
        if name == "-":
            stream = getattr(sys.stdin, "buffer", None)
            return stream.read(limit) if stream is not None else sys.stdin.read(limit).encode("utf-8")
        with Path(name).open("rb") as handle:
            return handle.read(limit)

    def _framework(self, year):
        known = filespec.available_years()
        if not year.isdigit() or int(year) not in known:
            raise CommandError(
                _('Metodologi "%(year)s" tidak dikenal. Yang tersedia: %(known)s.')
                % {"year": year, "known": ", ".join(map(str, known)) or "-"}
            )
        try:
            return filespec.framework_from_file(int(year))
        except (OSError, FrameworkDataError) as error:
            raise CommandError(
                _("Berkas metodologi %(year)s tidak dapat dipakai: %(error)s") % {"year": year, "error": error},
                returncode=FRAMEWORK_UNUSABLE,
            ) from None
