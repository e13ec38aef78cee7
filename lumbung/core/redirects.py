"""Going back to where the user came from, without becoming an open redirect."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_local(request, target: str, fallback: str, *args) -> HttpResponseRedirect:
    """Redirect to `target` when it is a path of this site, otherwise to the URL named `fallback`.

    Only paths are followed: another host is refused, and a bare word must not reach
    redirect(), which would read it as a view name and fail."""
    target = target or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect(fallback, *args)
