"""Entering a competition: start a proposal, write it (saved as you type), attach files,
send it and get a receipt, follow its progress, download the certificate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user, require_perm
from lumbung.core.files import private_file_response

from .. import services
from ..eligibility import tracks_open_to
from ..forms import AttachmentForm, EntryForm, EntryStartForm, NoteForm
from ..models import Certificate, Competition, Entry, EntryAttachment
from ..results import entry_feedback
from ..workflows import ENTRY
from .common import errors
from .public import PUBLIC

ENTRIES = Entry.objects.select_related("competition__region", "unit", "affair", "entrant", "innovation")
EVENT_LABELS = {
    "create": gettext_lazy("Draf dibuat"),
    "edit": gettext_lazy("Proposal diubah"),
    "convert": gettext_lazy("Dijadikan data inovasi"),
}


def entry_for(request, pk, perm: str = "competitions.view_entry") -> Entry:
    return get_for_user(request.user, ENTRIES, perm, pk=pk)


@access.authenticated
def my_entries(request):
    entries = (
        Entry.objects.of_entrant(request.user)
        .select_related("competition", "result")
        .prefetch_related("certificates")
        .order_by("-created_at")
    )
    open_calls = [
        c for c in PUBLIC.filter(status=Competition.Status.PUBLISHED) if tracks_open_to(request.user, c)
        and request.user.has_perm("competitions.enter_competition", c)
    ]  # fmt: skip
    return render(request, "competitions/entrant/mine.html", {"entries": entries, "open_calls": open_calls})


@access.authenticated
def entry_start(request, pk):
    competition = get_for_user(request.user, PUBLIC, "competitions.enter_competition", pk=pk)
    tracks = tracks_open_to(request.user, competition)
    if not tracks:  # a national admin passes the permission check without being an entrant
        raise Http404
    units = services.entry_units(request.user, competition)
    chosen_track = request.POST.get("track") or (tracks[0] if len(tracks) == 1 else "")
    innovations = services.innovation_choices(request.user, competition, chosen_track or tracks[0])
    form = EntryStartForm(request.POST or None, tracks=tracks, units=units, innovations=innovations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_start(
                competition=competition, actor=request.user, track=data["track"], title=data["title"],
                unit=data.get("unit"), innovation=data.get("innovation"),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draf proposal dibuat. Isian Anda tersimpan otomatis selama menulis."))
            return redirect("competitions:entry-edit", entry.pk)
    return render(request, "competitions/entrant/start.html", {"competition": competition, "form": form})


@access.authenticated
def entry_detail(request, pk):
    entry = entry_for(request, pk, "competitions.follow_entry")
    user = request.user
    context = {
        "entry": entry,
        "competition": entry.competition,
        "sections": [(section, entry.answer(section)) for section in entry.competition.sections.all()],
        "attachments": entry.attachments.all(),
        "can_edit": user.has_perm("competitions.change_entry", entry),
        "transitions": [t for t in ENTRY.available(user, entry) if t.action == "withdraw"],
        "events": ENTRY.describe(entry.events.select_related("actor"), EVENT_LABELS),
        "show_scores": user.has_perm("competitions.view_entry_scores", entry),
        "certificates": entry.certificates.filter(revoked_at__isnull=True).exclude(file=""),
    }
    if context["show_scores"] and entry.competition.status == Competition.Status.RESULTS:
        context["result"] = getattr(entry, "result", None)
        context["feedback"] = entry_feedback(entry)
    return render(request, "competitions/entrant/detail.html", context)


def _entry_form(entry: Entry, data=None) -> EntryForm:
    return EntryForm(data, instance=entry, sections=entry.competition.sections.all())


def _edit_page(request, entry: Entry, form: EntryForm, attachment_form: AttachmentForm, status: int = 200):
    problems = services.entry_problems(entry) if entry.status == Entry.Status.DRAFT and not form.is_bound else []
    context = {
        "entry": entry,
        "competition": entry.competition,
        "form": form,
        "attachment_form": attachment_form,
        "attachments": entry.attachments.all(),
        "problems": problems,
        "deadline": entry.competition.submission_round.closes_at,
    }
    return render(request, "competitions/entrant/edit.html", context, status=status)


@access.authenticated
def entry_edit(request, pk):
    entry = entry_for(request, pk, "competitions.change_entry")
    form = _entry_form(entry, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(entry=entry, actor=request.user, data=form.profile_data(), answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.POST.get("next") == "submit":
                return _submit(request, entry)
            messages.success(request, _("Proposal disimpan."))
            return redirect("competitions:entry-edit", entry.pk)
    return _edit_page(request, entry, form, AttachmentForm(upload_owner=request.user))


def _submit(request, entry: Entry):
    try:
        services.entry_submit(entry=entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Proposal belum dapat dikirim: %(problems)s") % {"problems": errors(error)})
        return redirect("competitions:entry-edit", entry.pk)
    messages.success(request, _("Proposal terkirim. Tanda terima juga dikirim ke surel Anda."))
    return redirect("competitions:entry-receipt", entry.pk)


@require_POST
@access.authenticated
def entry_autosave(request, pk):
    """Called by htmx as the entrant types; answers with a short status line."""
    entry = entry_for(request, pk, "competitions.change_entry")
    form = _entry_form(entry, request.POST)
    saved_at = None
    if entry.status == Entry.Status.DRAFT and form.is_valid():
        services.entry_autosave(entry=entry, actor=request.user, data=form.profile_data(), answers=form.answers())
        saved_at = timezone.localtime()
    return render(request, "competitions/entrant/_autosave.html", {"saved_at": saved_at, "form": form})


@require_POST
@access.authenticated
def entry_submit(request, pk):
    entry = entry_for(request, pk)
    require_perm(request.user, "competitions.submit_entry", entry)
    return _submit(request, entry)


@require_POST
@access.authenticated
def entry_withdraw(request, pk):
    entry = entry_for(request, pk)
    require_perm(request.user, "competitions.withdraw_entry", entry)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.entry_withdraw(entry=entry, actor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, errors(error))
    else:
        messages.success(request, _("Proposal ditarik dari lomba."))
    return redirect("competitions:entry-detail", entry.pk)


@require_POST
@access.authenticated
def attachment_add(request, pk):
    entry = entry_for(request, pk, "competitions.change_entry")
    form = AttachmentForm(request.POST, request.FILES, upload_owner=request.user)
    if form.is_valid():
        try:
            services.attachment_add(entry=entry, actor=request.user, uploaded=form.cleaned_data["file"],
                                    title=form.cleaned_data["title"])  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Lampiran ditambahkan."))
            return redirect("competitions:entry-edit", entry.pk)
    return _edit_page(request, entry, _entry_form(entry), form, status=400)


ATTACHMENTS = EntryAttachment.objects.select_related("entry__competition", "entry__unit")


@access.authenticated
def attachment_download(request, pk):
    attachment = ATTACHMENTS.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    require_perm(request.user, "competitions.view_entry", attachment.entry)
    entry = attachment.entry
    blind = entry.competition.blind and not request.user.has_perm("competitions.follow_entry", entry)
    name = f"lampiran-{attachment.pk}{attachment.file.name[attachment.file.name.rfind('.') :]}" if blind else None
    return private_file_response(attachment.file, name or attachment.original_name)


@require_POST
@access.authenticated
def attachment_delete(request, pk):
    attachment = ATTACHMENTS.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    entry = attachment.entry
    require_perm(request.user, "competitions.change_entry", entry)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
    else:
        messages.success(request, _("Lampiran dihapus."))
    return redirect("competitions:entry-edit", entry.pk)


@access.authenticated
def entry_receipt(request, pk):
    entry = entry_for(request, pk, "competitions.follow_entry")
    if not entry.receipt_code:
        raise Http404
    sections = [(section, entry.answer_words(section)) for section in entry.competition.sections.all()]
    context = {"entry": entry, "competition": entry.competition, "sections": sections,
               "attachments": entry.attachments.all()}  # fmt: skip
    return render(request, "competitions/entrant/receipt.html", context)


@access.authenticated
def certificate_download(request, pk):
    certificate = get_for_user(
        request.user, Certificate.objects.select_related("competition", "entry__unit"),
        "competitions.download_certificate", pk=pk, revoked_at__isnull=True,
    )  # fmt: skip
    if not certificate.file:
        raise Http404
    return private_file_response(certificate.file, certificate.download_name)
