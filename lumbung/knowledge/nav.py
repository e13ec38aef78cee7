"""Menu entries of the knowledge base."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import MenuItem, register_menu

register_menu(MenuItem(_("Pengetahuan"), "knowledge:index", public=True, order=65))
