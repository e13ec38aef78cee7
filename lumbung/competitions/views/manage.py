"""The innovation admin's pages: set up a competition, screen proposals, organise judges,
follow the rounds, decide who goes on, publish results, issue certificates and minutes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lumbung.assessment.models import Assessment
from lumbung.core.access import access, get_for_user
from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed

from .. import charts, documents, judges, results, services
from ..forms import (
    AdvanceForm,
    CertificatesForm,
    CompetitionCreateForm,
    CompetitionForm,
    ConvertForm,
    IndexEvidenceForm,
    ManualAssignForm,
    NoteForm,
    PanelForm,
    ReasonForm,
    RoundForm,
    ScreenForm,
    SectionForm,
)
from ..models import Certificate, Competition, Entry, JudgeAssignment, Round, Section
from ..scoring import TIE_BREAK_ORDER
from ..workflows import COMPETITION
from .common import errors, saved

MANAGE = "competitions.manage_competition"
COMPETITIONS = Competition.objects.select_related("region", "organiser").prefetch_related(
    Prefetch("rounds", queryset=Round.objects.select_related("rubric"))
)
EVENT_LABELS = {
    "create": gettext_lazy("Lomba dibuat"),
    "update": gettext_lazy("Data lomba diubah"),
    "round": gettext_lazy("Jadwal atau babak diubah"),
    "round_delete": gettext_lazy("Babak dihapus"),
    "panel": gettext_lazy("Panel juri diatur"),
    "assign_auto": gettext_lazy("Penugasan juri otomatis"),
    "assign": gettext_lazy("Penugasan juri manual"),
    "recuse": gettext_lazy("Juri mundur dari proposal"),
    "advance": gettext_lazy("Peserta lanjut ditetapkan"),
    "certificates": gettext_lazy("Sertifikat diterbitkan"),
    "certificate_revoke": gettext_lazy("Sertifikat dicabut"),
    "index_evidence": gettext_lazy("Sertifikat dilampirkan ke indikator 12 IGA"),
}


def competition_for(request, pk) -> Competition:
    return get_for_user(request.user, COMPETITIONS, MANAGE, pk=pk, region=request.region)


def round_for(request, pk) -> Round:
    round_ = get_for_user(
        request.user, Round.objects.select_related("competition__region", "rubric"), MANAGE, pk=pk,
        competition__region=request.region,
    )  # fmt: skip
    # The round's competition with all its rounds, so phase questions need no further queries.
    round_.competition = competition_for(request, round_.competition_id)
    return next(r for r in round_.competition.round_list if r.pk == round_.pk)


def _tabs(competition: Competition, current: str, round_: Round | None = None) -> dict:
    return {"competition": competition, "tab": current, "current_round": round_}


@access.roles(Role.ADMIN)
def manage_list(request):
    competitions = (
        Competition.objects.filter(region=request.region)
        .annotate(
            sent=Count("entries", filter=~Q(entries__status__in=[Entry.Status.DRAFT, Entry.Status.WITHDRAWN])),
            drafts=Count("entries", filter=Q(entries__status=Entry.Status.DRAFT)),
        )
        .prefetch_related("rounds")
    )
    return render(request, "competitions/manage/list.html", {"competitions": competitions})


@access.roles(Role.ADMIN)
def competition_create(request):
    form = CompetitionCreateForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CompetitionForm.Meta.fields}
        try:
            competition = services.competition_create(
                region=request.region, actor=request.user, data=data,
                **{name: form.cleaned_data[name] for name in ("submission_opens", "submission_closes", "screening_closes")},
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Lomba dibuat sebagai draf. Tambahkan babak penilaian dengan rubriknya."))
            return redirect("competitions:manage-rounds", competition.pk)
    return render(request, "competitions/manage/form.html", {"form": form})


@access.roles(Role.ADMIN)
def competition_detail(request, pk):
    competition = competition_for(request, pk)
    counts = dict(competition.entries.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    context = {
        **_tabs(competition, "overview"),
        "counts": [(value, label, counts.get(value, 0)) for value, label in Entry.Status.choices],
        "problems": services.publish_problems(competition) if competition.is_editable else [],
        "transitions": [t for t in COMPETITION.available(request.user, competition) if t.action != "publish_results"],
        "action_url": reverse("competitions:manage-transition", args=[competition.pk]),
        "events": COMPETITION.describe(competition.events.select_related("actor"), EVENT_LABELS),
    }
    return render(request, "competitions/manage/detail.html", context)


@access.roles(Role.ADMIN)
def competition_edit(request, pk):
    competition = competition_for(request, pk)
    form = CompetitionForm(request.POST or None, instance=competition, region=request.region)

    def save(data):
        fields = {name: data[name] for name in CompetitionForm.Meta.fields}
        services.competition_update(competition=competition, actor=request.user, data=fields)

    return saved(
        request, form, save, _("Data lomba disimpan."), "competitions:manage-detail", competition.pk
    ) or render(request, "competitions/manage/form.html", {"form": form, **_tabs(competition, "overview")})


@require_POST
@access.roles(Role.ADMIN)
def competition_transition(request, pk):
    competition = competition_for(request, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    action = request.POST.get("action", "")
    try:
        services.competition_transition(
            competition=competition, action=action, actor=request.user, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, errors(error))
    except (TransitionNotAllowed, PermissionDenied):
        messages.error(request, _("Tindakan ini tidak dapat dilakukan sekarang."))
    else:
        messages.success(request, _("Status lomba: %(status)s.") % {"status": competition.get_status_display()})
    target = "competitions:manage-results" if action == "publish_results" else "competitions:manage-detail"
    return redirect(target, competition.pk)


# Schedule and proposal sections ----------------------------------------------------------------


@access.roles(Role.ADMIN)
def rounds(request, pk):
    competition = competition_for(request, pk)
    form = RoundForm(request.POST or None, competition=competition)
    done = saved(
        request, form, lambda data: services.round_save(competition=competition, actor=request.user, data=data),
        _("Babak ditambahkan."), "competitions:manage-rounds", competition.pk,
    )  # fmt: skip
    context = {**_tabs(competition, "rounds"), "form": form, "rounds": competition.round_list}
    return done or render(request, "competitions/manage/rounds.html", context)


@access.roles(Role.ADMIN)
def round_edit(request, pk):
    round_ = round_for(request, pk)
    competition = round_.competition
    form = RoundForm(request.POST or None, instance=round_, competition=competition)

    def save(data):
        changed = {name: data[name] for name in form.changed_data if name in data}
        services.round_save(competition=competition, actor=request.user, data=changed, round_=round_)

    done = saved(request, form, save, _("Babak disimpan."), "competitions:manage-rounds", competition.pk)
    context = {**_tabs(competition, "rounds"), "form": form, "round": round_}
    return done or render(request, "competitions/manage/round_form.html", context)


@require_POST
@access.roles(Role.ADMIN)
def round_delete(request, pk):
    round_ = round_for(request, pk)
    try:
        services.round_delete(round_=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
    else:
        messages.success(request, _("Babak dihapus."))
    return redirect("competitions:manage-rounds", round_.competition_id)


@access.roles(Role.ADMIN)
def sections(request, pk):
    competition = competition_for(request, pk)
    form = SectionForm(request.POST or None, initial={"order": competition.sections.count() + 1})
    done = saved(
        request, form, lambda data: services.section_save(competition=competition, actor=request.user, data=data),
        _("Bagian proposal ditambahkan."), "competitions:manage-sections", competition.pk,
    )  # fmt: skip
    context = {**_tabs(competition, "sections"), "form": form, "sections": competition.sections.all()}
    return done or render(request, "competitions/manage/sections.html", context)


def _section_for(request, pk) -> Section:
    section = get_for_user(
        request.user, Section.objects.select_related("competition"), MANAGE, pk=pk,
        competition__region=request.region,
    )  # fmt: skip
    return section


@access.roles(Role.ADMIN)
def section_edit(request, pk):
    section = _section_for(request, pk)
    competition = section.competition
    form = SectionForm(request.POST or None, instance=section)
    done = saved(
        request, form,
        lambda data: services.section_save(competition=competition, actor=request.user, data=data, section=section),
        _("Bagian proposal disimpan."), "competitions:manage-sections", competition.pk,
    )  # fmt: skip
    context = {**_tabs(competition, "sections"), "form": form, "section": section}
    return done or render(request, "competitions/manage/section_form.html", context)


@require_POST
@access.roles(Role.ADMIN)
def section_delete(request, pk):
    section = _section_for(request, pk)
    try:
        services.section_delete(section=section, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
    return redirect("competitions:manage-sections", section.competition_id)


# Proposals and the administrative check --------------------------------------------------------


@access.roles(Role.ADMIN)
def entries(request, pk):
    competition = competition_for(request, pk)
    status = request.GET.get("status", "")
    listed = (
        competition.entries.exclude(status=Entry.Status.DRAFT)
        .select_related("unit", "entrant", "reached_round")
        .annotate(files=Count("attachments"))
        .order_by("number")
    )
    if status in Entry.Status.values:
        listed = listed.filter(status=status)
    context = {
        **_tabs(competition, "entries"),
        "entries": listed,
        "status": status,
        "statuses": [choice for choice in Entry.Status.choices if choice[0] != Entry.Status.DRAFT],
        "drafts": competition.entries.filter(status=Entry.Status.DRAFT).count(),
        "may_screen": request.user.has_perm("competitions.screen_entry", competition),
    }
    return render(request, "competitions/manage/entries.html", context)


@require_POST
@access.roles(Role.ADMIN)
def entry_screen(request, pk):
    entry = get_for_user(
        request.user, Entry.objects.select_related("competition__region", "entrant"), MANAGE, pk=pk,
        competition__region=request.region,
    )  # fmt: skip
    form = ScreenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilihan seleksi tidak dikenal."))
    else:
        try:
            services.entry_screen(
                entry=entry, actor=request.user, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, f"#{entry.number:03d}: {errors(error)}")
        except (TransitionNotAllowed, PermissionDenied):
            messages.error(request, _("Seleksi administrasi hanya dapat dilakukan selama babak seleksi dibuka."))
        else:
            messages.success(request, _("Proposal #%(number)03d: %(status)s.") % {
                "number": entry.number, "status": entry.get_status_display()})  # fmt: skip
    return redirect(f"{reverse('competitions:manage-entries', args=[entry.competition_id])}#entry-{entry.pk}")


# Judges ----------------------------------------------------------------------------------------


PANEL_STATES = (Competition.Status.DRAFT, Competition.Status.PUBLISHED)


@access.roles(Role.ADMIN)
def round_judging(request, pk):
    round_ = round_for(request, pk)
    competition = round_.competition
    pool = judges.region_judges(competition.region_id)
    panels = round_.panels.prefetch_related(Prefetch("members", queryset=pool)).select_related("lead")
    in_round = Entry.objects.in_round(round_).select_related("unit").order_by("number")
    assignments = round_.assignments.select_related("judge", "entry", "panel", "card").order_by(
        "entry__number", "judge__full_name"
    )
    members = {member.pk: member for panel in panels for member in panel.members.all()}
    detected = judges.recusals(round_, list(in_round), members.values()) if round_.is_scoring else {}
    entries_by_id = {entry.pk: entry for entry in in_round}
    context = {
        **_tabs(competition, "judging", round_),
        "round": round_,
        "panels": panels,
        "detected": [
            (entries_by_id[entry_id], members[judge_id], judges.recusal_text(reasons))
            for (entry_id, judge_id), reasons in sorted(detected.items())
        ],
        "panel_form": PanelForm(judges=pool),
        "assign_form": ManualAssignForm(entries=in_round, judges=pool),
        "assignments": assignments,
        "entry_count": in_round.count(),
        "conflicts": competition.conflicts.select_related("judge", "unit", "entry"),
        "changeable": round_.is_scoring and not round_.has_closed() and competition.status == "published",
        # Panels can be formed while the competition is still a draft, before it is announced.
        "panels_changeable": round_.is_scoring and not round_.has_closed() and competition.status in PANEL_STATES,
    }
    return render(request, "competitions/manage/judging.html", context)


@access.roles(Role.ADMIN)
def panel_edit(request, pk, panel_pk=None):
    round_ = round_for(request, pk)
    competition = round_.competition
    panel = round_.panels.filter(pk=panel_pk).first() if panel_pk else None
    if panel_pk and panel is None:
        raise Http404
    pool = judges.region_judges(competition.region_id)
    initial = {"name": panel.name, "members": panel.members.all(), "lead": panel.lead} if panel else {
        "name": _("Panel %(n)s") % {"n": round_.panels.count() + 1}}  # fmt: skip
    form = PanelForm(request.POST or None, judges=pool, initial=initial)
    done = saved(
        request, form, lambda data: judges.panel_save(round_=round_, actor=request.user, panel=panel, **data),
        _("Panel juri disimpan."), "competitions:round-judging", round_.pk,
    )  # fmt: skip
    context = {**_tabs(competition, "judging", round_), "round": round_, "panel": panel, "form": form}
    return done or render(request, "competitions/manage/panel_form.html", context)


@require_POST
@access.roles(Role.ADMIN)
def assign_auto(request, pk):
    round_ = round_for(request, pk)
    try:
        allocation = judges.assignments_auto(round_=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
    else:
        assigned = sum(len(pairs) for pairs in allocation.assigned.values())
        messages.success(request, _("%(count)s penugasan baru dibuat.") % {"count": assigned})
        if allocation.short:
            messages.warning(
                request,
                _("%(count)s proposal belum mendapat cukup juri karena konflik kepentingan atau kurang juri; "
                  "tambahkan juri ke panel atau tugaskan manual.") % {"count": len(allocation.short)},
            )  # fmt: skip
    return redirect("competitions:round-judging", round_.pk)


@require_POST
@access.roles(Role.ADMIN)
def assign_manual(request, pk):
    round_ = round_for(request, pk)
    competition = round_.competition
    form = ManualAssignForm(
        request.POST, entries=Entry.objects.in_round(round_), judges=judges.region_judges(competition.region_id)
    )
    if not form.is_valid():
        messages.error(request, _("Pilih proposal dan juri."))
    else:
        try:
            judges.assignment_add(round_=round_, entry=form.cleaned_data["entry"], judge=form.cleaned_data["judge"],
                                    actor=request.user)  # fmt: skip
        except ValidationError as error:
            messages.error(request, errors(error))
        else:
            messages.success(request, _("Juri ditugaskan."))
    return redirect("competitions:round-judging", round_.pk)


@require_POST
@access.roles(Role.ADMIN)
def assignment_recuse(request, pk):
    assignment = get_for_user(
        request.user, JudgeAssignment.objects.select_related("round__competition__region"), MANAGE, pk=pk,
        round__competition__region=request.region,
    )  # fmt: skip
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membatalkan penugasan."))
    else:
        try:
            judges.assignment_recuse(assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, errors(error))
        else:
            messages.success(request, _("Penugasan dibatalkan."))
    return redirect("competitions:round-judging", assignment.round_id)


# Standings, advancing, results -----------------------------------------------------------------


@access.roles(Role.ADMIN)
def round_standing(request, pk):
    round_ = round_for(request, pk)
    if not round_.is_scoring or round_.rubric_id is None:
        # Submission and screening rounds have no judges' scores, so no standing (this answered 500).
        messages.info(
            request,
            _("Babak %(title)s tidak dinilai juri dengan rubrik, jadi tidak memiliki peringkat.")
            % {"title": round_.title},
        )
        return redirect("competitions:manage-results", round_.competition_id)
    standing = results.round_standing(round_)
    advancers = results.default_advancers(standing)
    problems = results.advance_problems(round_) if round_.next_scoring_round else []
    form = AdvanceForm(request.POST or None, rows=[r for r in standing.rows if r.entry.status == Entry.Status.ELIGIBLE],
                       initial={"entries": sorted(advancers)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            results.round_advance(round_=round_, actor=request.user, entry_ids=set(form.cleaned_data["entries"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Peserta yang lanjut ditetapkan dan diberi tahu."))
            return redirect("competitions:round-standing", round_.pk)
    context = {
        **_tabs(round_.competition, "results"),
        "round": round_,
        "standing": standing,
        "advancers": advancers,
        "form": form,
        "problems": problems,
        "spread_alert": results.SPREAD_ALERT,
        "spread_charts": charts.spread_charts(round_, standing),
    }
    return render(request, "competitions/manage/standing.html", context)


@access.roles(Role.ADMIN)
def manage_results(request, pk):
    competition = competition_for(request, pk)
    ordered, _standings = results.competition_standing(competition)
    published = competition.status == Competition.Status.RESULTS
    context = {
        **_tabs(competition, "results"),
        "tracks": [(label, ordered.get(track, [])) for track, label in competition.track_choices],
        "problems": [] if published else results.results_problems(competition),
        "published": published,
        "scoring_rounds": competition.scoring_rounds,
        "certificates_form": CertificatesForm(),
        "convert_form": ConvertForm(region=request.region, initial={"unit": competition.organiser}),
        "certificates": competition.certificates.select_related("entry").order_by("kind", "entry__number"),
        "tie_break": TIE_BREAK_ORDER,
        "can_publish": COMPETITION.may(request.user, competition, "publish_results"),
    }
    return render(request, "competitions/manage/results.html", context)


@require_POST
@access.roles(Role.ADMIN)
def certificates_start(request, pk):
    competition = competition_for(request, pk)
    form = CertificatesForm(request.POST)
    form.is_valid()
    try:
        job = documents.certificates_start(
            competition=competition, actor=request.user,
            include_participants=form.cleaned_data.get("include_participants", False),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, errors(error))
        return redirect("competitions:manage-results", competition.pk)
    return redirect("core:job-detail", job.pk)


@require_POST
@access.roles(Role.ADMIN)
def minutes_start(request, pk):
    competition = competition_for(request, pk)
    try:
        job = documents.minutes_start(competition=competition, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
        return redirect("competitions:manage-results", competition.pk)
    return redirect("core:job-detail", job.pk)


@require_POST
@access.roles(Role.ADMIN)
def winners_convert(request, pk):
    competition = competition_for(request, pk)
    form = ConvertForm(request.POST, region=request.region)
    if not form.is_valid():
        messages.error(request, _("Periksa pilihan perangkat daerah dan bentuk inovasi."))
        return redirect("competitions:manage-results", competition.pk)
    data = form.cleaned_data
    try:
        innovations, warnings = documents.winners_convert(
            competition=competition, actor=request.user, unit=data["unit"], form=data["form"]
        )
    except ValidationError as error:
        messages.error(request, errors(error))
    else:
        messages.success(request, _("%(count)s pemenang kini tercatat sebagai data inovasi dengan sertifikatnya.")
                         % {"count": len(innovations)})  # fmt: skip
        for warning in warnings:
            messages.warning(request, warning)
    return redirect("competitions:manage-results", competition.pk)


@access.roles(Role.ADMIN)
def awards_to_index(request, pk):
    """Offer to attach the award certificates to indicator 12 ("Penghargaan bagi inovator") of an
    IGA year: the page lists what would be attached, and nothing is until the admin confirms."""
    competition = competition_for(request, pk)
    assessments = list(Assessment.objects.filter(region=request.region).order_by("-year").values_list("year", "status"))
    years = [year for year, _status in assessments]
    default = next(
        (year for year, status in assessments if status == Assessment.Status.OPEN), years[0] if years else None
    )
    form = IndexEvidenceForm(request.POST or request.GET or None, years=years, initial={"year": default})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else default
    if request.method == "POST":
        if not (form.is_valid() and form.cleaned_data["confirm"]):
            messages.error(request, _("Belum dikonfirmasi: periksa daftar sertifikat, lalu tekan tombol Lampirkan."))
        else:
            try:
                created = documents.awards_attach_to_index(competition=competition, year=year, actor=request.user)
            except ValidationError as error:
                messages.error(request, errors(error))
            else:
                messages.success(request, _("%(count)s sertifikat baru dilampirkan ke indikator 12 IGA %(year)s.")
                                 % {"count": created, "year": year})  # fmt: skip
                return redirect("competitions:manage-results", competition.pk)
    if year is None:
        row, problems = None, [_("Belum ada penilaian IGA; buka penilaiannya dulu di menu Penilaian IGA.")]
    else:
        row, problems = documents.awards_index_check(competition=competition, year=year)
    attached = set(row.evidence_links.values_list("document__sha256", flat=True)) if row else set()
    context = {
        **_tabs(competition, "results"), "form": form, "year": year, "row": row, "problems": problems,
        "certificates": [(certificate, certificate.sha256 in attached)
                         for certificate in documents.award_certificates(competition)],
    }  # fmt: skip
    return render(request, "competitions/manage/index_evidence.html", context, status=400 if form.errors else 200)


@require_POST
@access.roles(Role.ADMIN)
def certificate_revoke(request, pk):
    certificate = get_for_user(
        request.user, Certificate.objects.select_related("competition__region"), MANAGE, pk=pk,
        competition__region=request.region,
    )  # fmt: skip
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pencabutan."))
    else:
        documents.certificate_revoke(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Sertifikat dicabut; halaman verifikasinya kini menyatakan tidak berlaku."))
    return redirect("competitions:manage-results", certificate.competition_id)
