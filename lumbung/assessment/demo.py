"""Lampung Barat's IGA assessment in progress: SPD answers from BPS and BPK figures, the
registry's implemented innovations entered (some not eligible, with the reasons), evidence from
a shared library (one Perbup serves every innovation), rows accepted, rejected with reasons and
still missing, so the planner has real work; actions assigned from it; the 2019–2021 results."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.frameworks.models import Framework
from lumbung.innovations.models import Innovation

from . import evidence, services
from .demo_regions import load_region  # noqa: F401 - the other Lampung regions (load_demo calls it)
from .models import Answer, Assessment, Document, RegionAnswer, RowStatus
from .planning import action_target, describe, plan_for

D = Decimal
S = Innovation.Status

# SPD rows: (code, level or measured value, verdict, evidence title). Verdicts: "accept",
# "reject:<reason>", "pending" (claimed, not judged yet), "bare" (claimed without evidence).
SPD = [
    ("1", 3, "accept", "Perda Nomor 5 Tahun 2021 tentang RPJMD Kabupaten Lampung Barat 2021–2026 (visi dan misi)"),
    ("2a", D("3"), "accept", "Perda APBD Kabupaten Lampung Barat Tahun Anggaran 2024, 2025 dan 2026"),
    ("2b", D("3"), "pending", "Rekapitulasi belanja wajib APBD Kabupaten Lampung Barat 2026"),
    ("3", D("12.41"), "accept", "Rekap izin terbit DPMPTSP Kabupaten Lampung Barat 2024–2025"),
    ("4", D("4.12"), "accept", "BPS: PDRB per kapita atas dasar harga konstan Lampung Barat 2024–2025"),
    ("5a", D("0.21"), "accept", "BPS: Tingkat Pengangguran Terbuka Kabupaten Lampung Barat 2024–2025"),
    ("5b", D("2.87"), "accept", "BPS: Tingkat Pengangguran Terbuka Kabupaten Lampung Barat 2024–2025"),
    ("6", D("35.60"), "reject:wrong_year", "Laporan realisasi investasi DPMPTSP triwulan IV"),
    ("7", D("9.84"), "bare", ""),
    ("8", 3, "accept", "LHP BPK atas LKPD Kabupaten Lampung Barat Tahun 2025 (opini WTP)"),
    ("9", 2, "pending", "Hasil evaluasi SAKIP Kabupaten Lampung Barat Tahun 2025 (nilai B)"),
    ("10a", D("0.42"), "accept", "BPS: Persentase penduduk miskin Lampung Barat 2024–2025"),
    ("10b", D("11.62"), "accept", "BPS: Persentase penduduk miskin Lampung Barat 2024–2025"),
    ("11a", D("0.71"), "accept", "BPS: Indeks Pembangunan Manusia Lampung Barat 2024–2025"),
    ("11b", D("69.48"), "bare", ""),  # Diskominfo still has to upload the BPS release
    ("12", 2, "accept", "SK Bupati tentang Pemberian Penghargaan bagi Inovator Daerah"),
    ("13a", D("5"), "pending", "Rekomendasi kebijakan BRIDA Lampung Barat 2024–2026"),
    ("14", 1, "accept", "Draf Rencana Induk dan Peta Jalan Pemajuan Iptek Daerah"),
]

# The unit answering for each SPD row (short names of organisation/demo.py): BPS figures go to
# Diskominfo, which holds the regency's sectoral statistics.
SPD_UNITS = {
    "1": "Bappeda", "2a": "BPKAD", "2b": "BPKAD", "3": "DPMPTSP", "4": "Diskominfo", "5a": "Diskominfo",
    "5b": "Diskominfo", "6": "DPMPTSP", "7": "Bapenda", "8": "BPKAD", "9": "Bag. Organisasi", "10a": "Diskominfo",
    "10b": "Diskominfo", "11a": "Diskominfo", "11b": "Diskominfo", "12": "BRIDA", "13a": "BRIDA", "13b": "Bappeda",
    "14": "BRIDA", "15": "BRIDA",
}  # fmt: skip

# Innovation rows: (code, evidence kind, document title pattern). "shared:<key>" reuses one library
# document for every innovation; "{name}" and "{unit}" are filled per innovation.
ROWS = [
    ("16", "shared:perbup", ""),
    ("17", "pdf", "SK Kepala {unit} tentang Tim Pelaksana Inovasi {name}"),
    ("18", "pdf", "Kutipan DPA {unit} Tahun 2024–2026: belanja {name}"),
    ("19", "image", "Tangkapan layar alat kerja {name}"),
    ("21", "shared:rkpd", ""),
    ("22", "pdf", "Notulen rembug warga dan daftar mitra {name}"),
    ("23", "same:17", ""),
    ("24", "same:17", ""),
    ("26", "pdf", "Petunjuk teknis {name}"),
    ("27", "image", "Tangkapan layar kanal informasi {name}"),
    ("28", "pdf", "SOP {name}"),
    ("29", "pdf", "Rekap pengaduan dan penyelesaian {name} 2025–2026"),
    ("30", "image", "Tampilan layanan terintegrasi {name}"),
    ("32", "pdf", "Proposal dan linimasa penciptaan {name}"),
    ("33", "pdf", "Rekap penerima manfaat {name}"),
    ("34", "pdf", "Laporan survei kepuasan masyarakat {name}"),
    ("35", "link", "Video inovasi {name}"),
]
MANDATORY_GAPS = ("32", "33", "35")  # left empty on some innovations
# What a verifier writes when a row's evidence falls short, by indicator.
REJECTIONS = {
    "16": ("name_missing", "Nama inovasi tidak tercantum di lampiran Perbup; lampirkan halaman daftar inovasinya."),
    "17": ("not_signed", "SK tim masih draf tanpa tanda tangan elektronik kepala perangkat daerah."),
    "18": ("wrong_year", "Kutipan DPA yang dilampirkan tahun 2023; indikator ini meminta T-2 sampai T-0."),
    "19": ("unreadable", "Tangkapan layar terlalu kecil; tampilkan halaman utama aplikasi secara utuh."),
    "22": ("incomplete", "Daftar mitra tanpa notulen atau foto rembug warga."),
    "26": ("wrong_document", "Yang dilampirkan brosur, bukan petunjuk teknis."),
    "28": ("level_not_supported", "SOP menyebut waktu layanan 3 hari, bukan 1 hari seperti parameter yang dipilih."),
    "29": ("incomplete", "Rekap pengaduan hanya tahun berjalan; lampirkan juga tahun lalu."),
    "33": ("level_not_supported", "Daftar penerima manfaat tidak sampai jumlah yang diklaim."),
    "34": ("incomplete", "Laporan SKM tanpa lampiran rekap kuesioner."),
    "35": ("link_broken", "Video bersifat privat; ubah menjadi publik atau tidak terdaftar."),
}
GENERIC_REJECTION = ("name_missing", "Halaman yang memuat nama inovasi belum dilampirkan.")
RESULTS = [
    (2019, D("38.41"), 25, "Inovatif", "Nilai ilustrasi demo; peringkat 25 kabupaten."),
    (2020, D("55.73"), 6, "Inovatif", "Nilai ilustrasi demo; peringkat 6 kabupaten."),
    (2021, D("68.95"), 1, "Sangat Inovatif", "Nilai ilustrasi demo; terinovatif kategori kabupaten."),
]


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, built by hand so the demo needs no renderer."""

    def text(value: str) -> bytes:
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return escaped.encode("cp1252", "replace")

    ops = [b"BT /F1 15 Tf 56 780 Td (" + text(title[:80]) + b") Tj ET"]
    for index, line in enumerate(lines):
        ops.append(b"BT /F1 11 Tf 56 %d Td (" % (745 - index * 18) + text(line[:95]) + b") Tj ET")
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes(title: str, colour: tuple[int, int, int]) -> bytes:
    """A screenshot-like picture: a coloured bar and the title."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 560), (246, 248, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 900, 70), fill=colour)
    draw.text((24, 26), title[:90], fill=(255, 255, 255))
    for row in range(6):
        draw.rectangle((40, 110 + row * 70, 860, 160 + row * 70), outline=(180, 190, 195), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class Library:
    """Files documents once (document_store) and hands them back by key."""

    def __init__(self, demo: Demo, region, actor):
        self.demo, self.region, self.actor = demo, region, actor
        self.count = 0

    def file(self, title: str, year: int, kind: str = "pdf", *, actor=None, number: str = "") -> Document:
        self.count += 1
        if kind == "link":
            slug = f"lambar{self.count:03d}"
            return evidence.document_store(
                region=self.region, actor=actor or self.actor, title=title, year=year,
                link=f"https://www.youtube.com/watch?v={slug}", source="demo",
            )  # fmt: skip
        if kind == "image":
            colour = self.demo.random.choice([(11, 93, 75), (27, 79, 138), (138, 90, 0)])
            upload = SimpleUploadedFile(f"tangkapan-{self.count}.png", png_bytes(title, colour), "image/png")
        else:
            lines = [
                "PEMERINTAH KABUPATEN LAMPUNG BARAT",
                number or f"Nomor: {self.count:03d}/BRIDA/{year}",
                f"Tahun {year}",
                "Dokumen ini dibuat untuk demo Lumbung Inovasi.",
            ]
            upload = SimpleUploadedFile(f"dokumen-{self.count}.pdf", pdf_bytes(title, lines), "application/pdf")
        return evidence.document_store(
            region=self.region, actor=actor or self.actor, title=title, year=year, file=upload, number=number,
            issued_on=dt.date(year, 1 + self.count % 12, 1 + self.count % 27) if year < timezone.localdate().year
            else None, source="demo",
        )  # fmt: skip


def demo_year() -> int | None:
    """The latest methodology in force this year (2026 while 2027 is still a draft)."""
    today = timezone.localdate()
    framework = Framework.objects.filter(year__lte=today.year, status=Framework.Status.ACTIVE).order_by("-year").first()
    return framework.year if framework else None


def load(demo: Demo) -> None:
    year = demo_year()
    if year is None:
        return
    admin, verifier = demo.users["admin"], demo.users["verifier"]
    today = timezone.localdate()
    assessment = Assessment.objects.filter(region=demo.region, year=year).first() or services.assessment_create(
        region=demo.region, year=year, framework=Framework.objects.get(year=year), actor=admin,
        # A year in progress: collection closes in three weeks, whenever the demo is loaded.
        collection_starts=today - dt.timedelta(days=70), collection_ends=today + dt.timedelta(days=21),
        validation_starts=today + dt.timedelta(days=22), validation_ends=today + dt.timedelta(days=55),
        presentation_starts=today + dt.timedelta(days=70), presentation_ends=today + dt.timedelta(days=72),
        field_check_starts=today + dt.timedelta(days=80), field_check_ends=today + dt.timedelta(days=92),
    )  # fmt: skip
    library = Library(demo, demo.region, admin)
    _assign_units(demo, assessment, admin)
    _region_rows(assessment, library, admin, verifier, demo.users["operator"])
    entries = _entries(demo, assessment, admin)
    _innovation_rows(demo, assessment, entries, library, verifier)
    _new_version(library, assessment, admin)
    _planned_actions(demo, assessment, admin)
    _stage_modules(demo, assessment, admin, verifier)
    for result_year, iid, rank, predicate, notes in RESULTS:
        services.official_result_save(
            region=demo.region, year=result_year, actor=admin, iid=iid, rank=rank, rank_scope="Kabupaten",
            predicate=predicate, notes=notes, decree=f"Keputusan Menteri Dalam Negeri tentang Pemberian Penghargaan IGA {result_year}",
        )  # fmt: skip
    demo.shared["assessment"] = assessment


def _latest_year(row, assessment_year: int) -> int:
    years = sorted(evidence.allowed_evidence_years(row), reverse=True)
    return years[0] if years else assessment_year


def _assign_units(demo: Demo, assessment: Assessment, admin) -> None:
    units = demo.shared["units"]
    rows = assessment.region_answers.select_related("indicator")
    assignments = {row.pk: units[SPD_UNITS[row.indicator.code]] for row in rows if row.indicator.code in SPD_UNITS}
    services.region_rows_assign(assessment=assessment, units=assignments, actor=admin)


def _region_rows(assessment: Assessment, library: Library, admin, verifier, operator) -> None:
    rows = {
        row.indicator.code: row
        for row in RegionAnswer.objects.filter(assessment=assessment).select_related("indicator", "assessment", "unit")
    }
    for code, value, verdict, title in SPD:
        row = rows.get(code)
        if row is None:
            continue
        # Diskominfo's operator answers the rows of their unit; the admin answers the others.
        actor = operator if operator.operates_unit(row.unit) else admin
        if isinstance(value, Decimal) and row.indicator.thresholds:
            services.answer_set(row=row, measured_value=value, actor=actor)
        else:
            services.answer_set(row=row, level=int(value), actor=actor)
        if verdict == "bare":
            continue
        # Filed under its row's latest allowed year; the verifier reads the content.
        document = library.file(title, _latest_year(row, assessment.year), actor=actor)
        evidence.evidence_link(document=document, row=row, actor=actor)
        _judge(row, verdict, verifier)


def _judge(row, verdict: str, verifier) -> None:
    if verdict == "accept":
        services.row_transition(row=row, action="accept", actor=verifier)
    elif verdict.startswith("reject:"):
        reason = verdict.split(":", 1)[1]
        note = "Isi laporan ternyata realisasi investasi tahun 2022; indikator ini meminta T-2 dan T-1."
        services.row_transition(row=row, action="reject", actor=verifier, reason=reason, note=note)


def _entries(demo: Demo, assessment: Assessment, admin) -> list:
    """Every implemented innovation past its first review is entered; the check decides."""
    candidates = (
        Innovation.objects.filter(region=demo.region, stage=Innovation.Stage.IMPLEMENTATION)
        .exclude(status__in=[S.DRAFT, S.RETURNED])
        .select_related("unit")
        .order_by("name")
    )
    entered = []
    for innovation in candidates:
        existing = assessment.entries.filter(innovation=innovation).first()
        entered.append(existing or services.entry_add(assessment=assessment, innovation=innovation, actor=admin))
    return entered


def _innovation_rows(demo: Demo, assessment: Assessment, entries: list, library: Library, verifier) -> None:
    rng = demo.random
    shared = {
        "perbup": library.file(
            "Peraturan Bupati Lampung Barat Nomor 18 Tahun 2025 tentang Inovasi Daerah", assessment.year - 1,
            number="Nomor 18 Tahun 2025",
        ),
        "rkpd": library.file(f"RKPD Kabupaten Lampung Barat Tahun {assessment.year}: program inovasi daerah", assessment.year),
    }  # fmt: skip
    eligible = [entry for entry in entries if entry.is_eligible]
    for position, entry in enumerate(eligible):
        innovation = entry.innovation
        strength = (0.85, 0.7, 0.5)[position % 3]  # strong, medium and weak innovations
        skipped = set(MANDATORY_GAPS[: position % 4]) if position % 3 == 2 else set()
        operator = demo.users["operator"] if innovation.unit.short_name == "Diskominfo" else demo.users["admin"]
        rows = {
            row.indicator.code: row
            for row in Answer.objects.filter(entry=entry).select_related(
                "indicator", "entry__assessment", "entry__innovation"
            )
        }
        documents: dict[str, Document] = {}
        for code, kind, title in ROWS:
            row = rows.get(code)
            if row is None or code in skipped or (not row.indicator.is_mandatory and rng.random() > strength + 0.1):
                continue
            level = 3 if rng.random() < strength else rng.choice([1, 2])
            if code == "33":
                basis = row.indicator.bases.order_by("order").first()
                beneficiaries = D(rng.choice([180, 420, 650, 1200, 3400]))
                services.answer_set(row=row, basis=basis, measured_value=beneficiaries, actor=operator)
            elif row.indicator.thresholds:
                # A measured row's level comes from its number (services.answer_set).
                value = _value_for_level(row.indicator, level)
                services.answer_set(row=row, measured_value=value, actor=operator)
            else:
                services.answer_set(row=row, level=level, actor=operator)
            if kind.startswith("shared:"):
                document = shared[kind.split(":")[1]]
            elif kind.startswith("same:"):
                document = documents.get(kind.split(":")[1])
            else:
                name = innovation.name.split(":")[0]
                document = library.file(
                    title.format(name=name, unit=innovation.unit.short_name or innovation.unit.name),
                    _latest_year(row, assessment.year),
                    kind,
                    actor=operator,
                )
            if document is None:
                continue
            documents[code] = document
            evidence.evidence_link(document=document, row=row, actor=operator)
            draw = rng.random()
            if draw < 0.62:
                services.row_transition(row=row, action="accept", actor=verifier)
            elif draw < 0.74:
                reason, note = REJECTIONS.get(code, GENERIC_REJECTION)
                services.row_transition(row=row, action="reject", actor=verifier, reason=reason, note=note)
                if draw < 0.66:  # the unit already sent a better file back
                    services.row_transition(row=row, action="resubmit", actor=operator, note="Berkas sudah diperbaiki.")


def _new_version(library: Library, assessment: Assessment, admin) -> None:
    """The team SK of one innovation was reissued with an electronic signature: open rows move to
    the new version, rows already judged "sesuai" keep the one they were judged on."""
    link = (
        Answer.objects.filter(entry__assessment=assessment, indicator__code="17", status=RowStatus.ACCEPTED)
        .exclude(evidence_links=None)
        .select_related("entry__innovation__unit")
        .first()
    )
    if link is None:
        return
    document = link.evidence_links.select_related("document").first().document
    title = f"{document.title} (perubahan, bertanda tangan elektronik)"
    upload = SimpleUploadedFile(
        "sk-perubahan.pdf", pdf_bytes(title, ["Perubahan atas SK sebelumnya."]), "application/pdf"
    )
    evidence.document_replace(
        document=document, actor=admin, file=upload, title=title, note="SK ditandatangani secara elektronik."
    )


# Two rehearsals of the Bupati's presentation scored by BRIDA and Bappeda: (days ago, scorer,
# scores per aspect, notes).
REHEARSALS = [
    (12, "Tim BRIDA dan Bappeda (gladi 1)", (72, 68, 75, 60, 65),
     "Paparan terlalu panjang (27 menit); data manfaat belum dibandingkan sebelum dan sesudah."),
    (4, "Tim BRIDA dan Bappeda (gladi 2)", (80, 78, 80, 72, 85),
     "Sudah 18 menit. Tambahkan daerah yang sudah mereplikasi dan surat minat dari Kabupaten Pesisir Barat."),
]  # fmt: skip


def _stage_modules(demo: Demo, assessment: Assessment, admin, verifier) -> None:
    """Lampung Barat prepares for the presentation as a nominator: rehearsals scored on the
    ministry's aspects, and an internal check that the presented innovations run on the ground."""
    from . import sheets

    sheets.assessment_modules_set(assessment=assessment, actor=admin, presentation=True, field_check=True)
    today = timezone.localdate()
    codes = [aspect.code for aspect in sheets.aspects_for(assessment.year).aspects]
    for days_ago, scorer, scores, notes in REHEARSALS:
        sheets.presentation_sheet_create(
            assessment=assessment, actor=verifier, kind="rehearsal", held_on=today - dt.timedelta(days=days_ago),
            scorer=scorer, scores=dict(zip(codes, map(Decimal, scores), strict=True)), notes=notes,
        )  # fmt: skip
    presented = list(assessment.entries.filter(is_eligible=True).select_related("innovation__unit")[:3])
    sheets.field_checks_add(assessment=assessment, entries=presented, actor=admin)
    if presented:
        check = presented[0].field_check
        title = f"Layanan {presented[0].innovation.name.split(':')[0]} di lokasi"
        photo = SimpleUploadedFile("lokasi.png", png_bytes(title, (11, 93, 75)), "image/png")
        sheets.field_check_photo_add(check=check, actor=verifier, title=title, file=photo)
        sheets.field_check_record(
            check=check, actor=verifier, found=True, checked_on=today - dt.timedelta(days=2),
            notes="Berjalan setiap hari kerja; petugas dapat memperagakan alur layanan dari awal sampai akhir.",
        )  # fmt: skip


def _planned_actions(demo: Demo, assessment: Assessment, admin) -> None:
    """The admin assigned the planner's top actions: one done, one being worked on, one late."""
    plan, data = plan_for(assessment)
    today = timezone.localdate()
    units = demo.shared["units"]
    statuses = ["finish", "start", None, None]
    for index, action in enumerate(plan.actions[:4]):
        _row, innovation, unit = action_target(action, data)
        item = services.planned_action_create(
            assessment=assessment, actor=admin, description=describe(action, data), gain=action.gain,
            kind=action.kind, innovation=innovation, indicator_code=action.row_code,
            unit=unit or units["BRIDA"],
            due_date=today + dt.timedelta(days=(-3 if index == 3 else 14 + 7 * index)),
        )  # fmt: skip
        if statuses[index]:
            actor = demo.users["operator"] if unit == units.get("Diskominfo") else admin
            services.planned_action_transition(item=item, action=statuses[index], actor=actor)


def _value_for_level(indicator, level: int) -> D:
    """A number inside the published range of `level` (the demo picks levels, a measured row
    stores the number the level follows from)."""
    band = next(band for band in indicator.thresholds if band["level"] == level)
    candidates = [D(str(band[key])) for key in ("min", "max") if key in band]
    candidates += [D(str(band["gt"])) + 1] if "gt" in band else []
    candidates += [D(str(band["lt"])) - 1] if "lt" in band else []
    return next((value for value in candidates if indicator.level_for(value) == level), candidates[0])
