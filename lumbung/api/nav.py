from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import MenuItem, register_menu
from lumbung.core.roles import STAFF_ROLES, Role

register_menu(MenuItem(_("Token API"), "api-tokens:region", roles={Role.ADMIN}, order=88))
register_menu(MenuItem(_("Token API saya"), "api-tokens:mine", roles=STAFF_ROLES, order=99))
