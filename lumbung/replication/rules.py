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


@rules.predicate
def is_linked(user, replication) -> bool:
    return replication.is_linked


def _origin_role(*roles):
    """A predicate: a linked record, and the user holds one of `roles` in its origin region."""

    @rules.predicate(name=f"origin_role({','.join(sorted(str(role) for role in roles))})")
    def predicate(user, replication) -> bool:
        return (
            replication.is_linked and user.is_authenticated and user.has_any_role(roles, replication.partner_region_id)
        )

    return predicate


is_origin_admin = _origin_role(Role.ADMIN)
is_origin_staff = _origin_role(*STAFF_ROLES)


rules.add_perm("replication.view_catalogue_item", is_staff)
rules.add_perm("replication.change_catalogue_item", is_admin)
rules.add_perm("replication.adopt_catalogue_item", may_create_innovations)

rules.add_perm("replication.view_visit", is_staff)
rules.add_perm("replication.manage_visit", is_admin)
rules.add_perm("replication.change_visit", is_admin & visit_is_editable)

# A linked record (an adoption from the shared catalogue) is read by the staff of both regions;
# its agreement is uploaded and filed as indicator 31 evidence by the admin of either side; its
# state belongs to the adopting region.
rules.add_perm("replication.view_replication", is_staff | is_origin_staff)
rules.add_perm("replication.change_replication", is_admin | operates_object_unit)
rules.add_perm("replication.upload_agreement", is_linked & (is_admin | is_origin_admin))
rules.add_perm(
    "replication.attach_replication_evidence",
    has_agreement & ((is_admin & (is_outbound | is_linked)) | is_origin_admin),
)
