import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lumbung.frameworks import scorefile
from lumbung.frameworks.engine import ScoreInputError, compute
from lumbung.frameworks.models import Framework
from lumbung.frameworks.specs import spec_for


class Command(BaseCommand):
    help = (
        "Compute the Indeks Inovasi Daerah from a JSON file of levels and print the result as JSON. "
        "FILE '-' reads standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON input file, or - for standard input")

    def handle(self, *args, **options):
        request = self._read(options["file"])
        framework = self._framework(request.framework)
        try:
            result = compute(spec_for(framework), request.spd, request.innovations)
        except ScoreInputError as error:
            raise CommandError(scorefile.describe(error, request, framework.year)) from None
        self.stdout.write(json.dumps(scorefile.output(framework.year, result), ensure_ascii=False, indent=2))

    def _read(self, name):
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Berkas %(file)s tidak dapat dibaca: %(error)s") % {"file": name, "error": error}
            ) from None
        try:
            return scorefile.read(text)
        except scorefile.ScoreFileError as error:
            raise CommandError(str(error)) from None

    def _framework(self, year):
        framework = Framework.objects.filter(year=int(year)).first() if year.isdigit() else None
        if framework is None:
            known = ", ".join(str(y) for y in Framework.objects.order_by("year").values_list("year", flat=True))
            raise CommandError(
                _('Metodologi "%(year)s" tidak dikenal. Yang tersedia: %(known)s.')
                % {"year": year, "known": known or _("belum ada (jalankan manage.py load_reference_data)")}
            )
        return framework
