"""Who may do what with a clinic case. The requester's side (the requester, or an operator of
the requesting unit) asks and answers; the assigned mentor works the case; the innovation
admin triages and may do everything the mentor does."""

import rules

from lumbung.core.predicates import has_region_role, is_region_admin, operates_object_unit
from lumbung.core.roles import Role

holds_mentor_role = has_region_role(Role.MENTOR, Role.ADMIN)


@rules.predicate
def is_requester(user, case) -> bool:
    return user.is_authenticated and case.requester_id == user.pk


@rules.predicate
def is_assigned(user, case) -> bool:
    return user.is_authenticated and case.mentor_id is not None and case.mentor_id == user.pk


@rules.predicate
def is_open(user, case) -> bool:
    return case.is_open


# Revoking the mentor role ends access to the cases assigned earlier.
is_assigned_mentor = is_assigned & holds_mentor_role
requester_side = is_requester | operates_object_unit
works_case = is_region_admin | is_assigned_mentor


@rules.predicate
def may_work_session_case(user, session) -> bool:
    return works_case(user, session.case)


@rules.predicate
def may_view_message_case(user, message) -> bool:
    return user.has_perm("clinic.view_case", message.case)


rules.add_perm("clinic.view_case", is_region_admin | is_assigned_mentor | requester_side)
rules.add_perm("clinic.triage_case", is_region_admin)
rules.add_perm("clinic.work_case", works_case)
rules.add_perm("clinic.reply_case", is_open & (works_case | requester_side))
rules.add_perm("clinic.respond_case", requester_side)
rules.add_perm("clinic.close_case", is_requester | is_region_admin)
rules.add_perm("clinic.reopen_case", is_requester | is_region_admin)
rules.add_perm("clinic.withdraw_case", is_requester)
rules.add_perm("clinic.decline_case", is_region_admin)
rules.add_perm("clinic.plan_case", is_open & works_case)
rules.add_perm("clinic.change_session", may_work_session_case)
rules.add_perm("clinic.view_message", may_view_message_case)
