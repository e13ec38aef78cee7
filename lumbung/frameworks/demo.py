"""The demo's part of the methodology: 2023 and 2026 come from the data files (reference data);
the national admin has started the 2027 draft from 2026 and entered the guideline's forecast."""

from lumbung.core.demo import Demo

from .models import Framework
from .services import framework_copy, framework_update

FORECAST = (
    "Tabel prognosis pedoman 2026 (dikutip satu repositori daerah): pembagi minimum 14 pada 2027 dan keenam "
    "urusan pelayanan dasar wajib tercakup. Belum ditetapkan BSKDN."
)


def load(demo: Demo) -> None:
    source = Framework.objects.get(year=2026)
    admin = demo.users["national_admin"]
    draft = framework_copy(source=source, year=2027, title="Indeks Inovasi Daerah 2027", actor=admin)
    framework_update(
        framework=draft,
        actor=admin,
        values={
            "min_divisor": 14,
            "basic_services_required": 6,
            "unconfirmed": draft.unconfirmed | {"min_divisor": FORECAST, "basic_services_required": FORECAST},
            "notes": "Draf persiapan IGA 2027. Angka mengikuti 2026 kecuali prakiraan dari tabel prognosis; "
            "cocokkan dengan lampiran 2027 begitu terbit.",
        },
        reason="Prognosis pedoman 2026",
    )
