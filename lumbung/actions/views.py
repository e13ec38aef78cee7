"""The task list ("Tugas saya"): what is assigned to me or my unit across the modules; the
region's admin sees every task of the region, by unit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.redirects import redirect_local
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.organisation.models import Unit

from . import services
from .forms import TaskFilterForm
from .models import Action
from .workflows import ACTION

PAGE_SIZE = 25
SUMMARY_UNITS = 12
ROW_RELATIONS = ("unit", "owner", "owner_official", "assessment", "case", "visit__destination", "innovation")


def _unit_summary(queryset, today) -> list:
    """Per unit: tasks still to do and how many are late (one grouped query, the busiest first)."""
    return list(
        queryset.pending()
        .values("unit_id", "unit__name", "unit__short_name")
        .annotate(pending=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "-pending", "unit__name")[:SUMMARY_UNITS]
    )


@access.roles(*REGION_ROLES)
def mine(request):
    user, region, today = request.user, request.region, timezone.localdate()
    is_admin = user.has_role(Role.ADMIN, region)
    everyone = is_admin and request.GET.get("lingkup") != "saya"
    base = Action.objects.filter(region=region) if everyone else Action.objects.assigned_to(user, region)
    units = Unit.objects.filter(region=region, is_active=True).order_by("name") if everyone else None
    form = TaskFilterForm(request.GET or None, units=units)
    tasks = form.filter(base, today).select_related(*ROW_RELATIONS).worklist(today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page.object_list:
        task.transitions = ACTION.available(user, task)
    context = {
        "page_obj": page,
        "form": form,
        "is_admin": is_admin,
        "everyone": everyone,
        "today": today,
        "summary": _unit_summary(base, today) if everyone else [],
    }
    return render(request, "actions/mine.html", context)


@require_POST
@access.roles(*REGION_ROLES)
def transition(request, pk):
    task = get_for_user(
        request.user, Action.objects.filter(region=request.region).select_related(*ROW_RELATIONS), "actions.view_action",
        pk=pk,
    )  # fmt: skip
    try:
        services.action_transition(
            item=task, action=request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", "")
        )
    except (TransitionNotAllowed, PermissionDenied):
        messages.error(request, _("Tindakan itu tidak dapat dilakukan pada status sekarang."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status tugas: %(status)s.") % {"status": task.get_status_display()})
    return redirect_local(request, request.POST.get("next", ""), "actions:mine")
