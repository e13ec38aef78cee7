"""Who may do what with an innovation. Workflow permissions sit beside the state machine in
workflows.py; the predicates here are shared by the other apps (assessment, competitions, ...)."""

import rules

from lumbung.core.predicates import has_region_role, operates_object_unit
from lumbung.core.roles import Role


@rules.predicate
def is_team_member(user, innovation) -> bool:
    if not user.is_authenticated:
        return False
    return any(
        (member.user_id == user.pk) or (user.official_id and member.official_id == user.official_id)
        for member in innovation.team.all()
    )


@rules.predicate
def is_published(user, innovation) -> bool:
    return innovation.status == innovation.Status.PUBLISHED


@rules.predicate
def is_editable(user, innovation) -> bool:
    return innovation.is_editable


@rules.predicate
def is_creator(user, innovation) -> bool:
    return user.is_authenticated and innovation.created_by_id == user.pk


reads_all_of_region = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER)
manages_innovation = has_region_role(Role.ADMIN) | operates_object_unit | is_team_member | is_creator

rules.add_perm("innovations.view_innovation", is_published | reads_all_of_region | manages_innovation)
rules.add_perm("innovations.change_innovation", is_editable & manages_innovation)
