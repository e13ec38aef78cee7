"""The menu entry of the task list."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import MenuItem, register_menu
from lumbung.core.roles import REGION_ROLES

register_menu(MenuItem(_("Tugas saya"), "actions:mine", roles=REGION_ROLES, order=15))
