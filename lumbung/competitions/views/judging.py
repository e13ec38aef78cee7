"""The judges' pages: what to score and how far along they are, the score card (blind when
the competition says so), conflicts of interest, and the lead judge's view of the panel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.organisation.models import Unit

from .. import judges
from ..forms import ConflictForm, NoteForm, ReasonForm, ScoreCardForm
from ..models import Competition, JudgeAssignment, Panel, ScoreCard
from ..results import SPREAD_ALERT, panel_progress
from ..workflows import CARD
from .common import errors, saved

ASSIGNMENTS = JudgeAssignment.objects.select_related(
    "round__competition__region", "round__rubric", "entry__unit", "entry__affair", "panel"
)


def assignment_for(request, pk) -> JudgeAssignment:
    return get_for_user(request.user, ASSIGNMENTS, "competitions.view_assignment", pk=pk)


@access.roles(Role.JUDGE)
def judge_home(request):
    mine = (
        JudgeAssignment.objects.filter(judge=request.user, status=JudgeAssignment.Status.ACTIVE)
        .select_related("round__competition", "entry", "card")
        .order_by("-round__opens_at", "entry__number")
    )
    rounds: dict = {}
    for assignment in mine:
        bucket = rounds.setdefault(assignment.round, [])
        bucket.append(assignment)
    summary = [(round_, items, sum(1 for a in items if _submitted(a))) for round_, items in rounds.items()]
    led = Panel.objects.filter(lead=request.user).select_related("round__competition").annotate(
        assigned=Count("assignments", filter=Q(assignments__status=JudgeAssignment.Status.ACTIVE))
    )  # fmt: skip
    competitions = Competition.objects.filter(rounds__panels__members=request.user).distinct()
    context = {"summary": summary, "led": led, "competitions": competitions}
    return render(request, "competitions/judge/home.html", context)


def _submitted(assignment: JudgeAssignment) -> bool:
    try:
        return assignment.card.status == ScoreCard.Status.SUBMITTED
    except ScoreCard.DoesNotExist:
        return False


@access.roles(Role.JUDGE)
def score_card(request, pk):
    assignment = assignment_for(request, pk)
    round_ = assignment.round
    entry = assignment.entry
    card = judges.card_for(assignment)
    may_score = request.user.has_perm("competitions.score_assignment", assignment)
    editable = may_score and card.status == ScoreCard.Status.DRAFT
    criteria = list(round_.rubric.criteria.all())
    form = ScoreCardForm(request.POST or None, criteria=criteria, card=card, disabled=not editable)
    if request.method == "POST" and editable and form.is_valid():
        try:
            judges.card_save(card=card, actor=request.user, values=form.values(), comments=form.remarks(),
                               comment=form.cleaned_data["comment"])  # fmt: skip
            if request.POST.get("next") == "submit":
                judges.card_submit(card=card, actor=request.user)
                messages.success(request, _("Nilai dikirim. Terima kasih."))
                return redirect("competitions:judge-home")
        except ValidationError as error:
            form.add_error(None, error)
        except (TransitionNotAllowed, PermissionDenied):
            form.add_error(None, _("Babak penilaian ini sudah ditutup; nilai tidak dapat diubah."))
        else:
            messages.success(request, _("Nilai disimpan sebagai draf."))
            return redirect("competitions:judge-card", assignment.pk)
    competition = round_.competition
    context = {
        "assignment": assignment,
        "round": round_,
        "competition": competition,
        "entry": entry,
        "blind": competition.blind,
        "sections": [(section, entry.answer(section)) for section in competition.sections.all()],
        "attachments": entry.attachments.all(),
        "card": card,
        "form": form,
        "editable": editable,
        "may_reopen": CARD.may(request.user, card, "reopen"),
        "round_state": round_.state(),
    }
    return render(request, "competitions/judge/card.html", context)


@require_POST
@access.roles(Role.JUDGE, Role.ADMIN)
def card_reopen(request, pk):
    card = get_for_user(
        request.user, ScoreCard.objects.select_related("assignment__round__competition", "assignment__panel"),
        "competitions.reopen_card", assignment_id=pk,
    )  # fmt: skip
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        judges.card_reopen(card=card, actor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, errors(error))
    except TransitionNotAllowed:
        messages.error(request, _("Lembar nilai ini tidak dapat dibuka kembali."))
    else:
        messages.success(request, _("Lembar nilai dibuka kembali untuk diubah."))
    if card.assignment.judge_id == request.user.pk:
        return redirect("competitions:judge-card", card.assignment_id)
    return redirect("competitions:panel-progress", card.assignment.panel_id)


@require_POST
@access.roles(Role.JUDGE)
def conflict_entry(request, pk):
    """The judge sees a conflict on the score card: declare it and step aside."""
    assignment = assignment_for(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan konflik kepentingan."))
        return redirect("competitions:judge-card", assignment.pk)
    try:
        judges.conflict_declare(competition=assignment.round.competition, judge=request.user,
                                  entry=assignment.entry, reason=form.cleaned_data["reason"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, errors(error))
        return redirect("competitions:judge-card", assignment.pk)
    messages.success(request, _("Konflik kepentingan dicatat; Anda tidak lagi menilai proposal ini."))
    return redirect("competitions:judge-home")


@access.roles(Role.JUDGE)
def conflicts(request, pk):
    competition = get_for_user(request.user, Competition.objects.select_related("region"),
                               "competitions.judge_competition", pk=pk)  # fmt: skip
    form = ConflictForm(request.POST or None, units=Unit.objects.filter(region=competition.region, is_active=True))
    done = saved(
        request, form, lambda data: judges.conflict_declare(competition=competition, judge=request.user, **data),
        _("Pernyataan konflik kepentingan disimpan."), "competitions:judge-conflicts", competition.pk,
    )  # fmt: skip
    if done:
        return done
    declared = competition.conflicts.filter(judge=request.user).select_related("unit", "entry")
    context = {"competition": competition, "form": form, "declared": declared}
    return render(request, "competitions/judge/conflicts.html", context)


@access.roles(Role.JUDGE, Role.ADMIN)
def panel_detail(request, pk):
    panel = get_for_user(
        request.user, Panel.objects.select_related("round__competition__region", "round__rubric", "lead"),
        "competitions.lead_panel", pk=pk,
    )  # fmt: skip
    progress = panel_progress(panel)
    context = {
        "panel": panel,
        "progress": progress,
        "round": panel.round,
        "competition": panel.round.competition,
        "spread_alert": SPREAD_ALERT,
    }
    return render(request, "competitions/judge/panel.html", context)
