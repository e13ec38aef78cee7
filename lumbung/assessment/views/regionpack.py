"""The region's submission pack: the pre-flight report (the admin and verifiers read it), its
spreadsheet, and the button that has the worker build the ZIP (the admin)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access
from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import xlsx_response

from .. import preflight as checks
from .. import regionpack
from .common import get_assessment

SHOWN = 25


def _issue(request) -> str:
    value = request.GET.get("masalah", "")
    return value if value in {str(issue) for issue in checks.Issue} else ""


@access.roles(Role.ADMIN, Role.VERIFIER)
def preflight(request, pk):
    assessment = get_assessment(request, pk, "assessment.view_preflight")
    check = checks.run(assessment)
    issue = _issue(request)
    problems = check.problem_rows()
    if issue:
        problems = [
            (entry, row) for entry, row in problems if issue in (row.issues if row is not None else entry.issues)
        ]
    page = Paginator(problems, SHOWN).get_page(request.GET.get("page"))
    can_build = request.user.has_perm("assessment.build_region_pack", assessment)
    here = reverse("assessment:preflight", args=[assessment.pk])
    # The packs built for this year (the job's page links back here), newest first.
    jobs = Job.objects.filter(region=assessment.region, kind="region_pack", next_url=here)[:5] if can_build else []
    context = {
        "assessment": assessment,
        "check": check,
        "result": check.result,
        "counts": [(issue_, checks.ISSUE_LABELS[issue_], count) for issue_, count in check.counts().items()],
        "issue": issue,
        "issues": [(str(item), label) for item, label in checks.ISSUE_LABELS.items()],
        "page_obj": page,
        "problems": [_problem(entry, row) for entry, row in page.object_list],
        "can_build": can_build,
        "jobs": jobs,
        "tab": "pack",
    }
    return render(request, "assessment/preflight.html", context)


def _problem(entry, row) -> dict:
    if row is None:
        return {"entry": entry, "row": None, "labels": [checks.ISSUE_LABELS[checks.Issue.NOT_ELIGIBLE]],
                "details": entry.reasons}  # fmt: skip
    return {
        "entry": entry,
        "row": row,
        "labels": [checks.ISSUE_LABELS[issue] for issue in row.issues],
        "details": row.details(),
        "left_out": row.not_packed(),
    }


@access.roles(Role.ADMIN, Role.VERIFIER)
def preflight_export(request, pk):
    assessment = get_assessment(request, pk, "assessment.view_preflight")
    check = checks.run(assessment)
    title = _("Laporan prapengiriman IGA %(year)s — %(region)s") % {
        "year": assessment.year,
        "region": assessment.region.name,
    }
    return xlsx_response(f"prapengiriman-iga-{assessment.year}.xlsx", checks.report_sheets(check), title=title)


@require_POST
@access.roles(Role.ADMIN)
def region_pack(request, pk):
    """Have the worker build the region's pack; the job page shows its progress."""
    assessment = get_assessment(request, pk, "assessment.build_region_pack")
    job = regionpack.region_pack_start(assessment=assessment, actor=request.user)
    return redirect("core:job-detail", job.pk)
