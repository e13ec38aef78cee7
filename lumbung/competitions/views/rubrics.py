"""The region's rubric library: ready-made templates, the admin's own rubrics, and criteria."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user, require_perm
from lumbung.core.roles import Role

from .. import services
from ..forms import CriterionForm, RubricForm
from ..models import Criterion, Rubric
from ..rubrics import PRESETS
from .common import errors, saved


def rubric_for(request, pk) -> Rubric:
    return get_for_user(request.user, Rubric.objects.all(), "competitions.manage_rubric", pk=pk, region=request.region)


def _criterion_data(cleaned: dict) -> dict:
    return {**{name: cleaned[name] for name in CriterionForm.Meta.fields}, "levels": cleaned["levels_text"]}


@access.roles(Role.ADMIN)
def rubric_list(request):
    rubrics = Rubric.objects.filter(region=request.region).annotate(criteria_count=Count("criteria", distinct=True))
    return render(request, "competitions/manage/rubric_list.html", {"rubrics": rubrics, "presets": PRESETS.values()})


@access.roles(Role.ADMIN)
def rubric_create(request):
    form = RubricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rubric = services.rubric_save(region=request.region, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Rubrik dibuat. Tambahkan kriterianya."))
        return redirect("competitions:rubric-detail", rubric.pk)
    return render(request, "competitions/manage/rubric_form.html", {"form": form})


@require_POST
@access.roles(Role.ADMIN)
def rubric_preset(request, code):
    try:
        rubric = services.rubric_from_preset(region=request.region, actor=request.user, code=code)
    except ValidationError as error:
        messages.error(request, errors(error))
        return redirect("competitions:rubric-list")
    messages.success(request, _("Rubrik “%(name)s” disalin ke pustaka Anda.") % {"name": rubric.name})
    return redirect("competitions:rubric-detail", rubric.pk)


@access.roles(Role.ADMIN)
def rubric_detail(request, pk):
    rubric = rubric_for(request, pk)
    locked = rubric.is_locked
    form = CriterionForm(request.POST or None, initial={"order": rubric.criteria.count() + 1})
    done = saved(
        request, form, lambda data: services.criterion_save(rubric=rubric, actor=request.user, data=_criterion_data(data)),
        _("Kriteria ditambahkan."), "competitions:rubric-detail", rubric.pk,
    )  # fmt: skip
    if done:
        return done
    criteria = list(rubric.criteria.all())
    total = sum(c.weight for c in criteria)
    context = {
        "rubric": rubric,
        "criteria": [(c, c.weight * 100 / total if total else 0) for c in criteria],
        "total": total,
        "form": form,
        "locked": locked,
        "rounds": rubric.rounds.select_related("competition"),
    }
    return render(request, "competitions/manage/rubric_detail.html", context)


@access.roles(Role.ADMIN)
def rubric_edit(request, pk):
    rubric = rubric_for(request, pk)
    form = RubricForm(request.POST or None, instance=rubric)
    done = saved(
        request, form,
        lambda data: services.rubric_save(region=request.region, actor=request.user, data=data, rubric=rubric),
        _("Rubrik disimpan."), "competitions:rubric-detail", rubric.pk,
    )  # fmt: skip
    return done or render(request, "competitions/manage/rubric_form.html", {"form": form, "rubric": rubric})


@require_POST
@access.roles(Role.ADMIN)
def rubric_copy(request, pk):
    rubric = rubric_for(request, pk)
    copy = services.rubric_copy(rubric=rubric, actor=request.user)
    messages.success(request, _("Salinan rubrik dibuat; silakan ubah."))
    return redirect("competitions:rubric-detail", copy.pk)


def _criterion_for(request, pk) -> Criterion:
    criterion = get_for_user(
        request.user, Criterion.objects.select_related("rubric"), "competitions.manage_rubric", pk=pk,
        rubric__region=request.region,
    )  # fmt: skip
    return criterion


@access.roles(Role.ADMIN)
def criterion_edit(request, pk):
    criterion = _criterion_for(request, pk)
    rubric = criterion.rubric
    require_perm(request.user, "competitions.change_rubric", rubric)
    form = CriterionForm(request.POST or None, instance=criterion)
    done = saved(
        request, form,
        lambda data: services.criterion_save(rubric=rubric, actor=request.user, data=_criterion_data(data),
                                             criterion=criterion),
        _("Kriteria disimpan."), "competitions:rubric-detail", rubric.pk,
    )  # fmt: skip
    return done or render(request, "competitions/manage/criterion_form.html", {"form": form, "rubric": rubric})


@require_POST
@access.roles(Role.ADMIN)
def criterion_delete(request, pk):
    criterion = _criterion_for(request, pk)
    try:
        services.criterion_delete(criterion=criterion, actor=request.user)
    except ValidationError as error:
        messages.error(request, errors(error))
    return redirect("competitions:rubric-detail", criterion.rubric_id)
