"""Judges: panels, conflicts of interest with automatic recusal, assignments (automatic and
by hand), and score cards whose every change is logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.accounts.models import User
from lumbung.core.roles import Role
from lumbung.notifications.services import notify
from lumbung.organisation.models import Assignment, Echelon, Unit

from . import conflicts
from .allocation import Allocation, allocate
from .models import (
    Competition,
    ConflictDeclaration,
    Entry,
    JudgeAssignment,
    Panel,
    Round,
    Score,
    ScoreCard,
    ScoreChange,
)
from .services import _record, _require
from .workflows import CARD

# Judges, conflicts of interest and assignments -------------------------------------------------


def region_judges(region):
    return (
        User.objects.filter(
            role_assignments__region=region, role_assignments__role=Role.JUDGE, role_assignments__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )  # fmt: skip


@transaction.atomic
def panel_save(*, round_: Round, actor: User, name: str, members: Iterable[User], lead: User | None,
               panel: Panel | None = None) -> Panel:  # fmt: skip
    competition = round_.competition
    _require(actor, "competitions.manage_competition", competition)
    if round_.has_closed():
        raise ValidationError(_("Panel babak yang sudah ditutup tidak dapat diubah."))
    if competition.status not in (Competition.Status.DRAFT, Competition.Status.PUBLISHED):
        raise ValidationError(_("Panel hanya dapat disusun selama lomba masih draf atau sedang diumumkan."))
    members = list(members)
    allowed = set(region_judges(competition.region_id).values_list("pk", flat=True))
    if any(member.pk not in allowed for member in members):
        raise ValidationError(_("Anggota panel harus memiliki peran juri di pemda ini."))
    if lead is not None and lead not in members:
        raise ValidationError(_("Ketua panel harus salah satu anggota panel."))
    panel = panel or Panel(round=round_)
    panel.name, panel.lead = name.strip(), lead
    panel.full_clean()
    panel.save()
    panel.members.set(members)
    _record(
        competition, actor, "panel", data={"round": round_.pk, "panel": panel.pk, "members": [m.pk for m in members]}
    )
    return panel


def _judge_facts(judges: Iterable[User], competition: Competition, day: dt.date) -> dict[int, conflicts.JudgeFacts]:
    judges = list(judges)
    official_to_judge = {judge.official_id: judge.pk for judge in judges if judge.official_id}
    posts: dict[int, list[conflicts.Post]] = {judge.pk: [] for judge in judges}
    for post in Assignment.objects.on(day).filter(official_id__in=official_to_judge).select_related("unit"):
        posts[official_to_judge[post.official_id]].append(
            conflicts.Post(post.unit.path, Echelon.tier(post.echelon), post.is_acting)
        )
    declared_units: dict[int, list[str]] = {judge.pk: [] for judge in judges}
    declared_entries: dict[int, set[str]] = {judge.pk: set() for judge in judges}
    for declaration in competition.conflicts.filter(judge__in=judges).select_related("unit"):
        if declaration.unit_id:
            declared_units[declaration.judge_id].append(declaration.unit.path)
        if declaration.entry_id:
            declared_entries[declaration.judge_id].add(str(declaration.entry_id))
    return {
        judge.pk: conflicts.JudgeFacts(
            str(judge.pk), tuple(posts[judge.pk]), tuple(declared_units[judge.pk]),
            frozenset(declared_entries[judge.pk]),
        )
        for judge in judges
    }  # fmt: skip


def _entry_facts(entries: Iterable[Entry], day: dt.date) -> dict[int, conflicts.EntryFacts]:
    entries = list(entries)
    officials = {entry.official_id for entry in entries if entry.official_id}
    tiers = {
        post.official_id: Echelon.tier(post.echelon)
        for post in Assignment.objects.on(day).filter(official_id__in=officials, is_acting=False)
    }
    return {
        entry.pk: conflicts.EntryFacts(
            entry.unit.path if entry.unit_id else None, tiers.get(entry.official_id), str(entry.entrant_id)
        )
        for entry in entries
    }


def recusals(round_: Round, entries: Iterable[Entry], judges: Iterable[User]) -> dict[tuple[int, int], list[str]]:
    """(entry id, judge id) -> reasons, for every pair with a conflict of interest on the
    round's opening date."""
    day = timezone.localtime(round_.opens_at).date()
    entries = list(entries)
    judge_facts = _judge_facts(judges, round_.competition, day)
    entry_facts = _entry_facts(entries, day)
    found = {}
    for entry in entries:
        for judge_id, facts in judge_facts.items():
            reasons = conflicts.recusal_reasons(facts, str(entry.pk), entry_facts[entry.pk])
            if reasons:
                found[(entry.pk, judge_id)] = reasons
    return found


RECUSAL_LABELS = {
    conflicts.OWN_ENTRY: gettext_lazy("juri adalah pengusul proposal ini"),
    conflicts.DECLARED_ENTRY: gettext_lazy("juri menyatakan konflik kepentingan dengan proposal ini"),
    conflicts.DECLARED_UNIT: gettext_lazy("juri menyatakan konflik kepentingan dengan perangkat daerah pengusul"),
    conflicts.SAME_UNIT: gettext_lazy("juri menjabat di perangkat daerah pengusul pada tanggal babak"),
    conflicts.SUPERVISION: gettext_lazy("juri berada dalam garis atasan pengusul pada tanggal babak"),
}


def recusal_text(reasons: Iterable[str]) -> str:
    return "; ".join(str(RECUSAL_LABELS[reason]) for reason in reasons)


def _scoring_round_is_changeable(round_: Round) -> None:
    if not round_.is_scoring:
        raise ValidationError(_("Juri hanya ditugaskan pada babak penilaian."))
    if round_.has_closed():
        raise ValidationError(_("Babak ini sudah ditutup; penugasan juri terkunci."))
    if round_.competition.status != Competition.Status.PUBLISHED:
        raise ValidationError(_("Juri ditugaskan setelah lomba diumumkan."))


def assignments_auto(*, round_: Round, actor: User) -> Allocation:
    """Give every proposal of the round its K judges, balanced and without conflicts; active
    assignments that have become conflicted are recused first."""
    competition = round_.competition
    _require(actor, "competitions.manage_competition", competition)
    _scoring_round_is_changeable(round_)
    panels = list(round_.panels.prefetch_related("members"))
    judges = {member.pk: member for panel in panels for member in panel.members.all()}
    if not judges:
        raise ValidationError(_("Bentuk panel juri untuk babak ini terlebih dahulu."))
    entries = list(Entry.objects.in_round(round_).select_related("unit").order_by("number"))
    if not entries:
        raise ValidationError(_("Belum ada proposal di babak ini."))
    with transaction.atomic():
        existing = list(round_.assignments.all())
        conflicted = recusals(round_, entries, judges.values())
        for assignment in existing:
            reasons = conflicted.get((assignment.entry_id, assignment.judge_id))
            if assignment.is_active and reasons:
                assignment_recuse(assignment=assignment, actor=None, reason=recusal_text(reasons))
        blocked = {(str(e), str(j)) for e, j in conflicted}
        blocked |= {(str(a.entry_id), str(a.judge_id)) for a in existing if not a.is_active}
        active: dict[str, list[str]] = {}
        for assignment in existing:
            if assignment.is_active and (assignment.entry_id, assignment.judge_id) not in conflicted:
                active.setdefault(str(assignment.entry_id), []).append(str(assignment.judge_id))
        allocation = allocate(
            [str(entry.pk) for entry in entries],
            {str(panel.pk): [str(m.pk) for m in panel.members.all()] for panel in panels},
            competition.judges_per_entry,
            blocked,
            active,
        )
        JudgeAssignment.objects.bulk_create(
            JudgeAssignment(round=round_, entry_id=int(entry), judge_id=int(judge), panel_id=int(panel),
                            method=JudgeAssignment.Method.AUTO, assigned_by=actor)
            for entry, pairs in allocation.assigned.items()
            for judge, panel in pairs
        )  # fmt: skip
        _record(
            competition, actor, "assign_auto",
            data={"round": round_.pk, "assigned": sum(len(p) for p in allocation.assigned.values()),
                  "short": allocation.short},
        )  # fmt: skip
    _notify_judges(round_, {int(judge) for pairs in allocation.assigned.values() for judge, _panel in pairs})
    return allocation


def _notify_judges(round_: Round, judge_ids: set[int]) -> None:
    if judge_ids:
        notify(
            recipients=User.objects.filter(pk__in=judge_ids),
            title=_("Penugasan menilai: %(round)s") % {"round": round_},
            body=_("Babak dibuka %(opens)s dan ditutup %(closes)s.")
            % {
                "opens": timezone.localtime(round_.opens_at).strftime("%d-%m-%Y %H.%M"),
                "closes": timezone.localtime(round_.closes_at).strftime("%d-%m-%Y %H.%M"),
            },
            url=reverse("competitions:judge-home"),
            region=round_.competition.region,
        )


@transaction.atomic
def assignment_add(*, round_: Round, entry: Entry, judge: User, actor: User) -> JudgeAssignment:
    """A hand-made assignment; refused when the judge has a conflict with the proposal."""
    competition = round_.competition
    _require(actor, "competitions.manage_competition", competition)
    _scoring_round_is_changeable(round_)
    if not Entry.objects.in_round(round_).filter(pk=entry.pk).exists():
        raise ValidationError(_("Proposal ini tidak mengikuti babak tersebut."))
    if not region_judges(competition.region_id).filter(pk=judge.pk).exists():
        raise ValidationError(_("Pengguna ini tidak memiliki peran juri di pemda ini."))
    reasons = recusals(round_, [entry], [judge]).get((entry.pk, judge.pk))
    if reasons:
        raise ValidationError(_("Tidak dapat ditugaskan: %(reasons)s.") % {"reasons": recusal_text(reasons)})
    if round_.assignments.filter(entry=entry, judge=judge).exists():
        raise ValidationError(_("Juri ini sudah pernah ditugaskan pada proposal ini di babak ini."))
    panel = round_.panels.filter(members=judge).first()
    assignment = JudgeAssignment.objects.create(
        round=round_, entry=entry, judge=judge, panel=panel, method=JudgeAssignment.Method.MANUAL, assigned_by=actor
    )
    _record(competition, actor, "assign", data={"round": round_.pk, "entry": entry.pk, "judge": judge.pk})
    _notify_judges(round_, {judge.pk})
    return assignment


def assignment_recuse(*, assignment: JudgeAssignment, actor: User | None, reason: str) -> None:
    """Take a judge off a proposal (conflict of interest, or the admin's decision); the card,
    if any, no longer counts. The row stays, with the reason."""
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasannya."))
    if assignment.round.has_closed():
        raise ValidationError(_("Babak ini sudah ditutup; penugasan juri terkunci."))
    with transaction.atomic():
        changed = JudgeAssignment.objects.filter(pk=assignment.pk, status=JudgeAssignment.Status.ACTIVE).update(
            status=JudgeAssignment.Status.RECUSED, recusal_reason=reason.strip(), recused_at=timezone.now()
        )
        if changed:
            assignment.status = JudgeAssignment.Status.RECUSED
            _record(
                assignment.round.competition, actor, "recuse", note=reason,
                data={"round": assignment.round_id, "entry": assignment.entry_id, "judge": assignment.judge_id},
            )  # fmt: skip


@transaction.atomic
def conflict_declare(*, competition: Competition, judge: User, reason: str, entry: Entry | None = None,
                     unit: Unit | None = None) -> ConflictDeclaration:  # fmt: skip
    """A judge's own declaration; the judge's open assignments it touches are recused."""
    if entry is None and unit is None:
        raise ValidationError(_("Pilih proposal atau perangkat daerah yang menjadi sumber konflik."))
    if unit is not None and unit.region_id != competition.region_id:
        raise ValidationError(_("Perangkat daerah harus dari pemda penyelenggara."))
    declaration = ConflictDeclaration(competition=competition, judge=judge, entry=entry, unit=unit, reason=reason)
    declaration.full_clean()
    declaration.save()
    touched = JudgeAssignment.objects.filter(
        judge=judge, round__competition=competition, status=JudgeAssignment.Status.ACTIVE,
        round__closes_at__gt=timezone.now(),
    ).select_related("round__competition", "entry__unit")  # fmt: skip
    if entry is not None:
        touched = touched.filter(entry=entry)
    else:
        touched = touched.filter(entry__unit__path__startswith=unit.path)
    for assignment in touched:
        assignment_recuse(
            assignment=assignment, actor=judge, reason=_("Dinyatakan juri: %(reason)s") % {"reason": reason}
        )
    return declaration


# Score cards -----------------------------------------------------------------------------------


def card_for(assignment: JudgeAssignment) -> ScoreCard:
    card, _created = ScoreCard.objects.get_or_create(assignment=assignment)
    return card


@transaction.atomic
def card_save(*, card: ScoreCard, actor: User, values: Mapping[int, int | None], comments: Mapping[int, str],
              comment: str) -> ScoreCard:  # fmt: skip
    """Store a judge's scores; every change of a value or a remark is logged."""
    _require(actor, "competitions.score_assignment", card.assignment)
    if card.status != ScoreCard.Status.DRAFT:
        raise ValidationError(_("Nilai sudah dikirim; buka kembali lembar nilai untuk mengubahnya."))
    rubric = card.assignment.round.rubric
    criteria = {c.pk: c for c in rubric.criteria.all()}
    current = {score.criterion_id: score for score in card.scores.all()}
    changes = []
    for criterion_id, value in values.items():
        if criterion_id not in criteria:
            raise ValidationError(_("Kriteria tidak dikenal."))
        if value is not None and value not in rubric.scale:
            raise ValidationError(
                _("Nilai harus antara %(low)s dan %(high)s.") % {"low": rubric.scale_min, "high": rubric.scale_max}
            )
        remark = comments.get(criterion_id, "").strip()
        score = current.get(criterion_id)
        old_value, old_remark = (score.value, score.comment) if score else (None, "")
        if value is None:
            if score is not None:
                score.delete()
        elif score is None:
            Score.objects.create(card=card, criterion_id=criterion_id, value=value, comment=remark)
        elif (score.value, score.comment) != (value, remark):
            score.value, score.comment = value, remark
            score.save(update_fields=["value", "comment"])
        if old_value != value:
            changes.append(ScoreChange(card=card, criterion_id=criterion_id, field="value", old=_text(old_value),
                                       new=_text(value), actor=actor))  # fmt: skip
        if old_remark != remark and (value is not None or old_remark):
            changes.append(ScoreChange(card=card, criterion_id=criterion_id, field="comment", old=old_remark,
                                       new=remark, actor=actor))  # fmt: skip
    if card.comment != comment.strip():
        changes.append(ScoreChange(card=card, field="comment", old=card.comment, new=comment.strip(), actor=actor))
        card.comment = comment.strip()
        card.save(update_fields=["comment", "updated_at"])
    ScoreChange.objects.bulk_create(changes)
    return card


def _text(value) -> str:
    return "" if value is None else str(value)


def card_submit(*, card: ScoreCard, actor: User) -> ScoreCard:
    criteria = set(card.assignment.round.rubric.criteria.values_list("pk", flat=True))
    scored = set(card.scores.values_list("criterion_id", flat=True))
    if criteria - scored:
        raise ValidationError(_("Beri nilai pada semua kriteria sebelum mengirim."))
    with transaction.atomic():
        CARD.apply(card, "submit", actor=actor)
        card.submitted_at = timezone.now()
        card.save(update_fields=["submitted_at"])
    return card


def card_reopen(*, card: ScoreCard, actor: User, note: str) -> None:
    CARD.apply(card, "reopen", actor=actor, note=note)
