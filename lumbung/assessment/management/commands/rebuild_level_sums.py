"""`manage.py rebuild_level_sums [--check] [--assessment ID]`: the sums the database triggers keep
(IndicatorLevelSum, AffairCount; ADR 0010) recomputed from the answers and entries, or, with
--check, only compared with them.

Data loaded with the triggers off (`session_replication_role = replica`, a restore of some tables
only) leaves sums that no longer match the rows; the figures read from them are then wrong too, so
a rebuild also recomputes the figures of the assessments it rebuilt.

Exit codes: 0 rebuilt, or (--check) every sum equals its rows; 1 (--check) some differ, listed on
standard error; 2 the command line was wrong (an id that is not a number or names no assessment).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.assessment.models import Assessment
from lumbung.assessment.scoring import (
    assessment_recompute,
    level_sums_differing,
    rebuild_level_sums,
    recompute_year,
)

SUMS_DIFFER = 1
BAD_INPUT = 2


def _label(assessment: Assessment) -> str:
    return _("#%(id)s %(region)s tahun %(year)s") % {
        "id": assessment.pk,
        "region": assessment.region.name,
        "year": assessment.year,
    }


class Command(BaseCommand):
    help = (
        "Hitung ulang jumlah tersimpan (IndicatorLevelSum, AffairCount) dari baris jawaban dan entri, lalu angka "
        "indeks penilaian yang bersangkutan; dengan --check hanya memeriksa tanpa menulis (kode keluar 1 bila ada "
        "yang berbeda)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Hanya periksa apakah jumlah tersimpan sama dengan baris jawaban; tidak menulis apa pun.",
        )
        parser.add_argument("--assessment", metavar="ID", help="Batasi pada satu penilaian (ID-nya).")

    def handle(self, *args, check=False, assessment=None, **options):
        chosen = self._assessment(assessment) if assessment is not None else None
        ids = [chosen.pk] if chosen is not None else None
        if check:
            self._check(ids, chosen)
            return
        written = rebuild_level_sums(assessment_ids=ids)
        recomputed = self._recompute(chosen)
        self.stdout.write(
            ngettext(
                "Jumlah tersimpan dibangun ulang dari baris jawaban (%(rows)s baris); angka indeks %(count)s "
                "penilaian dihitung ulang.",
                "Jumlah tersimpan dibangun ulang dari baris jawaban (%(rows)s baris); angka indeks %(count)s "
                "penilaian dihitung ulang.",
                recomputed,
            )
            % {"rows": written, "count": recomputed}
        )

    def _assessment(self, value: str) -> Assessment:
        text = value.strip()
        if not (text.isascii() and text.isdigit()):  # "²" and "١٢" are digits to str.isdigit
            raise CommandError(
                _('ID penilaian harus berupa bilangan bulat, misalnya --assessment 12; bukan "%(value)s".')
                % {"value": value},
                returncode=BAD_INPUT,
            )
        # An id longer than any key (a pasted number) names nothing rather than overflowing the column.
        found = (
            Assessment.objects.select_related("region", "framework").filter(pk=int(text)).first()
            if len(text) <= 18
            else None
        )
        if found is None:
            raise CommandError(
                _("Tidak ada penilaian dengan ID %(id)s.") % {"id": int(text)},
                returncode=BAD_INPUT,
            )
        return found

    def _check(self, ids, chosen) -> None:
        differing = level_sums_differing(assessment_ids=ids)
        if not differing:
            if chosen is not None:
                message = _("Jumlah tersimpan penilaian %(assessment)s sama dengan baris jawabannya.") % {
                    "assessment": _label(chosen)
                }
            else:
                message = _("Jumlah tersimpan semua penilaian sama dengan baris jawabannya.")
            self.stdout.write(message)
            return
        assessments = Assessment.objects.select_related("region").filter(pk__in=differing).order_by("pk")
        heading = ngettext(
            "Jumlah tersimpan %(count)s penilaian berbeda dari baris jawabannya:",
            "Jumlah tersimpan %(count)s penilaian berbeda dari baris jawabannya:",
            len(differing),
        ) % {"count": len(differing)}
        advice = _("Jalankan manage.py rebuild_level_sums tanpa --check untuk menghitungnya ulang.")
        lines = [heading, *(f"- {_label(item)}" for item in assessments), advice]
        self.stderr.write("\n".join(lines))
        sys.exit(SUMS_DIFFER)

    def _recompute(self, chosen) -> int:
        """The stored figures were computed from the sums just replaced: compute them again."""
        if chosen is not None:
            assessment_recompute(assessment=chosen)
            return 1
        years = Assessment.objects.order_by("year").values_list("year", flat=True).distinct()
        return sum(recompute_year(year=year) for year in years)
