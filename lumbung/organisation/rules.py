"""Who may read and change the organisation of a region: units, officials and their positions.

Region-wide staff (admin, verifier, leader) read everything of their region; a unit operator
reads the units below the one they operate and the officials who ever held a position there.
Only the innovation admin changes anything.
"""

import rules

from lumbung.core.predicates import has_region_role, is_national_admin, is_region_admin
from lumbung.core.roles import Role

from .models import REGION_READERS


@rules.predicate
def operates_unit(user, unit) -> bool:
    return user.is_authenticated and user.operates_unit(unit)


@rules.predicate
def operates_a_unit_of_official(user, official) -> bool:
    # Permissions are also asked without an object (the Django admin does); no object, no access.
    if official is None or not user.is_authenticated or not user.operator_unit_paths(official.region_id):
        return False
    return any(user.operates_unit(assignment.unit) for assignment in official.assignments.select_related("unit"))


@rules.predicate
def administers_assignment(user, assignment) -> bool:
    return assignment is not None and is_region_admin.test(user, assignment.official)


reads_region = has_region_role(*REGION_READERS)

rules.add_perm("organisation.view_unit", reads_region | operates_unit)
rules.add_perm("organisation.change_unit", is_region_admin)
rules.add_perm("organisation.view_official", reads_region | operates_a_unit_of_official)
rules.add_perm("organisation.change_official", is_region_admin)
rules.add_perm("organisation.change_assignment", administers_assignment)
# The audit trail names who changed what; it stays with the people who run the region.
rules.add_perm("organisation.view_audit", has_region_role(Role.ADMIN))
rules.add_perm("organisation.host_region", is_national_admin)
