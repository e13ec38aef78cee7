from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.redirects import redirect_local

from .models import Notification
from .services import mark_read


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
