"""Menu entry and home panel of the province and national views."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import Role

from . import services

PANEL_ROWS = 5


def _province_panel(request) -> dict:
    """The top of the province's ranking and the region that most needs help (a few queries)."""
    regions = services.regions_in_scope(request.user, request.region)
    year = services.season_year(regions)
    rows = services.ranking(regions=regions, year=year) if year else []
    need = services.need_help(rows)
    return {"rows": rows[:PANEL_ROWS], "count": len(rows), "need_help": need[0] if need else None}


register_menu(
    MenuItem(_("Peringkat pemda"), "rankings:overview", roles={Role.PROVINCE_ADMIN, Role.NATIONAL_ADMIN}, order=93)
)
register_panel(
    HomePanel(
        "rankings/panels/province.html", roles=frozenset({Role.PROVINCE_ADMIN}), context=_province_panel, order=10
    )
)
