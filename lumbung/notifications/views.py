from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.redirects import redirect_local

from .forms import PreferencesForm
from .models import Notification, Preference
from .services import mark_read, preferences_save
from .whatsapp import delivery_status_record, whatsapp_signature_valid, whatsapp_statuses


@access.authenticated
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page})


@require_POST
@access.authenticated
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect_local(request, notification.url, "notifications:list")


@require_POST
@access.authenticated
def notification_read_all(request):
    mark_read(user=request.user)
    return redirect("notifications:list")


@access.authenticated
def preferences(request):
    """How each kind of notification reaches me: e-mail at once, a daily digest, or the app only."""
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Pilihan notifikasi disimpan."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt
@access.public
def whatsapp_status(request):
    """The provider's webhook: GET answers its subscription check with the configured verify
    token; POST, signed with the app secret, reports delivery statuses of sent messages."""
    if request.method == "GET":
        token = settings.LUMBUNG_WHATSAPP_VERIFY_TOKEN
        if token and request.GET.get("hub.mode") == "subscribe" and request.GET.get("hub.verify_token") == token:
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not whatsapp_signature_valid(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden()
    recorded = sum(
        delivery_status_record(provider_message_id=str(item.get("id", "")), status=str(item.get("status", "")))
        for item in whatsapp_statuses(request.body)
    )
    return JsonResponse({"recorded": recorded})
