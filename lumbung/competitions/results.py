"""From score cards to standings: per round, across rounds, who goes on, and the published
results. The arithmetic is in scoring.py; this module reads the database for it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.notifications.services import notify

from . import scoring
from .models import Competition, Entry, JudgeAssignment, Panel, Result, Round, ScoreCard, prize_label
from .services import _record
from .workflows import COMPETITION, ENTRY

# Judges further apart than this (on the 0-100 scale) should talk about the proposal.
SPREAD_ALERT = Decimal(25)


def _specs(rubric) -> tuple[list, list[scoring.CriterionSpec]]:
    criteria = list(rubric.criteria.all())
    return criteria, [scoring.CriterionSpec(str(c.pk), c.weight) for c in criteria]


def card_values(cards, rubric) -> dict[int, Decimal | None]:
    """card id -> weighted value 0-100 (None while a criterion is missing)."""
    _criteria, specs = _specs(rubric)
    return {
        card.pk: scoring.card_value(
            {str(s.criterion_id): s.value for s in card.scores.all()}, specs, rubric.scale_min, rubric.scale_max
        )
        for card in cards
    }


@dataclass
class StandingRow:
    entry: Entry
    result: scoring.EntryRound
    assigned: int
    top_criterion: Decimal | None
    # (judge, card value, z-score) for each submitted card
    cards: list[tuple[User, Decimal, Decimal]] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        return self.result.score

    @property
    def is_short(self) -> bool:
        return self.result.judge_count < self.assigned or self.assigned == 0


@dataclass
class RoundStanding:
    round: Round
    aggregate: scoring.RoundAggregate
    rows: list[StandingRow]
    judges: dict[int, User] = field(default_factory=dict)

    def by_track(self) -> dict[str, list[StandingRow]]:
        tracks: dict[str, list[StandingRow]] = defaultdict(list)
        for row in self.rows:
            tracks[row.entry.track].append(row)
        return dict(tracks)

    def row_of(self, entry_id: int) -> StandingRow | None:
        return next((row for row in self.rows if row.entry.pk == entry_id), None)

    @property
    def judge_stats(self) -> list[tuple[User, scoring.JudgeStats]]:
        return [
            (self.judges[int(j)], stats) for j, stats in sorted(self.aggregate.judges.items(), key=lambda i: int(i[0]))
        ]


def _score_key(row: StandingRow):
    rounded = scoring.round2(row.score)
    return (rounded is None, -(rounded or 0), row.entry.number or 0)


def round_standing(round_: Round) -> RoundStanding:
    """Every proposal of a scoring round with its round score (submitted cards only)."""
    competition = round_.competition
    rubric = round_.rubric
    criteria, specs = _specs(rubric)
    heaviest = max(criteria, key=lambda c: (c.weight, -c.order, -c.pk)) if criteria else None
    entries = list(Entry.objects.in_round(round_).select_related("unit").order_by("number"))
    cards = list(
        ScoreCard.objects.filter(
            assignment__round=round_, assignment__status=JudgeAssignment.Status.ACTIVE,
            status=ScoreCard.Status.SUBMITTED,
        )
        .select_related("assignment__judge")
        .prefetch_related("scores")
    )  # fmt: skip
    values, heavy, judges = [], defaultdict(list), {}
    for card in cards:
        scores = {str(s.criterion_id): s.value for s in card.scores.all()}
        value = scoring.card_value(scores, specs, rubric.scale_min, rubric.scale_max)
        if value is None:
            continue
        assignment = card.assignment
        judges[assignment.judge_id] = assignment.judge
        values.append(scoring.CardValue(str(assignment.judge_id), str(assignment.entry_id), value))
        heavy[assignment.entry_id].append(Decimal(scores[str(heaviest.pk)]))
    aggregate = scoring.aggregate(values, competition.aggregation, [str(e.pk) for e in entries])
    assigned = dict(
        round_.assignments.filter(status=JudgeAssignment.Status.ACTIVE)
        .values_list("entry")
        .annotate(n=Count("id"))
        .values_list("entry", "n")
    )
    rows = []
    for entry in entries:
        result = aggregate.entries[str(entry.pk)]
        cards_of_entry = [(judges[int(j)], value, result.z_values[j]) for j, value in result.values.items()]
        top = scoring.mean(heavy[entry.pk]) if heavy[entry.pk] else None
        rows.append(StandingRow(entry, result, assigned.get(entry.pk, 0), top, cards_of_entry))
    rows.sort(key=_score_key)
    return RoundStanding(round_, aggregate, rows, judges)


@dataclass
class FinalRow:
    entry: Entry
    round_scores: list[tuple[Round, Decimal | None]]
    final: Decimal | None
    ranked: scoring.Ranked | None = None
    prize: str = Result.Prize.NONE
    prize_rank: int | None = None

    @property
    def prize_label(self) -> str:
        return prize_label(self.prize, self.prize_rank)


def competition_standing(competition: Competition) -> tuple[dict[str, list[FinalRow]], dict[int, RoundStanding]]:
    """The ranking per track across all scoring rounds, with prizes, and the round standings
    it was computed from."""
    rounds = competition.scoring_rounds
    standings = {round_.pk: round_standing(round_) for round_ in rounds}
    weights = {str(round_.pk): round_.weight for round_ in rounds}
    entries = (
        Entry.objects.filter(competition=competition, status__in=[Entry.Status.ELIGIBLE, Entry.Status.ELIMINATED])
        .exclude(reached_round=None)
        .select_related("reached_round", "unit")
    )
    rows: dict[str, list[FinalRow]] = defaultdict(list)
    inputs: dict[str, list[scoring.RankInput]] = defaultdict(list)
    for entry in entries:
        stage = entry.reached_round.order
        taken = [round_ for round_ in rounds if round_.order <= stage]
        scores = {}
        for round_ in taken:
            row = standings[round_.pk].row_of(entry.pk)
            scores[round_] = row.score if row else None
        # Blended from the round scores as shown (2 decimals), so anyone can redo the sum.
        final = scoring.blend({str(r.pk): scoring.round2(s) for r, s in scores.items()}, weights)
        last = standings[entry.reached_round_id].row_of(entry.pk)
        rows[entry.track].append(FinalRow(entry, list(scores.items()), final))
        inputs[entry.track].append(
            scoring.RankInput(
                str(entry.pk), stage, final, last.score if last else None, last.top_criterion if last else None,
                entry.submitted_at.timestamp() if entry.submitted_at else 0.0,
            )
        )  # fmt: skip
    ordered = {}
    last_order = rounds[-1].order if rounds else 0
    for track in competition.tracks:
        by_id = {str(row.entry.pk): row for row in rows.get(track, [])}
        ordered[track] = []
        prizes = 0
        for ranked in scoring.rank(inputs.get(track, [])):
            row = by_id[ranked.entry]
            row.ranked = ranked
            # Prizes go to the finalists (those who reached the last round) with a score.
            if row.entry.reached_round.order == last_order and row.final is not None:
                prizes += 1
                if prizes <= competition.winners_per_track:
                    row.prize, row.prize_rank = Result.Prize.WINNER, prizes
                elif prizes <= competition.winners_per_track + competition.honourable_per_track:
                    row.prize, row.prize_rank = Result.Prize.HONOURABLE, prizes - competition.winners_per_track
            ordered[track].append(row)
    return ordered, standings


def default_advancers(standing: RoundStanding) -> set[int]:
    """The top proposals per track by round score (all of them without a limit)."""
    limit = standing.round.advance_count
    chosen = set()
    for rows in standing.by_track().values():
        candidates = [row for row in rows if row.entry.status == Entry.Status.ELIGIBLE]
        if limit is not None:
            candidates = [row for row in candidates if row.score is not None][:limit]
        chosen.update(row.entry.pk for row in candidates)
    return chosen


def advance_problems(round_: Round) -> list[str]:
    problems = []
    if not round_.has_closed():
        problems.append(_("Babak ini belum ditutup."))
    if round_.advanced_at:
        problems.append(_("Peserta yang lanjut dari babak ini sudah ditetapkan."))
    following = round_.next_scoring_round
    if following is None:
        problems.append(_("Ini babak penilaian terakhir; lanjutkan dengan pengumuman hasil."))
    elif following.assignments.exists():
        problems.append(_("Babak berikutnya sudah memiliki penugasan juri."))
    return problems


def round_advance(*, round_: Round, actor: User, entry_ids: set[int]) -> None:
    """Fix who goes on from a closed round; the others end here (with an event each)."""
    competition = round_.competition
    if not actor.has_perm("competitions.manage_competition", competition):
        raise PermissionDenied
    problems = advance_problems(round_)
    if problems:
        raise ValidationError(problems)
    following = round_.next_scoring_round
    here = list(Entry.objects.in_round(round_).filter(reached_round=round_, status=Entry.Status.ELIGIBLE))
    if not set(entry_ids) <= {entry.pk for entry in here}:
        raise ValidationError(_("Pilihan berisi proposal yang tidak mengikuti babak ini."))
    with transaction.atomic():
        Entry.objects.filter(pk__in=entry_ids).update(reached_round=following, updated_at=timezone.now())
        note = _("Tidak masuk ke babak “%(round)s”.") % {"round": following.title}
        for entry in here:
            if entry.pk not in entry_ids:
                ENTRY.apply(entry, "eliminate", actor=actor, note=note, data={"round": round_.pk}, system=True)
        Round.objects.filter(pk=round_.pk).update(advanced_at=timezone.now())
        _record(competition, actor, "advance", data={"round": round_.pk, "advanced": sorted(entry_ids)})
    for entry in here:
        goes_on = entry.pk in entry_ids
        notify(
            recipients=[entry.entrant],
            title=(_("Proposal “%(title)s” lanjut ke babak %(round)s") if goes_on else
                   _("Proposal “%(title)s” tidak lanjut ke babak %(round)s"))
            % {"title": entry.title, "round": following.title},
            url=reverse("competitions:entry-detail", args=[entry.pk]),
            region=competition.region,
        )  # fmt: skip


def results_problems(competition: Competition) -> list[str]:
    problems = []
    rounds = competition.scoring_rounds
    if not rounds:
        problems.append(_("Lomba ini belum memiliki babak penilaian."))
    for round_ in rounds:
        if not round_.has_closed():
            problems.append(_("Babak “%(round)s” belum ditutup.") % {"round": round_.title})
        elif round_ != rounds[-1] and not round_.advanced_at:
            problems.append(_("Tetapkan dahulu peserta yang lanjut dari babak “%(round)s”.") % {"round": round_.title})
    return problems


def _breakdown(row: FinalRow) -> dict:
    def text(value):
        return None if value is None else str(scoring.round2(value))

    return {
        "rounds": [
            {"round": round_.pk, "title": round_.title, "weight": str(round_.weight), "score": text(score)}
            for round_, score in row.round_scores
        ],
        "decided_by": row.ranked.decided_by if row.ranked else "",
        "stage": row.entry.reached_round.title,
    }


def results_publish(*, competition: Competition, actor: User, note: str = "") -> list[Result]:
    """Freeze the ranking into Result rows and announce it."""
    problems = results_problems(competition)
    if problems:
        raise ValidationError(problems)
    ordered, _standings = competition_standing(competition)
    with transaction.atomic():
        competition.results.all().delete()
        results = Result.objects.bulk_create(
            Result(competition=competition, entry=row.entry, track=track, rank=row.ranked.rank, prize=row.prize,
                   prize_rank=row.prize_rank, final_score=scoring.round2(row.final), breakdown=_breakdown(row))
            for track, rows in ordered.items()
            for row in rows
        )  # fmt: skip
        COMPETITION.apply(competition, "publish_results", actor=actor, note=note, data={"results": len(results)})
        competition.results_published_at = timezone.now()
        competition.save(update_fields=["results_published_at"])
    entrants = User.objects.filter(competition_entries__in=competition.entries.sent()).distinct()
    notify(
        recipients=entrants,
        title=_("Hasil %(title)s telah diumumkan") % {"title": competition.title},
        url=reverse("competitions:announcement", args=[competition.pk]),
        region=competition.region,
    )
    return results


@dataclass
class PanelProgress:
    panel: Panel
    # (judge, assigned, submitted)
    judges: list[tuple[User, int, int]]
    # (entry, [(assignment, card value) of submitted cards], spread)
    entries: list[tuple[Entry, list[tuple[JudgeAssignment, Decimal]], Decimal | None]]

    @property
    def assigned(self) -> int:
        return sum(n for _j, n, _s in self.judges)

    @property
    def submitted(self) -> int:
        return sum(s for _j, _n, s in self.judges)


def panel_progress(panel: Panel) -> PanelProgress:
    """Per judge: assigned and submitted cards; per proposal: the submitted card values."""
    assignments = list(
        panel.assignments.filter(status=JudgeAssignment.Status.ACTIVE)
        .select_related("judge", "entry", "card")
        .prefetch_related("card__scores")
        .order_by("entry__number", "judge__full_name")
    )
    cards = [a.card for a in assignments if _has_card(a) and a.card.status == ScoreCard.Status.SUBMITTED]
    values = card_values(cards, panel.round.rubric)
    counts: dict[int, list] = {}
    per_entry: dict[int, tuple[Entry, list]] = {}
    for assignment in assignments:
        judge = counts.setdefault(assignment.judge_id, [assignment.judge, 0, 0])
        judge[1] += 1
        _entry, submitted = per_entry.setdefault(assignment.entry_id, (assignment.entry, []))
        value = values.get(assignment.card.pk) if _has_card(assignment) else None
        if value is not None:
            judge[2] += 1
            submitted.append((assignment, value))
    return PanelProgress(
        panel,
        [tuple(item) for item in counts.values()],
        [
            (entry, pairs, (max(v for _a, v in pairs) - min(v for _a, v in pairs)) if pairs else None)
            for entry, pairs in per_entry.values()
        ],
    )


def _has_card(assignment: JudgeAssignment) -> bool:
    try:
        return assignment.card is not None
    except ScoreCard.DoesNotExist:
        return False


def entry_feedback(entry: Entry) -> list[tuple[Round, list[tuple[str, Decimal, list[str]]], list[str]]]:
    """Per round: (criterion, mean score, remarks) and the general remarks, without judges' names."""
    feedback = []
    for round_ in entry.competition.scoring_rounds:
        cards = list(
            ScoreCard.objects.filter(
                assignment__round=round_, assignment__entry=entry, assignment__status=JudgeAssignment.Status.ACTIVE,
                status=ScoreCard.Status.SUBMITTED,
            ).prefetch_related("scores")
        )  # fmt: skip
        if not cards:
            continue
        criteria = list(round_.rubric.criteria.all())
        rows = []
        for criterion in criteria:
            scores = [s for card in cards for s in card.scores.all() if s.criterion_id == criterion.pk]
            if scores:
                rows.append(
                    (criterion.name, scoring.mean([Decimal(s.value) for s in scores]),
                     [s.comment for s in scores if s.comment])
                )  # fmt: skip
        feedback.append((round_, rows, [card.comment for card in cards if card.comment]))
    return feedback
