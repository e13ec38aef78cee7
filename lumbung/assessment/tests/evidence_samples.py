"""Real-looking evidence documents for the pre-check's tests and benchmark: decrees, reports and
attendance lists typed (WeasyPrint) or scanned (the typed pages rasterised, tilted a little,
speckled and put back into a PDF as pictures), of the right or a wrong year, of this region or
another, with or without a number. Each sample says which findings a careful reader would give."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]  # fmt: skip
OWN = ("Kabupaten Lampung Barat", "LAMPUNG BARAT", "Liwa", "PAROSIL MABSUS")
OTHERS = [
    ("Kabupaten Lampung Selatan", "LAMPUNG SELATAN", "Kalianda", "EGI"),
    ("Kota Metro", "METRO", "Metro", "WAHDI"),
    ("Kabupaten Tanggamus", "TANGGAMUS", "Kota Agung", "DEWI HANDAJANI"),
    ("Kabupaten Pesawaran", "PESAWARAN", "Gedong Tataan", "DENDI RAMADHONA"),
]
INNOVATIONS = ["Lambar Satu Data", "Sekolah Lapang Kopi Robusta", "Posyandu Remaja Pekon", "E-Office Pekon",
               "Pasar Tani Digital", "Layanan Adminduk Keliling"]  # fmt: skip


@dataclass
class Sample:
    name: str
    kind: str  # decree, report, attendance, blank
    scanned: bool
    content_year: int
    typed_year: int
    typed_number: str
    region: tuple = OWN
    numbered: bool = True
    expected: set[str] = field(default_factory=set)  # findings a careful reader gives
    signed_year: int | None = None  # a report about one year signed early in the next
    mentions: tuple[str, ...] = ()  # other regions named in the body (a study visit), rightly
    hard: bool = False  # a poor scan: low resolution, more tilt and speckle
    data: bytes = b""


def _decree_html(sample: Sample, number: str, day: int, month: int, innovation: str) -> str:
    region, upper, town, head = sample.region
    number_line = f"NOMOR : {number}" if sample.numbered else "NOMOR : ............................"
    return f"""
<h3>PEMERINTAH {region.upper()}</h3>
<h2>KEPUTUSAN BUPATI {upper}</h2>
<p class="c">{number_line}</p>
<p class="c">TENTANG</p>
<p class="c">PENETAPAN TIM PELAKSANA DAN INOVASI DAERAH &ldquo;{innovation.upper()}&rdquo;
TAHUN {sample.content_year}</p>
<p class="c">BUPATI {upper},</p>
<p>Menimbang : a. bahwa dalam rangka meningkatkan kinerja penyelenggaraan pemerintahan daerah perlu
dilaksanakan inovasi daerah; b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a,
perlu menetapkan Keputusan Bupati tentang Penetapan Inovasi Daerah.</p>
<p>Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah; 2. Peraturan
Pemerintah Nomor 38 Tahun 2017 tentang Inovasi Daerah; 3. Peraturan Menteri Dalam Negeri Nomor 104
Tahun 2018 tentang Penilaian dan Pemberian Penghargaan dan/atau Insentif Inovasi Daerah.</p>
<p class="c">MEMUTUSKAN:</p>
<p>KESATU : Menetapkan inovasi &ldquo;{innovation}&rdquo; sebagai inovasi daerah {region}.</p>
<p>KEDUA : Keputusan ini mulai berlaku pada tanggal ditetapkan.</p>
<p class="sig">Ditetapkan di {town}<br>pada tanggal {day} {MONTHS[month - 1]} {sample.content_year}<br>
BUPATI {upper},<br><br><br>{head}</p>"""


def _report_html(sample: Sample, day: int, month: int, innovation: str) -> str:
    region, upper, town, _head = sample.region
    signed = sample.signed_year or sample.content_year
    month = 1 if sample.signed_year else month
    visit = (
        f"<p>Tim juga melakukan studi tiru ke {' dan '.join(sample.mentions)} untuk mempelajari layanan serupa.</p>"
        if sample.mentions
        else ""
    )
    return f"""
<h3>PEMERINTAH {region.upper()}</h3>
<h2>LAPORAN PELAKSANAAN INOVASI &ldquo;{innovation.upper()}&rdquo;<br>TAHUN {sample.content_year}</h2>
<p>Inovasi {innovation} dilaksanakan oleh perangkat daerah di {region} untuk mempercepat pelayanan
kepada masyarakat. Sepanjang tahun {sample.content_year} layanan ini dimanfaatkan oleh 1.240 warga di
18 pekon, dengan waktu layanan rata-rata turun dari lima hari menjadi satu hari.</p>
<p>Kendala utama adalah jaringan internet di pekon terpencil; tindak lanjutnya adalah kerja sama dengan
penyedia jaringan dan pelatihan operator pekon.</p>{visit}
<p class="sig">{town}, {day} {MONTHS[month - 1]} {signed}<br>Kepala Dinas,<br><br><br>
Ir. SUHARTO, M.Si.</p>"""


def _attendance_html(sample: Sample, day: int, month: int, innovation: str) -> str:
    region, _upper, town, _head = sample.region
    rows = "".join(f"<tr><td>{n}</td><td>Peserta {n}</td><td>Pekon {n}</td><td></td></tr>" for n in range(1, 9))
    return f"""
<h3>PEMERINTAH {region.upper()}</h3>
<h2>DAFTAR HADIR SOSIALISASI INOVASI &ldquo;{innovation.upper()}&rdquo;</h2>
<p>Hari/tanggal: Selasa, {day} {MONTHS[month - 1]} {sample.content_year} &middot; Tempat: Aula {town}</p>
<table><tr><th>No</th><th>Nama</th><th>Asal</th><th>Tanda tangan</th></tr>{rows}</table>"""


STYLE = """<style>@page { size: A4; margin: 2cm }
body { font-family: "DejaVu Serif", serif; font-size: 11.5pt; line-height: 1.35 }
h2, h3, .c { text-align: center } .sig { margin-left: 55%; margin-top: 2em }
table { border-collapse: collapse; width: 100% } td, th { border: 1px solid #000; padding: 4px }</style>"""


def typed_pdf(sample: Sample, rng: random.Random) -> bytes:
    from weasyprint import HTML

    day, month, innovation = rng.randint(1, 28), rng.randint(1, 12), rng.choice(INNOVATIONS)
    if sample.kind == "decree":
        body = _decree_html(sample, sample.typed_number, day, month, innovation)
    elif sample.kind == "report":
        body = _report_html(sample, day, month, innovation)
    elif sample.kind == "attendance":
        body = _attendance_html(sample, day, month, innovation)
    else:
        body = ""
    return HTML(string=f"<html><head>{STYLE}</head><body>{body}</body></html>").write_pdf()


def scan(pdf: bytes, rng: random.Random, dpi: int = 150, hard: bool = False) -> bytes:
    """The pages as a photocopier would give them back: greyscale pictures, a little tilted and
    speckled, in a PDF without any text layer."""
    from PIL import Image, ImageFilter

    with tempfile.TemporaryDirectory(prefix="scan-") as folder:
        source = Path(folder) / "typed.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(folder) / "p")], check=True)  # noqa: S603, S607
        pages = []
        for path in sorted(Path(folder).glob("p*.png")):
            image = Image.open(path).convert("L")
            tilt = 2.0 if hard else 0.8
            image = image.rotate(rng.uniform(-tilt, tilt), expand=False, fillcolor=255, resample=Image.BICUBIC)
            speckles = image.load()
            width, height = image.size
            for _ in range(width * height // (120 if hard else 400)):
                speckles[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 200))
            pages.append(image.filter(ImageFilter.GaussianBlur(0.4)))
    output = io.BytesIO()
    pages[0].save(output, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return output.getvalue()


def can_scan() -> bool:
    return shutil.which("pdftoppm") is not None


def build(sample: Sample, rng: random.Random) -> Sample:
    data = typed_pdf(sample, rng)
    sample.data = scan(data, rng, dpi=100 if sample.hard else 150, hard=sample.hard) if sample.scanned else data
    return sample


def catalogue(
    *, assessment_year: int = 2026, count: int = 24, seed: int = 7, scanned_share: float = 0.5
) -> list[Sample]:
    """`count` documents for an assessment of `assessment_year` (rows accept T-0..T-2): half
    right (among them reports signed early in the next year and reports naming the regions a
    study visit went to), the others of a wrong year, another region, without a number, or
    blank; about a third of the scanned ones are poor scans (100 dpi, more tilt and speckle)."""
    rng = random.Random(seed)
    plans = ["right", "wrong_year", "right", "other_region", "no_number", "late_report", "wrong_year", "blank",
             "visit_report", "right"]  # fmt: skip
    samples = []
    for index in range(count):
        plan = plans[index % len(plans)]
        kind = ["decree", "report", "attendance"][index % 3] if plan not in ("no_number", "blank") else "decree"
        kind = "blank" if plan == "blank" else "report" if plan in ("late_report", "visit_report") else kind
        scanned = (index // len(plans)) % 2 == 1 if scanned_share == 0.5 else rng.random() < scanned_share
        year = assessment_year - rng.randint(0, 2)
        number = f"188.45/{rng.randint(10, 400)}/II.05/{year}"
        sample = Sample(
            name=f"{index + 1:02d}-{plan}-{kind}-{'scan' if scanned else 'typed'}", kind=kind, scanned=scanned,
            content_year=year, typed_year=year, typed_number=number if kind == "decree" else "",
        )  # fmt: skip
        sample.hard = scanned and index % 3 == 0
        if plan == "late_report":  # about last year, signed in January: right, not a wrong year
            sample.content_year = assessment_year - rng.randint(1, 2)
            sample.typed_year, sample.signed_year = sample.content_year, sample.content_year + 1
        elif plan == "visit_report":  # names other regions it visited: right, not another region's
            sample.mentions = tuple(other[0] for other in rng.sample(OTHERS, 2))
        elif plan == "wrong_year":
            sample.content_year = assessment_year - rng.randint(4, 6)
            sample.typed_number = (
                sample.typed_number.replace(str(year), str(sample.content_year)) if sample.typed_number else ""
            )
            # The uploader typed the year the row asks for; the paper says otherwise.
            sample.expected = {"year_mismatch", "year_outside"}
        elif plan == "other_region":
            sample.region = rng.choice(OTHERS)
            sample.expected = {"other_region"}
        elif plan == "no_number":
            sample.numbered, sample.typed_number = False, ""
            sample.expected = {"no_number"}
        elif plan == "blank":
            sample.typed_number = ""
            sample.expected = {"empty"}
        samples.append(build(sample, rng))
    return samples
