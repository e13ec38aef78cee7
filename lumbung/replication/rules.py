"""Who may read and keep the catalogue, study visits and replication records."""

import rules

from lumbung.core.predicates import has_region_role, operates_object_unit
from lumbung.core.roles import STAFF_ROLES, Role

is_admin = has_region_role(Role.ADMIN)
is_staff = has_region_role(*STAFF_ROLES)
# Who may start a local draft innovation: the registry's creators.
may_create_innovations = has_region_role(Role.ADMIN, Role.OPERATOR, Role.INNOVATOR)


@rules.predicate
def visit_is_editable(user, visit) -> bool:
    return visit.is_editable


@rules.predicate
def is_outbound(user, replication) -> bool:
    return replication.is_outbound


@rules.predicate
def has_agreement(user, replication) -> bool:
    return bool(replication.agreement_file)


rules.add_perm("replication.view_catalogue_item", is_staff)
rules.add_perm("replication.change_catalogue_item", is_admin)
rules.add_perm("replication.adopt_catalogue_item", may_create_innovations)

rules.add_perm("replication.view_visit", is_staff)
rules.add_perm("replication.manage_visit", is_admin)
rules.add_perm("replication.change_visit", is_admin & visit_is_editable)

rules.add_perm("replication.view_replication", is_staff)
rules.add_perm("replication.change_replication", is_admin | operates_object_unit)
rules.add_perm("replication.attach_replication_evidence", is_admin & is_outbound & has_agreement)
