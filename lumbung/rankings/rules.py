"""Who may read the hosted regions' figures side by side. Read-only by construction: these
permissions grant nothing in the target region itself (no role there, so none of its own rules
match); a province admin reads the aggregate figures of its province's regions only."""

import rules

from lumbung.core.roles import Role


@rules.predicate
def reads_region_figures(user, region) -> bool:
    """A national admin, or the province admin of the region's province (or of the region itself
    when it is a province); only hosted regions have figures."""
    if not user.is_authenticated or region is None or not region.is_hosted:
        return False
    if user.is_national_admin:
        return True
    province_id = region.pk if region.kind == "province" else region.province_id
    return province_id is not None and user.has_role(Role.PROVINCE_ADMIN, province_id)


rules.add_perm("rankings.view_region", reads_region_figures)
# Opening a clinic case for a region asks its admins for help; it changes nothing else there.
rules.add_perm("rankings.open_help_case", reads_region_figures)
