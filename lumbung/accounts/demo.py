"""One demo account per role (all with the demo password), printed by `manage.py load_demo`."""

from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.core.roles import Role

from .demo_regions import LOGINS as REGION_LOGINS
from .demo_regions import load_region  # noqa: F401 - the other Lampung regions (load_demo calls it)
from .models import RoleAssignment, User

# (key, e-mail, full name, role, unit short name or "", what to try first)
ACCOUNTS = [
    ("admin", "admin@lambar.test", "Rizal Effendi, S.T.", Role.ADMIN, "", "kelola organisasi, pengguna, program"),
    ("verifier", "verifikator@lambar.test", "Nurhayati Pane, S.E.", Role.VERIFIER, "", "periksa inovasi dan eviden"),
    (
        "operator",
        "operator.kominfo@lambar.test",
        "Yudi Pratama, S.Kom.",
        Role.OPERATOR,
        "Diskominfo",
        "inovasi Diskominfo",
    ),
    (
        "operator_health",
        "operator.dinkes@lambar.test",
        "Ratna Sari, S.KM.",
        Role.OPERATOR,
        "Dinkes",
        "inovasi Dinkes dan puskesmas",
    ),
    ("innovator", "inovator@lambar.test", "", Role.INNOVATOR, "", "inovasi milik sendiri"),
    ("judge", "juri@lambar.test", "Dr. Hasanudin Siregar", Role.JUDGE, "", "menilai lomba"),
    ("mentor", "mentor@lambar.test", "Lestari Wibowo, M.Si.", Role.MENTOR, "", "kasus klinik inovasi"),
    ("leader", "bupati@lambar.test", "Pimpinan Daerah (Demo)", Role.LEADER, "", "dasbor pimpinan"),
    ("citizen", "warga@lambar.test", "Dewi Anggraini", Role.CITIZEN, "", "lomba dan klinik untuk masyarakat"),
    ("national_admin", "nasional@lumbung.test", "Admin Nasional", Role.NATIONAL_ADMIN, "", "semua pemda, admin sistem"),
]


# Printed by load_demo (with the LOGINS of the other apps' demo modules).
LOGINS = [(role, email, hint) for _key, email, _name, role, _unit, hint in ACCOUNTS] + REGION_LOGINS


def load(demo: Demo) -> None:
    units = demo.shared["units"]
    officials = demo.shared["officials"]
    innovator_official = next(o for o in officials if o.assignments.filter(unit=units["Diskominfo"]).exists())
    now = timezone.now()
    for key, email, name, role, unit_short, _hint in ACCOUNTS:
        extra = {}
        if role == Role.INNOVATOR:
            extra["official"] = innovator_official
            name = innovator_official.name
        if role == Role.NATIONAL_ADMIN:
            extra.update(is_staff=True, is_superuser=True)
        user = User.objects.create_user(email, demo.password, full_name=name, email_verified_at=now, **extra)
        RoleAssignment.objects.create(
            user=user,
            role=role,
            region=None if role == Role.NATIONAL_ADMIN else demo.region,
            unit=units.get(unit_short) if unit_short else None,
        )
        demo.users[key] = user
