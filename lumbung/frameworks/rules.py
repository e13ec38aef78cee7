"""Who may read and change the methodology. Frameworks are national: innovation admins of any
region read them (their assessments are scored by them); only national admins change them."""

import rules

from lumbung.core.predicates import is_national_admin
from lumbung.core.roles import Role


@rules.predicate
def is_innovation_admin(user) -> bool:
    return user.is_authenticated and any(assignment.role == Role.ADMIN for assignment in user.active_roles)


@rules.predicate
def is_not_archived(user, framework) -> bool:
    return framework.status != framework.Status.ARCHIVED


rules.add_perm("frameworks.view_framework", is_national_admin | is_innovation_admin)
rules.add_perm("frameworks.change_framework", is_national_admin & is_not_archived)
rules.add_perm("frameworks.copy_framework", is_national_admin)
rules.add_perm("frameworks.transition_framework", is_national_admin)
