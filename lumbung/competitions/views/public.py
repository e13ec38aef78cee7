"""Public pages: the calls, the announcements of results, and certificate verification."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from lumbung.core.access import access, get_for_user

from ..documents import certificate_matches
from ..eligibility import track_requirement, tracks_open_to
from ..forms import VerifyFileForm
from ..models import Certificate, Competition, Result, Round
from ..phases import Capability

PUBLIC = Competition.objects.select_related("region", "organiser").prefetch_related(
    Prefetch("rounds", queryset=Round.objects.select_related("rubric"))
)


@access.public
def competition_list(request):
    """Open calls first, then the announced results, across the hosted regions."""
    competitions = list(
        PUBLIC.public().annotate(sent=Count("entries", filter=~Q(entries__status__in=["draft", "withdrawn"])))
    )
    now = timezone.now()
    open_calls = [c for c in competitions if Capability.SUBMIT in c.capabilities(now)]
    others = [c for c in competitions if c not in open_calls]
    return render(request, "competitions/public/list.html", {"open_calls": open_calls, "others": others, "now": now})


@access.public
def call(request, pk):
    """The call for proposals: rules, tracks, schedule, sections, rubrics, how to enter."""
    competition = get_for_user(request.user, PUBLIC.prefetch_related("sections", "rounds__rubric__criteria"),
                               "competitions.view_competition", pk=pk)  # fmt: skip
    context = {
        "competition": competition,
        "can_enter": request.user.has_perm("competitions.enter_competition", competition),
        "open_tracks": tracks_open_to(request.user, competition),
        "requirements": [(label, track_requirement(track)) for track, label in competition.track_choices],
        "submission": competition.submission_round,
        "is_open": Capability.SUBMIT in competition.capabilities(),
    }
    return render(request, "competitions/public/call.html", context)


@access.public
def announcement(request, pk):
    """The published results: winners and the ranking per track, with how it was computed."""
    competition = get_for_user(request.user, PUBLIC, "competitions.view_competition", pk=pk)
    if competition.status != Competition.Status.RESULTS:
        raise Http404
    results = list(competition.results.select_related("entry__unit").order_by("track", "rank"))
    tracks = [(label, [r for r in results if r.track == track]) for track, label in competition.track_choices]
    context = {"competition": competition, "tracks": tracks, "Prize": Result.Prize}
    return render(request, "competitions/public/announcement.html", context)


@access.public
def certificate_verify(request, code):
    """Anyone can check a certificate by its code, and compare a file with the one issued."""
    certificate = (
        Certificate.objects.filter(code=code, competition__status=Competition.Status.RESULTS)
        .select_related("competition__region", "entry")
        .first()
    )
    if certificate is None:
        # Someone checking a mistyped or forged code is told so, not shown a bare "page not found".
        return render(request, "competitions/public/verify.html", {"certificate": None, "code": code}, status=404)
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    match = None
    if request.method == "POST" and form.is_valid():
        match = certificate_matches(certificate, form.cleaned_data["file"])
    context = {"certificate": certificate, "form": form, "match": match}
    return render(request, "competitions/public/verify.html", context)
