"""Who may do what in a competition. Time limits are never compared here directly: predicates
ask the open round what it allows (phases.py), so "no submission after the deadline" and "no
scoring before the round opens" are one rule each."""

import rules

from lumbung.core.predicates import is_region_admin

from .eligibility import tracks_open_to
from .models import Competition, JudgeAssignment, Panel, Track
from .phases import Capability


def _competition_of(obj) -> Competition:
    return obj if isinstance(obj, Competition) else obj.competition


def round_allows(capability: str):
    """A predicate on a competition or entry: its open round declares `capability`."""

    @rules.predicate(name=f"round_allows({capability})")
    def predicate(user, obj) -> bool:
        return obj is not None and capability in _competition_of(obj).capabilities()

    return predicate


@rules.predicate
def is_public(user, competition) -> bool:
    return competition.is_public


@rules.predicate
def may_enter_a_track(user, competition) -> bool:
    return bool(tracks_open_to(user, competition))


@rules.predicate
def is_entrant(user, entry) -> bool:
    if not user.is_authenticated:
        return False
    return entry.entrant_id == user.pk or (entry.track == Track.UNITS and user.operates_unit(entry.unit))


@rules.predicate
def entry_is_editable(user, entry) -> bool:
    return entry.is_editable


@rules.predicate
def is_assigned_judge(user, entry) -> bool:
    return (
        user.is_authenticated
        and JudgeAssignment.objects.filter(entry=entry, judge=user, status=JudgeAssignment.Status.ACTIVE).exists()
    )


@rules.predicate
def results_published(user, obj) -> bool:
    return _competition_of(obj).status == Competition.Status.RESULTS


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    return user.is_authenticated and assignment.judge_id == user.pk and assignment.is_active


@rules.predicate
def assignment_round_scoring(user, assignment) -> bool:
    """The assignment's own round is the open one and it is a scoring round."""
    round_ = assignment.round
    return (
        round_.competition.status == Competition.Status.PUBLISHED
        and Capability.SCORE in round_.capabilities
        and round_.is_open()
    )


@rules.predicate
def is_card_judge(user, card) -> bool:
    return is_own_assignment(user, card.assignment)


@rules.predicate
def card_round_scoring(user, card) -> bool:
    return assignment_round_scoring(user, card.assignment)


@rules.predicate
def leads_card_panel(user, card) -> bool:
    panel = card.assignment.panel
    return user.is_authenticated and panel is not None and panel.lead_id == user.pk


@rules.predicate
def leads_panel(user, panel) -> bool:
    return user.is_authenticated and panel.lead_id == user.pk


@rules.predicate
def sits_on_a_panel(user, competition) -> bool:
    return user.is_authenticated and Panel.objects.filter(round__competition=competition, members=user).exists()


@rules.predicate
def receives_certificate(user, certificate) -> bool:
    return is_entrant(user, certificate.entry)


@rules.predicate
def rubric_is_unlocked(user, rubric) -> bool:
    return not rubric.is_locked


rules.add_perm("competitions.manage_competition", is_region_admin)
rules.add_perm("competitions.view_competition", is_public | is_region_admin)
rules.add_perm("competitions.enter_competition", round_allows(Capability.SUBMIT) & may_enter_a_track)

rules.add_perm("competitions.view_entry", is_entrant | is_region_admin | is_assigned_judge)
# The entrant's own pages (progress, receipt, real names); judges see proposals through their cards.
rules.add_perm("competitions.follow_entry", is_entrant | is_region_admin)
rules.add_perm("competitions.change_entry", is_entrant & entry_is_editable & round_allows(Capability.EDIT_ENTRY))
rules.add_perm("competitions.submit_entry", is_entrant & round_allows(Capability.SUBMIT))
rules.add_perm("competitions.withdraw_entry", is_entrant & round_allows(Capability.EDIT_ENTRY))
rules.add_perm("competitions.screen_entry", is_region_admin & round_allows(Capability.SCREEN))
# Entrants see their scores and the judges' remarks only once the results are published.
rules.add_perm("competitions.view_entry_scores", is_region_admin | (is_entrant & results_published))
rules.add_perm("competitions.convert_entry", is_region_admin & results_published)

rules.add_perm("competitions.view_assignment", is_own_assignment)
rules.add_perm("competitions.score_assignment", is_own_assignment & assignment_round_scoring)
rules.add_perm("competitions.submit_card", is_card_judge & card_round_scoring)
rules.add_perm("competitions.reopen_card", (is_card_judge | leads_card_panel | is_region_admin) & card_round_scoring)
rules.add_perm("competitions.lead_panel", leads_panel | is_region_admin)
rules.add_perm("competitions.judge_competition", sits_on_a_panel)

rules.add_perm("competitions.manage_rubric", is_region_admin)
rules.add_perm("competitions.change_rubric", is_region_admin & rubric_is_unlocked)
rules.add_perm("competitions.download_certificate", receives_certificate | is_region_admin)
