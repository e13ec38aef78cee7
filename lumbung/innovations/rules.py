"""Who may do what with an innovation. Workflow permissions sit beside the state machine in
workflows.py; the predicates here are shared by the other apps (assessment, competitions, ...)."""

import rules

from lumbung.core.predicates import has_region_role, is_region_admin, is_region_staff_reviewer, operates_object_unit
from lumbung.core.roles import Role


def _team_match(user, innovation, roles=None) -> bool:
    # Reads the prefetched team when there is one: no query per row in lists.
    return any(
        (member.user_id == user.pk or (user.official_id and member.official_id == user.official_id))
        and (roles is None or member.role in roles)
        for member in innovation.team.all()
    )


@rules.predicate
def is_team_member(user, innovation) -> bool:
    return user.is_authenticated and _team_match(user, innovation)


@rules.predicate
def is_team_lead(user, innovation) -> bool:
    """Owner or initiator of the innovation (an official on the roster or a linked account)."""
    from .models import TeamMember

    return user.is_authenticated and _team_match(user, innovation, {TeamMember.Role.OWNER, TeamMember.Role.INITIATOR})


@rules.predicate
def is_published(user, innovation) -> bool:
    return innovation.status == innovation.Status.PUBLISHED


@rules.predicate
def is_editable(user, innovation) -> bool:
    return innovation.is_editable


@rules.predicate
def is_creator(user, innovation) -> bool:
    return user.is_authenticated and innovation.created_by_id == user.pk


@rules.predicate
def is_society_track(user, innovation) -> bool:
    return innovation.track == innovation.Track.SOCIETY


@rules.predicate
def is_unadopted(user, innovation) -> bool:
    return innovation.unit_id is None


# A citizen's (or community group's) own innovation: its author speaks for it, as a unit's
# operator does for the unit's.
is_citizen_author = is_creator & is_society_track

reads_all_of_region = has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER)
manages_innovation = is_region_admin | operates_object_unit | is_team_member | is_creator
# Submitting speaks for the unit: its operator, the innovation's owner or initiator, or the admin.
submits_innovation = is_region_admin | operates_object_unit | is_team_lead | is_citizen_author

rules.add_perm("innovations.view_innovation", is_published | reads_all_of_region | manages_innovation)
rules.add_perm("innovations.change_innovation", is_editable & manages_innovation)
rules.add_perm("innovations.submit_innovation", submits_innovation)
rules.add_perm("innovations.review_innovation", is_region_staff_reviewer)
# A unit takes up a citizen's verified innovation: the admin for any unit, an operator for theirs
# (services.innovation_adopt checks the unit).
rules.add_perm(
    "innovations.adopt_innovation",
    is_society_track & is_unadopted & is_published & has_region_role(Role.ADMIN, Role.OPERATOR),
)
rules.add_perm("innovations.confirm_running", submits_innovation | is_region_staff_reviewer)
# The showcase's photo and video link: those who manage the record, and the reviewers (they may
# add a picture before publishing).
rules.add_perm("innovations.change_showcase_media", manages_innovation | is_region_staff_reviewer)
# Attachments (budget, business profile) stay inside the government, even when published.
rules.add_perm("innovations.view_attachment", reads_all_of_region | manages_innovation)

# Programmes (SOSIS, PM Indah): objects carry region_id.
rules.add_perm("innovations.view_programme", has_region_role(Role.ADMIN, Role.VERIFIER, Role.LEADER))
rules.add_perm("innovations.change_programme", is_region_admin)
