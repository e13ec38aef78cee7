"""Who may see and move a task. The region's admin may do everything; the unit the task is
given to (its operators, and those of the units above it) and the person it is given to work on
it; a clinic task is also worked by those who work its case. Cancelling or reopening a planner
step is the admin's decision (the planner's gains depend on it); other tasks are settled by
those who work on them."""

import rules

from lumbung.core.predicates import has_region_role, is_region_admin, operates_object_unit
from lumbung.core.roles import Role

reads_region = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER)


@rules.predicate
def is_owner(user, action) -> bool:
    if not user.is_authenticated:
        return False
    if action.owner_id and action.owner_id == user.pk:
        return True
    return bool(user.official_id) and action.owner_official_id == user.official_id


@rules.predicate
def works_case(user, action) -> bool:
    return action.case_id is not None and user.has_perm("clinic.work_case", action.case)


@rules.predicate
def views_case(user, action) -> bool:
    return action.case_id is not None and user.has_perm("clinic.view_case", action.case)


@rules.predicate
def is_planner_step(user, action) -> bool:
    return action.origin == "planner"


works_on = is_region_admin | operates_object_unit | is_owner | works_case

rules.add_perm("actions.view_action", reads_region | works_on | views_case)
rules.add_perm("actions.work_on_action", works_on)
rules.add_perm("actions.manage_action", is_region_admin | (~is_planner_step & works_on))
rules.add_perm("actions.view_region_actions", is_region_admin)
