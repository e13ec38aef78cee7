"""Who may see and run events, registrations and evidence proposals."""

import rules

from lumbung.core.predicates import has_region_role
from lumbung.core.roles import STAFF_ROLES, Role

from .models import Event

is_event_admin = has_region_role(Role.ADMIN)
is_region_staff = has_region_role(*STAFF_ROLES)
is_region_citizen = has_region_role(Role.CITIZEN)
is_region_operator = has_region_role(Role.OPERATOR)


@rules.predicate
def is_announced(user, event) -> bool:
    return event.status != Event.Status.DRAFT


@rules.predicate
def is_public_event(user, event) -> bool:
    return event.audience == Event.Audience.PUBLIC


@rules.predicate
def is_editable(user, event) -> bool:
    return event.is_editable


@rules.predicate
def accepts_self_registration(user, event) -> bool:
    return event.status in Event.SELF_REGISTRATION_STATES


@rules.predicate
def takes_committee_registration(user, event) -> bool:
    return event.status in Event.ADMIN_REGISTRATION_STATES


@rules.predicate
def was_held(user, event) -> bool:
    return event.was_held


@rules.predicate
def is_participant(user, event) -> bool:
    return user.is_authenticated and event.registrations.filter(user=user).exists()


may_join = is_region_staff | (is_region_citizen & is_public_event)

rules.add_perm("events.view_event", is_event_admin | (is_announced & (may_join | is_participant)))
rules.add_perm("events.manage_event", is_event_admin)
rules.add_perm("events.change_event", is_event_admin & is_editable)
rules.add_perm("events.register_self", accepts_self_registration & may_join)
# Registering staff from the roster: the committee until the event is over (walk-ins at the door);
# a unit operator, for the current staff of the units they operate, while registration is open.
rules.add_perm(
    "events.register_staff",
    (is_event_admin & takes_committee_registration) | (is_region_operator & accepts_self_registration),
)
rules.add_perm("events.issue_certificates", is_event_admin & was_held)
rules.add_perm("events.review_evidence", is_event_admin & was_held)


# Registrations: the object is a Registration; its event carries the region.


@rules.predicate
def administers_event_of(user, registration) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, registration.event.region_id)


@rules.predicate
def is_own_registration(user, registration) -> bool:
    return user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def registered_it_as_operator(user, registration) -> bool:
    """The unit operator who registered this participant (a colleague from the roster)."""
    return (
        user.is_authenticated
        and registration.registered_by_id == user.pk
        and user.has_role(Role.OPERATOR, registration.event.region_id)
    )


@rules.predicate
def event_is_editable(user, registration) -> bool:
    return registration.event.is_editable


@rules.predicate
def event_takes_self_registration(user, registration) -> bool:
    return registration.event.status in Event.SELF_REGISTRATION_STATES


@rules.predicate
def event_records_attendance(user, registration) -> bool:
    # The committee may also type in a paper attendance list after the event.
    return registration.event.status in Event.CHECK_IN_STATES | {Event.Status.FINISHED}


# The operator who registered a colleague may pass on the ticket and undo the sign-up like the
# participant could.
speaks_for_participant = is_own_registration | registered_it_as_operator

rules.add_perm("events.view_registration", administers_event_of | speaks_for_participant)
rules.add_perm("events.check_in_registration", administers_event_of & event_records_attendance)
rules.add_perm(
    "events.cancel_registration",
    (administers_event_of & event_is_editable) | (speaks_for_participant & event_takes_self_registration),
)
rules.add_perm(
    "events.restore_registration",
    (administers_event_of & event_is_editable) | (speaks_for_participant & event_takes_self_registration),
)


# Evidence proposals: the object is an EvidenceProposal.


@rules.predicate
def administers_proposal_event(user, proposal) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, proposal.event.region_id)


rules.add_perm("events.decide_proposal", administers_proposal_event)
