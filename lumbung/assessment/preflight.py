"""The pre-flight check of the region's submission pack: before anything is uploaded to the
national portal, what each SPD row and each entered innovation's row would score from what the
pack holds, and why a row would score zero.

Only evidence of rows a verifier judged "sesuai" goes into the pack (regionpack.py); evidence of
rejected rows and of rows still waiting for a verdict is listed here instead, never packed
silently. The IID of the pack is the frameworks engine's on the levels the pack can back up:
an accepted row with at least one piece of evidence inside its evidence-year window counts at its
level, every other row at 0, only eligible innovations count in n (as in scoring.py).

Everything is read as small tuples in a fixed number of queries, whatever the size of the region,
so the same check serves the page (one page of problems at a time), the XLSX report and the ZIP.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.frameworks.engine import IndexResult, InnovationInput, compute
from lumbung.frameworks.models import Indicator
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.models import Innovation

from .eligibility import describe
from .models import AWAITING_VERDICT, Answer, Assessment, EvidenceLink, RegionAnswer, RejectReason, RowStatus

SPD_FOLDER = "SPD"


class Issue(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    MANDATORY_MISSING = "mandatory_missing"
    ZERO = "zero"
    REJECTED = "rejected"
    UNVERIFIED = "unverified"
    NO_EVIDENCE = "no_evidence"
    PAST_WINDOW = "past_window"


ISSUE_LABELS = {
    Issue.NOT_ELIGIBLE: gettext_lazy("Tidak dihitung (belum memenuhi syarat)"),
    Issue.MANDATORY_MISSING: gettext_lazy("Wajib, belum ada di paket"),
    Issue.ZERO: gettext_lazy("Bernilai 0 dari isi paket"),
    Issue.REJECTED: gettext_lazy("Ditolak verifikator"),
    Issue.UNVERIFIED: gettext_lazy("Belum diverifikasi"),
    Issue.NO_EVIDENCE: gettext_lazy("Tanpa eviden"),
    Issue.PAST_WINDOW: gettext_lazy("Eviden di luar tahun yang diminta"),
}


def years_allowed(labels, year: int) -> frozenset[int]:
    """The calendar years a rule's labels ("T-0", "T-1" ...) accept in assessment `year` (as
    evidence.allowed_evidence_years, from the plain values)."""
    years = set()
    for label in labels or []:
        try:
            years.add(year - int(str(label).upper().replace("T", "").replace("-", "") or 0))
        except ValueError:
            continue
    return frozenset(years)


def evidence_file_name(order: int, code: str, position: int, title: str, stored_name: str) -> str:
    """The name of a packed evidence file, as the per-innovation pack names it (packs.py):
    form order, indicator code, position on the row, title."""
    extension = posixpath.splitext(stored_name)[1] or ".pdf"
    return f"{order:02d}_ind{code}_{position}_{slugify(title)[:50] or 'eviden'}{extension}"


@dataclass(frozen=True)
class Evidence:
    link_id: int
    document_id: int
    title: str
    year: int
    file_name: str  # the stored file's name ("" for a link)
    link: str
    in_window: bool
    # The name inside the ZIP's folder (evidence files of accepted rows only).
    packed_name: str = ""


@dataclass
class RowCheck:
    scope: str  # "spd" or "inovasi"
    pk: int
    entry_id: int | None
    code: str
    order: int
    name: str
    mandatory: bool
    level: int
    status: str
    accepted_level: int
    verdict_reason: str
    verdict_note: str
    allowed_years: frozenset[int]
    evidence: list[Evidence] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def packed(self) -> bool:
        """The row's evidence goes into the pack (a verifier found it "sesuai")."""
        return self.status == RowStatus.ACCEPTED

    @property
    def packed_level(self) -> int:
        """What the row is worth from the pack: its level when accepted and backed by evidence
        inside the year window, else 0."""
        return self.level if self.packed and any(item.in_window for item in self.evidence) else 0

    @property
    def status_label(self) -> str:
        return str(RowStatus(self.status).label)

    def details(self) -> list[str]:
        """One sentence per problem, in the reader's language."""
        texts = []
        for issue in self.issues:
            if issue == Issue.REJECTED:
                reason = RejectReason(self.verdict_reason).label if self.verdict_reason else ""
                texts.append(
                    _("Ditolak: %(reason)s%(note)s. Eviden baris ini tidak dikemas.")
                    % {
                        "reason": reason or _("tanpa alasan"),
                        "note": f" ({self.verdict_note})" if self.verdict_note else "",
                    }
                )
            elif issue == Issue.UNVERIFIED:
                text = _("Parameter %(level)s menunggu putusan verifikator; evidennya tidak dikemas.") % {
                    "level": self.level
                }
                if self.accepted_level:
                    text += " " + _("Parameter %(level)s sudah sesuai sebelumnya.") % {"level": self.accepted_level}
                texts.append(text)
            elif issue == Issue.NO_EVIDENCE:
                texts.append(_("Parameter %(level)s diisi tanpa eviden.") % {"level": self.level})
            elif issue == Issue.PAST_WINDOW:
                late = ", ".join(f"{item.title} ({item.year})" for item in self.evidence if not item.in_window)
                texts.append(
                    _("Di luar tahun %(years)s: %(documents)s.")
                    % {"years": ", ".join(str(year) for year in sorted(self.allowed_years)), "documents": late}
                )
            elif issue == Issue.ZERO:
                texts.append(_("Parameter %(level)s diisi, tetapi isi paket memberinya 0.") % {"level": self.level})
            elif issue == Issue.MANDATORY_MISSING:
                texts.append(_("Indikator wajib tanpa parameter yang didukung eviden sesuai."))
        return texts

    def not_packed(self) -> list[Evidence]:
        return [] if self.packed else list(self.evidence)


@dataclass
class EntryCheck:
    pk: int
    name: str
    unit: str
    eligible: bool
    reasons: list[str]
    affairs: frozenset[str]
    folder: str = ""
    rows: list[RowCheck] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [Issue.NOT_ELIGIBLE] if not self.eligible else []

    @property
    def unfilled(self) -> int:
        return sum(1 for row in self.rows if row.level == 0)


@dataclass
class Preflight:
    assessment: Assessment
    spd_rows: list[RowCheck]
    entries: list[EntryCheck]
    result: IndexResult  # the engine's figures on what the pack holds

    def problem_rows(self) -> list[tuple[EntryCheck | None, RowCheck | None]]:
        """Every SPD row and innovation (row) with a problem, SPD first, then by innovation."""
        found: list[tuple[EntryCheck | None, RowCheck | None]] = [(None, row) for row in self.spd_rows if row.issues]
        for entry in self.entries:
            if not entry.eligible:
                found.append((entry, None))
                continue
            found.extend((entry, row) for row in entry.rows if row.issues)
        return found

    def counts(self) -> dict[Issue, int]:
        counter: Counter = Counter()
        for entry, row in self.problem_rows():
            counter.update(row.issues if row is not None else entry.issues)
        return {issue: counter[issue] for issue in Issue if counter[issue]}

    def all_rows(self):
        yield from ((None, row) for row in self.spd_rows)
        for entry in self.entries:
            yield from ((entry, row) for row in entry.rows)

    @property
    def packed_files(self) -> int:
        return sum(1 for _entry, row in self.all_rows() for item in row.evidence if item.packed_name)


def _issues(row: RowCheck, *, counts: bool) -> list[Issue]:
    issues = []
    if row.status == RowStatus.REJECTED:
        issues.append(Issue.REJECTED)
    elif row.status in AWAITING_VERDICT:
        issues.append(Issue.UNVERIFIED)
    if row.level and not row.evidence:
        issues.append(Issue.NO_EVIDENCE)
    if any(not item.in_window for item in row.evidence):
        issues.append(Issue.PAST_WINDOW)
    if counts and row.mandatory and not row.packed_level:
        issues.append(Issue.MANDATORY_MISSING)
    elif counts and row.level and not row.packed_level:
        issues.append(Issue.ZERO)
    return issues


def _indicators(assessment: Assessment) -> dict[int, tuple]:
    values = Indicator.objects.filter(framework=assessment.framework_id).values_list(
        "pk", "code", "order", "name", "is_mandatory", "evidence_years"
    )
    return {
        pk: (code, order, name, mandatory, years_allowed(years, assessment.year))
        for pk, code, order, name, mandatory, years in values
    }


ROW_FIELDS = ("pk", "indicator_id", "level", "status", "accepted_level", "verdict_reason", "verdict_note")
LINK_FIELDS = ("pk", "document_id", "document__title", "document__year", "document__file", "document__link")


def _rows(queryset, indicators, scope: str, entry_field: str | None) -> list[RowCheck]:
    fields = (*ROW_FIELDS, entry_field) if entry_field else ROW_FIELDS
    rows = []
    for values in queryset.values_list(*fields).order_by():
        pk, indicator_id, level, status, accepted, reason, note = values[:7]
        code, order, name, mandatory, years = indicators[indicator_id]
        rows.append(
            RowCheck(scope, pk, values[7] if entry_field else None, code, order, name, mandatory, level, status,
                     accepted, reason, note, years)
        )  # fmt: skip
    rows.sort(key=lambda row: (row.entry_id or 0, row.order))
    return rows


def _attach_evidence(rows: list[RowCheck], links, row_field: str) -> None:
    by_pk = {row.pk: row for row in rows}
    for values in links.values_list(row_field, *LINK_FIELDS).order_by("attached_at", "pk"):
        row = by_pk.get(values[0])
        if row is None:
            continue
        _pk, document_id, title, year, file_name, link = values[1:]
        in_window = not row.allowed_years or year in row.allowed_years
        position = sum(1 for item in row.evidence if item.file_name) + 1
        packed = evidence_file_name(row.order, row.code, position, title, file_name) if row.packed and file_name else ""
        row.evidence.append(Evidence(values[1], document_id, title, year, file_name or "", link, in_window, packed))


def _entries(assessment: Assessment) -> list[EntryCheck]:
    entries = assessment.entries.order_by("innovation__name", "pk").values_list(
        "pk", "innovation_id", "innovation__name", "innovation__unit__name", "is_eligible", "eligibility_reasons",
        "innovation__main_affair__code",
    )  # fmt: skip
    checks, by_innovation = [], {}
    for pk, innovation_id, name, unit, eligible, reasons, main in entries:
        check = EntryCheck(pk, name, unit, eligible, [describe(reason) for reason in reasons], frozenset({main}))
        checks.append(check)
        by_innovation[innovation_id] = check
    related = Innovation.related_affairs.through.objects.filter(innovation__assessment_entries__assessment=assessment)
    for innovation_id, code in related.values_list("innovation_id", "governmentaffair__code"):
        check = by_innovation[innovation_id]
        check.affairs = check.affairs | {code}
    width = max(3, len(str(len(checks))))
    for position, check in enumerate(checks, start=1):
        check.folder = f"inovasi/{position:0{width}d}_{slugify(check.name)[:50] or 'inovasi'}"
    return checks


def run(assessment: Assessment) -> Preflight:
    """The check of the whole region, in seven queries."""
    indicators = _indicators(assessment)
    spd_rows = _rows(RegionAnswer.objects.filter(assessment=assessment), indicators, "spd", None)
    _attach_evidence(spd_rows, EvidenceLink.objects.filter(region_answer__assessment=assessment), "region_answer_id")
    answers = _rows(Answer.objects.filter(scoring_assessment=assessment), indicators, "inovasi", "entry_id")
    _attach_evidence(answers, EvidenceLink.objects.filter(answer__scoring_assessment=assessment), "answer_id")
    entries = _entries(assessment)
    by_entry = {entry.pk: entry for entry in entries}
    for row in answers:
        entry = by_entry[row.entry_id]
        entry.rows.append(row)
        row.issues = _issues(row, counts=entry.eligible)
    for row in spd_rows:
        row.issues = _issues(row, counts=True)
    return Preflight(assessment, spd_rows, entries, packed_result(assessment, spd_rows, entries))


def packed_result(assessment: Assessment, spd_rows: list[RowCheck], entries: list[EntryCheck]) -> IndexResult:
    """The engine on what the pack holds: the same formula the stored figures come from."""
    spd = {row.code: row.packed_level for row in spd_rows}
    items = [
        InnovationInput(str(entry.pk), entry.affairs, {row.code: row.packed_level for row in entry.rows})
        for entry in entries
        if entry.eligible
    ]
    return compute(spec_for(assessment.framework), spd, items)


# The report as spreadsheet sheets (inside the ZIP, and as a download of the page) ---------------


def _where(entry: EntryCheck | None) -> str:
    return entry.name if entry is not None else _("SPD (tingkat pemda)")


def summary_rows(check: Preflight) -> list[tuple[str, object]]:
    result, figures = check.result, check.assessment.figures
    rows = [
        (_("Pemda"), check.assessment.region.name),
        (_("Tahun penilaian"), check.assessment.year),
        (_("IID dari isi paket"), result.iid),
        (_("Predikat dari isi paket"), result.predicate),
        (_("Skor SPD dari isi paket"), result.spd_score),
        (_("Rata-rata kematangan dari isi paket"), result.sid_average),
        (_("Inovasi dihitung / pembagi"), f"{result.innovation_count} / {result.divisor}"),
        (_("Urusan pelayanan dasar tercakup"), result.basic_services_covered),
        (_("Skor jumlah inovasi"), result.count_score),
    ]
    for name, label in (
        ("verified", _("IID terverifikasi (tersimpan)")),
        ("expected", _("IID diharapkan (tersimpan)")),
        ("claimed", _("IID klaim (tersimpan)")),
    ):
        rows.append((label, figures.get(name, {}).get("iid", "")))
    rows.append((_("Berkas eviden dalam paket"), check.packed_files))
    rows += [(str(ISSUE_LABELS[issue]), count) for issue, count in check.counts().items()]
    return rows


def report_sheets(check: Preflight) -> list:
    """(name, headers, rows) of the pre-flight report's workbook."""

    def problems():
        for entry, row in check.problem_rows():
            if row is None:
                yield (_where(entry), entry.unit, "", "", str(ISSUE_LABELS[Issue.NOT_ELIGIBLE]), "", "",
                       " ".join(entry.reasons))  # fmt: skip
                continue
            yield (
                _where(entry), entry.unit if entry else "", row.code, row.name,
                "; ".join(str(ISSUE_LABELS[issue]) for issue in row.issues), row.status_label, row.level,
                " ".join(row.details()),
            )  # fmt: skip

    def left_out():
        for entry, row in check.all_rows():
            for item in row.not_packed():
                yield (_where(entry), row.code, row.status_label, item.title, item.year, item.link or item.file_name)

    return [
        (_("Ringkasan"), [_("Butir"), _("Nilai")], summary_rows(check)),
        (
            _("Masalah"),
            [
                _("Bagian"),
                _("Perangkat daerah"),
                _("Indikator"),
                _("Nama indikator"),
                _("Masalah"),
                _("Status"),
                _("Parameter"),
                _("Keterangan"),
            ],
            problems(),
        ),  # fmt: skip
        (
            _("Eviden tidak dikemas"),
            [_("Bagian"), _("Indikator"), _("Status baris"), _("Dokumen"), _("Tahun"), _("Berkas atau tautan")],
            left_out(),
        ),
    ]
