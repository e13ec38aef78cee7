from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import PANELS, HomePanel, MenuItem, menu_for, register_menu, register_panel
from lumbung.core.roles import Role

from .models import Invitation, RoleAssignment

GENERIC_PANEL = "accounts/panels/roles.html"

# What each role is for, shown to people whose role has no panel of its own yet.
ROLE_HINTS = {
    Role.ADMIN: _("Mengelola organisasi, pengguna dan program inovasi daerah."),
    Role.VERIFIER: _("Memeriksa inovasi dan eviden sebelum diterbitkan dan dikirim ke penilaian nasional."),
    Role.OPERATOR: _("Mengisi dan memperbarui inovasi perangkat daerah Anda beserta buktinya."),
    Role.INNOVATOR: _("Mendaftarkan dan mengembangkan inovasi Anda sendiri."),
    Role.JUDGE: _("Menilai peserta lomba inovasi yang ditugaskan kepada Anda."),
    Role.MENTOR: _("Mendampingi kasus klinik inovasi yang ditugaskan kepada Anda."),
    Role.LEADER: _("Melihat dasbor capaian inovasi dan indeks daerah."),
    Role.CITIZEN: _("Mengikuti lomba, meminta bantuan klinik inovasi dan mendaftar kegiatan."),
    Role.NATIONAL_ADMIN: _("Mengelola pemda yang memakai aplikasi ini dan admin sistem."),
}


def users_summary(request) -> dict:
    region = request.region
    counts = dict(
        RoleAssignment.objects.filter(region=region, is_active=True)
        .values_list("role")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    pending = Invitation.objects.filter(
        region=region, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return {
        "by_role": [(role, role.label, counts[role]) for role in Role if counts.get(role)],
        "pending_count": pending.count(),
        "pending": list(pending[:3]),
    }


def roles_without_panel(request) -> dict:
    """The user's roles that no app has a home panel for yet, with what each is for."""
    covered = {role for panel in PANELS if panel.template != GENERIC_PANEL for role in panel.roles}
    missing = sorted(request.user.roles_in(request.region) - covered)
    return {
        "roles": [(Role(role).label, ROLE_HINTS[Role(role)]) for role in missing],
        "menu": menu_for(request.user, request.region) if missing else [],
    }


register_menu(
    MenuItem(_("Pengguna"), "accounts:user-list", roles={Role.ADMIN}, order=85),
    MenuItem(_("Admin provinsi"), "accounts:province-admins", roles={Role.NATIONAL_ADMIN}, order=96),
)
register_panel(
    HomePanel("accounts/panels/users.html", roles=frozenset({Role.ADMIN}), context=users_summary, order=85),
    HomePanel(GENERIC_PANEL, roles=frozenset(Role.values), context=roles_without_panel, order=1000),
)
