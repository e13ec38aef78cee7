"""Menu entries and home panels for competitions."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.nav import HomePanel, MenuItem, register_menu, register_panel
from lumbung.core.roles import Role

from .eligibility import tracks_open_to
from .models import Competition, Entry, JudgeAssignment, Round, ScoreCard
from .phases import SCORING_KINDS, Capability

ENTRANT_ROLES = frozenset({Role.CITIZEN, Role.INNOVATOR, Role.OPERATOR})


def _judge_context(request) -> dict:
    now = timezone.now()
    open_work = JudgeAssignment.objects.filter(
        judge=request.user, status=JudgeAssignment.Status.ACTIVE, round__opens_at__lte=now, round__closes_at__gt=now
    )
    pending = open_work.exclude(card__status=ScoreCard.Status.SUBMITTED)
    return {
        "pending": pending.count(),
        "done": open_work.filter(card__status=ScoreCard.Status.SUBMITTED).count(),
        "next_close": pending.order_by("round__closes_at").values_list("round__closes_at", flat=True).first(),
    }


def _entrant_context(request) -> dict:
    mine = Entry.objects.of_entrant(request.user).filter(competition__region=request.region)
    calls = Competition.objects.filter(region=request.region, status=Competition.Status.PUBLISHED).prefetch_related(
        "rounds"
    )
    return {
        "drafts": mine.filter(status=Entry.Status.DRAFT).count(),
        "sent": mine.exclude(status=Entry.Status.DRAFT).count(),
        "open_calls": [c for c in calls if Capability.SUBMIT in c.capabilities() and tracks_open_to(request.user, c)],
    }


def _admin_context(request) -> dict:
    now = timezone.now()
    running = Competition.objects.filter(region=request.region, status=Competition.Status.PUBLISHED).annotate(
        to_screen=Count("entries", filter=Q(entries__status=Entry.Status.SUBMITTED))
    )
    to_advance = Round.objects.filter(
        competition__region=request.region, competition__status=Competition.Status.PUBLISHED,
        closes_at__lte=now, advanced_at__isnull=True, kind__in=SCORING_KINDS,
    ).select_related("competition")  # fmt: skip
    return {"running": running.prefetch_related("rounds"), "to_advance": to_advance[:5]}


register_menu(
    MenuItem(_("Lomba"), "competitions:list", public=True, order=50),
    MenuItem(_("Kelola lomba"), "competitions:manage-list", roles={Role.ADMIN}, order=51),
    MenuItem(_("Penilaian lomba"), "competitions:judge-home", roles={Role.JUDGE}, order=52),
)
register_panel(
    HomePanel("competitions/panels/judge.html", roles=frozenset({Role.JUDGE}), context=_judge_context, order=15),
    HomePanel("competitions/panels/entrant.html", roles=ENTRANT_ROLES, context=_entrant_context, order=50),
    HomePanel("competitions/panels/admin.html", roles=frozenset({Role.ADMIN}), context=_admin_context, order=50),
)
