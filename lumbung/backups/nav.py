from lumbung.core.nav import HomePanel, register_panel
from lumbung.core.roles import Role

from .services import backup_status


def backup_panel(request) -> dict:
    return backup_status()


register_panel(
    HomePanel("backups/panels/status.html", roles=frozenset({Role.NATIONAL_ADMIN}), context=backup_panel, order=5)
)
