"""Pages for API tokens: a user's own personal tokens, and the region admin's view of every token
of the region, where integration tokens are made. A new token's secret is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.roles import Role

from . import services
from .forms import TokenForm
from .models import ApiToken


def _created(request, token, raw, back: str):
    # Never cached: the secret must not stay in a shared proxy or the browser's cache.
    response = render(request, "api/token_created.html", {"token": token, "raw": raw, "back": back})
    response["Cache-Control"] = "no-store"
    return response


def _create(request, form, *, kind, back):
    try:
        token, raw = services.token_create(
            user=request.user, region=request.region, name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"], expires_at=form.expires_at(), actor=request.user, kind=kind,
        )  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except PermissionDenied:
        form.add_error(None, _("Anda belum memegang peran di pemda ini, jadi belum dapat membuat token."))
        return None
    return _created(request, token, raw, back)


@never_cache
@access.authenticated
def my_tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and request.region is not None:
        created = _create(request, form, kind=ApiToken.Kind.PERSONAL, back="api-tokens:mine")
        if created:
            return created
    elif request.method == "POST" and request.region is None:
        form.add_error(None, _("Anda belum memegang peran di pemda mana pun, jadi belum dapat membuat token."))
    tokens = ApiToken.objects.filter(user=request.user, kind=ApiToken.Kind.PERSONAL).select_related("region")
    context = {"form": form, "tokens": tokens, "region_view": False}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@never_cache
@access.roles(Role.ADMIN)
def region_tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = _create(request, form, kind=ApiToken.Kind.INTEGRATION, back="api-tokens:region")
        if created:
            return created
    tokens = ApiToken.objects.filter(region=request.region).select_related("user", "created_by", "revoked_by")
    context = {"form": form, "tokens": tokens, "region_view": True}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
@access.authenticated
def token_revoke(request, pk):
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or not services.may_revoke(request.user, token):
        raise Http404
    # An admin revokes only within the region being worked in (as everything an admin does).
    if token.user_id != request.user.pk and token.region_id != getattr(request.region, "pk", None):
        raise Http404
    services.token_revoke(token=token, actor=request.user)
    messages.success(
        request, _("Token “%(name)s” dicabut; permintaan dengan token ini ditolak.") % {"name": token.name}
    )
    if token.user_id == request.user.pk and token.kind == ApiToken.Kind.PERSONAL:
        return redirect("api-tokens:mine")
    return redirect("api-tokens:region")
