"""Who may see and change what in an assessment. Objects carry `region_id`; rows, entries and
actions also reach their assessment through `.assessment`."""

import rules

from lumbung.core.predicates import has_region_role, is_region_admin, is_region_staff_reviewer, operates_object_unit
from lumbung.core.roles import Role
from lumbung.innovations.rules import manages_innovation

# Everyone who follows the assessment of the region (operators see their own innovations' rows).
follows_assessment = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR)
reads_everything = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER)
uses_library = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR, Role.INNOVATOR)


@rules.predicate
def assessment_is_open(user, obj) -> bool:
    return obj.assessment.is_open


@rules.predicate
def manages_entry(user, obj) -> bool:
    """The user may work on the innovation behind an entry or row (its unit, team or admin)."""
    innovation = obj.innovation
    return innovation is not None and manages_innovation.test(user, innovation)


@rules.predicate
def is_region_row(user, row) -> bool:
    return row.innovation is None


@rules.predicate
def authored_row(user, row) -> bool:
    """The user made the row's current claim or its last change (answer or evidence)."""
    return user.is_authenticated and user.pk in row.author_ids()


@rules.predicate
def is_official_sheet(user, sheet) -> bool:
    return sheet.is_official


@rules.predicate
def recorded_sheet(user, sheet) -> bool:
    return user.is_authenticated and sheet.recorded_by_id == user.pk


@rules.predicate
def uploaded_document(user, document) -> bool:
    return user.is_authenticated and document.uploaded_by_id == user.pk


rules.add_perm("assessment.view_assessment", follows_assessment)
rules.add_perm("assessment.manage_assessment", is_region_admin)
rules.add_perm("assessment.lock_assessment", is_region_admin & assessment_is_open)
rules.add_perm("assessment.unlock_assessment", is_region_admin & ~assessment_is_open)
rules.add_perm("assessment.add_entry", is_region_admin & assessment_is_open)
rules.add_perm("assessment.view_entry", reads_everything | manages_entry)

rules.add_perm("assessment.view_row", reads_everything | (is_region_row & follows_assessment) | manages_entry)
# An SPD row: the admin, or the operators of the unit made responsible for it.
rules.add_perm(
    "assessment.edit_row",
    assessment_is_open
    & ((is_region_row & (is_region_admin | operates_object_unit)) | (~is_region_row & manages_entry)),
)
rules.add_perm("assessment.verify_row", assessment_is_open & is_region_staff_reviewer)
# A verdict comes from someone other than the row's authors; national admins are no exception.
rules.add_perm("assessment.judge_row", assessment_is_open & is_region_staff_reviewer & ~authored_row)

rules.add_perm("assessment.view_document", uses_library)
rules.add_perm("assessment.change_document", uses_library & (is_region_admin | uploaded_document))

# The region's submission pack: the admin builds it; verifiers read its pre-flight report.
rules.add_perm("assessment.view_preflight", has_region_role(Role.ADMIN, Role.VERIFIER))
rules.add_perm("assessment.build_region_pack", is_region_admin)

rules.add_perm("assessment.view_plan", reads_everything)
rules.add_perm("assessment.plan", is_region_admin & assessment_is_open)

# The presentation and field-check modules (they stay open after the data lock: both stages
# come after it). The admin records the national panel's result; internal reviewers score
# rehearsals and walk the field check.
rules.add_perm("assessment.manage_modules", is_region_admin)
rules.add_perm("assessment.view_presentation", reads_everything)
rules.add_perm("assessment.record_panel_result", is_region_admin)
rules.add_perm("assessment.score_rehearsal", is_region_staff_reviewer)
rules.add_perm(
    "assessment.change_presentation_sheet",
    is_region_admin | (is_region_staff_reviewer & ~is_official_sheet & recorded_sheet),
)
rules.add_perm("assessment.view_field_checks", reads_everything)
rules.add_perm("assessment.view_field_check", reads_everything | manages_entry)
rules.add_perm("assessment.record_field_check", is_region_staff_reviewer)
