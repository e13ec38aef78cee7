"""The project's own readings where the published sources are silent.

Each is a named setting of a methodology year (the data file's "inferences" block): the option
the app applies, with the reason and the source text it rests on, so the national admin can see
every choice the numbers depend on, and the what-if can show the index under the other reading.
The catalogue below holds what the code knows about each setting (its options and default); the
year holds which option it applies and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Inference:
    name: str
    label: str
    default: str
    options: dict[str, str]
    # Whether the app can compute the index under the other option from what a region has entered.
    computable: bool


CATALOGUE = {
    item.name: item
    for item in (
        Inference(
            "measured_rounding",
            gettext_lazy("Pembulatan nilai terukur"),
            "published_precision",
            {
                "published_precision": gettext_lazy(
                    "Nilai dibulatkan ke jumlah desimal ambang yang diterbitkan sebelum tingkat dipilih"
                ),
                "exact": gettext_lazy("Nilai dibandingkan persis seperti diisi"),
            },
            True,
        ),
        Inference(
            "benefit_c_above_30",
            gettext_lazy("Indikator 33 dasar c (efisiensi belanja) di atas 30%"),
            "zero",
            {
                "zero": gettext_lazy("Tingkat 0: tingkat 3 diterbitkan sebagai 20,01–30%"),
                "top_level": gettext_lazy("Tingkat 3: efisiensi lebih dari 30% jelas lebih baik"),
            },
            True,
        ),
        Inference(
            "sakip_grades",
            gettext_lazy("Indikator 9: nilai SAKIP BB, CC dan AA"),
            "unplaced",
            {
                "unplaced": gettext_lazy("Tidak ditempatkan: parameter hanya menyebut D/C, B dan A"),
                "by_letter": gettext_lazy("Menurut hurufnya: CC ke tingkat 1, BB ke tingkat 2, AA ke tingkat 3"),
            },
            False,
        ),
        Inference(
            "basic_service_coverage",
            gettext_lazy("Cakupan urusan pelayanan dasar"),
            "main_and_related",
            {
                "main_and_related": gettext_lazy("Urusan utama dan urusan lain yang beririsan dihitung"),
                "main_only": gettext_lazy("Hanya urusan utama inovasi yang dihitung"),
            },
            True,
        ),
        Inference(
            "stages_in_count",
            gettext_lazy("Tahapan inovasi yang dihitung dalam n"),
            "implementation_only",
            {
                "implementation_only": gettext_lazy("Hanya inovasi tahap penerapan"),
                "all_stages": gettext_lazy("Semua tahapan (inisiatif, uji coba, penerapan)"),
            },
            True,
        ),
    )
}


def inference_problems(block) -> list[str]:
    """What is wrong with a year's "inferences" block (empty when it can be loaded)."""
    if not isinstance(block, dict):
        return [_("Bagian 'inferences' harus berupa objek nama -> pilihan.")]
    problems = []
    for name, setting in block.items():
        item = CATALOGUE.get(name)
        if item is None:
            problems.append(
                _("Tafsiran '%(name)s' tidak dikenal (yang dikenal: %(known)s).")
                % {"name": name, "known": ", ".join(CATALOGUE)}
            )
            continue
        if not isinstance(setting, dict) or setting.get("value") not in item.options:
            problems.append(
                _("Tafsiran %(name)s: 'value' harus salah satu dari %(options)s.")
                % {"name": name, "options": ", ".join(item.options)}
            )
            continue
        if not str(setting.get("reason") or "").strip() or not str(setting.get("source") or "").strip():
            problems.append(
                _("Tafsiran %(name)s: alasan ('reason') dan sumber ('source') wajib diisi.") % {"name": name}
            )
    return problems


def value_of(block: dict | None, name: str) -> str:
    """The option a year applies for `name` (the catalogue's default when the year is silent)."""
    setting = (block or {}).get(name)
    if isinstance(setting, dict) and setting.get("value") in CATALOGUE[name].options:
        return setting["value"]
    return CATALOGUE[name].default


def alternative_of(block: dict | None, name: str) -> str:
    current = value_of(block, name)
    return next(option for option in CATALOGUE[name].options if option != current)


@dataclass(frozen=True)
class Reading:
    name: str
    label: str
    value: str
    value_label: str
    alternative: str
    alternative_label: str
    reason: str
    source: str
    computable: bool


def readings(block: dict | None) -> list[Reading]:
    """Every setting of a year, in catalogue order, for the admin's page."""
    result = []
    for name, item in CATALOGUE.items():
        setting = (block or {}).get(name) or {}
        value, alternative = value_of(block, name), alternative_of(block, name)
        result.append(
            Reading(
                name=name,
                label=str(item.label),
                value=value,
                value_label=str(item.options[value]),
                alternative=alternative,
                alternative_label=str(item.options[alternative]),
                reason=str(setting.get("reason", "")),
                source=str(setting.get("source", "")),
                computable=item.computable,
            )
        )
    return result
