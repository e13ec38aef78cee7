"""Ready-made rubrics an admin can copy into the region's library and adapt.

- IGA: the aspects of the head-of-region presentation in the Innovative Government Award
  (Kemendagri, 2023 weights: novelty 30, benefit 25, regional authority and collaboration 15,
  replication and applicability 20, mastery of the material 10).
- KIPP: the five criteria of KemenPANRB's public-service innovation competition (PermenPANRB
  7/2021). Its official weights are not published, so the criteria weigh the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PresetCriterion:
    name: str
    description: str
    weight: Decimal
    # One description per score, from the lowest to the highest.
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Preset:
    code: str
    name: str
    description: str
    scale_min: int
    scale_max: int
    criteria: tuple[PresetCriterion, ...]


IGA_PRESENTATION = Preset(
    code="iga-presentasi",
    name=_("Aspek presentasi IGA (Kemendagri)"),
    description=_("Aspek penilaian presentasi kepala daerah pada Innovative Government Award dengan bobot tahun 2023."),
    scale_min=1,
    scale_max=5,
    criteria=(
        PresetCriterion(
            _("Kebaruan"),
            _("Unsur pembaruan dibanding cara lama atau praktik di daerah lain."),
            Decimal(30),
            (
                _("Tidak ada unsur baru; sama dengan cara lama."),
                _("Perubahan kecil pada cara lama."),
                _("Ada pembaruan yang jelas pada sebagian proses."),
                _("Pembaruan menyeluruh dan belum umum di daerah lain."),
                _("Terobosan baru yang belum ada sebelumnya dan berpotensi menjadi rujukan nasional."),
            ),
        ),
        PresetCriterion(
            _("Kemanfaatan"),
            _("Manfaat nyata bagi masyarakat atau pemerintah daerah, didukung data."),
            Decimal(25),
            (
                _("Manfaat belum terlihat."),
                _("Manfaat diklaim tetapi tanpa data."),
                _("Manfaat terukur bagi sebagian kecil sasaran."),
                _("Manfaat terukur dan luas bagi sasaran utama."),
                _("Manfaat besar, terukur, dan berkelanjutan dengan bukti dampak."),
            ),
        ),
        PresetCriterion(
            _("Kewenangan daerah dan kolaborasi"),
            _("Sesuai kewenangan daerah dan melibatkan pemangku kepentingan (pentaheliks)."),
            Decimal(15),
            (
                _("Di luar kewenangan daerah atau dikerjakan sendiri."),
                _("Sesuai kewenangan, kolaborasi belum ada."),
                _("Sesuai kewenangan dengan satu mitra."),
                _("Sesuai kewenangan dengan beberapa mitra lintas sektor."),
                _("Kolaborasi pentaheliks yang aktif dan terdokumentasi."),
            ),
        ),
        PresetCriterion(
            _("Replikasi dan aplikatif"),
            _("Dapat diterapkan dan ditiru di tempat lain."),
            Decimal(20),
            (
                _("Sulit diterapkan di tempat lain."),
                _("Mungkin ditiru tetapi belum ada panduan."),
                _("Ada panduan atau SOP yang memudahkan replikasi."),
                _("Sudah ditiru di unit atau pekon lain."),
                _("Sudah direplikasi oleh daerah lain."),
            ),
        ),
        PresetCriterion(
            _("Penguasaan materi"),
            _("Kemampuan penyaji menjelaskan dan menjawab pertanyaan."),
            Decimal(10),
            (
                _("Tidak menguasai materi."),
                _("Menguasai sebagian kecil materi."),
                _("Menguasai materi pokok."),
                _("Menguasai materi dan menjawab sebagian besar pertanyaan."),
                _("Sangat menguasai materi dan menjawab semua pertanyaan dengan data."),
            ),
        ),
    ),
)

KIPP = Preset(
    code="kipp",
    name=_("Kriteria KIPP (KemenPANRB)"),
    description=_(
        "Lima kriteria Kompetisi Inovasi Pelayanan Publik. Bobot resmi tidak dipublikasikan, "
        "sehingga kelima kriteria berbobot sama; sesuaikan bila perlu."
    ),
    scale_min=1,
    scale_max=5,
    criteria=(
        PresetCriterion(
            _("Kebaruan"),
            _("Inovasi baru atau adaptasi yang membawa perubahan."),
            Decimal(20),
            (
                _("Tidak ada unsur baru."),
                _("Adaptasi dengan perubahan kecil."),
                _("Adaptasi dengan perubahan berarti."),
                _("Gagasan baru di tingkat daerah."),
                _("Gagasan baru di tingkat nasional."),
            ),
        ),
        PresetCriterion(
            _("Efektivitas"),
            _("Inovasi mencapai hasil yang nyata sesuai tujuan."),
            Decimal(20),
            (
                _("Belum ada hasil."),
                _("Hasil awal tanpa ukuran."),
                _("Sebagian tujuan tercapai dan terukur."),
                _("Sebagian besar tujuan tercapai dan terukur."),
                _("Seluruh tujuan tercapai dengan bukti kuat."),
            ),
        ),
        PresetCriterion(
            _("Kemanfaatan"),
            _("Menyelesaikan masalah pelayanan publik yang dialami masyarakat."),
            Decimal(20),
            (
                _("Tidak menyelesaikan masalah."),
                _("Manfaat kecil bagi sedikit orang."),
                _("Manfaat bagi sebagian besar sasaran."),
                _("Manfaat luas dan dirasakan masyarakat."),
                _("Manfaat luas dengan dampak jangka panjang."),
            ),
        ),
        PresetCriterion(
            _("Dapat ditransfer (replikasi)"),
            _("Dapat diterapkan oleh instansi atau daerah lain."),
            Decimal(20),
            (
                _("Tidak dapat ditransfer."),
                _("Dapat ditransfer dengan banyak penyesuaian."),
                _("Dapat ditransfer dengan sedikit penyesuaian."),
                _("Sudah ditransfer ke satu instansi lain."),
                _("Sudah ditransfer ke beberapa instansi atau daerah."),
            ),
        ),
        PresetCriterion(
            _("Keberlanjutan"),
            _("Didukung program, anggaran, organisasi, dan dasar hukum."),
            Decimal(20),
            (
                _("Tanpa dukungan apa pun."),
                _("Satu bentuk dukungan."),
                _("Dua bentuk dukungan."),
                _("Tiga bentuk dukungan."),
                _("Didukung program, anggaran, organisasi, dan dasar hukum."),
            ),
        ),
    ),
)

PRESETS: dict[str, Preset] = {preset.code: preset for preset in (IGA_PRESENTATION, KIPP)}
