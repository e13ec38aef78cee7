from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import Role

from .models import Framework


def frameworks_summary(request) -> dict:
    return {"frameworks": list(Framework.objects.order_by("-year")[:4])}


register_menu(MenuItem(_("Metodologi"), "frameworks:list", roles={Role.ADMIN, Role.NATIONAL_ADMIN}, order=70))
register_panel(
    HomePanel(
        "frameworks/panels/frameworks.html",
        roles=frozenset({Role.NATIONAL_ADMIN}),
        context=frameworks_summary,
        order=20,
    )
)
