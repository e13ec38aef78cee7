import datetime as dt

from lumbung.assessment import evidence, services, sheets
from tests.sweep import SweepCase

from .factories import DocumentFactory, InnovationFactory, framework_2026


def cases(world):
    """Everything points at Lampung Selatan's assessment: nobody of Lampung Barat may reach it."""
    admin = world.other_admin
    assessment = services.assessment_create(
        region=world.other_region, year=2026, framework=framework_2026(), actor=admin
    )
    innovation = InnovationFactory(region=world.other_region, unit=world.other_unit)
    entry = services.entry_add(assessment=assessment, innovation=innovation, actor=admin)
    answer = entry.answers.select_related("indicator").get(indicator__code="16")
    region_answer = assessment.region_answers.first()
    document = DocumentFactory(region=world.other_region, uploaded_by=admin)
    link = evidence.evidence_link(document=document, row=answer, actor=admin)
    action = services.planned_action_create(
        assessment=assessment, actor=admin, description="Lengkapi SK", gain=1, unit=world.other_unit
    )
    sheets.assessment_modules_set(assessment=assessment, actor=admin, presentation=True, field_check=True)
    sheet = sheets.presentation_sheet_create(
        assessment=assessment, actor=admin, kind="official", held_on=dt.date(2026, 9, 25), scorer="Tim Penilai IGA",
        scores=dict.fromkeys(["kebaharuan", "kemanfaatan", "kewenangan_kolaborasi", "replikasi_aplikatif", "penyajian"], 80),
    )  # fmt: skip
    sheets.field_checks_add(assessment=assessment, entries=[entry], actor=admin)
    check = entry.field_check
    row = {"scope": "inovasi", "pk": answer.pk}
    return {
        "assessment:detail": SweepCase.foreign(pk=assessment.pk),
        "assessment:stages": SweepCase.foreign(pk=assessment.pk),
        "assessment:transition": SweepCase.foreign(pk=assessment.pk),
        "assessment:entries": SweepCase.foreign(pk=assessment.pk),
        "assessment:entry-add": SweepCase.foreign(pk=assessment.pk),
        "assessment:region-rows": SweepCase.foreign(pk=assessment.pk),
        "assessment:region-units": SweepCase.foreign(pk=assessment.pk),
        "assessment:matrix": SweepCase.foreign(pk=assessment.pk),
        "assessment:matrix-export": SweepCase.foreign(pk=assessment.pk),
        "assessment:queue": SweepCase.foreign(pk=assessment.pk),
        "assessment:library": SweepCase.foreign(pk=assessment.pk),
        "assessment:bulk-attach": SweepCase.foreign(pk=assessment.pk),
        "assessment:preflight": SweepCase.foreign(pk=assessment.pk),
        "assessment:preflight-export": SweepCase.foreign(pk=assessment.pk),
        "assessment:region-pack": SweepCase.foreign(pk=assessment.pk),
        "assessment:planner": SweepCase.foreign(pk=assessment.pk),
        "assessment:whatif": SweepCase.foreign(pk=assessment.pk),
        "assessment:whatif-entry": SweepCase.foreign(pk=assessment.pk, entry_pk=entry.pk),
        "assessment:action-create": SweepCase.foreign(pk=assessment.pk),
        "assessment:action-new": SweepCase.foreign(pk=assessment.pk),
        "assessment:actions": SweepCase.foreign(pk=assessment.pk),
        "assessment:action-transition": SweepCase.foreign(pk=action.pk),
        "assessment:entry-detail": SweepCase.foreign(pk=entry.pk),
        "assessment:entry-recheck": SweepCase.foreign(pk=entry.pk),
        "assessment:entry-remove": SweepCase.foreign(pk=entry.pk),
        "assessment:entry-pack": SweepCase.foreign(pk=entry.pk),
        "assessment:row-detail": SweepCase.foreign(**row),
        "assessment:row-transition": SweepCase.foreign(**row),
        "assessment:row-upload": SweepCase.foreign(**row),
        "assessment:row-attach": SweepCase.foreign(scope="spd", pk=region_answer.pk),
        "assessment:evidence-detach": SweepCase.foreign(pk=link.pk),
        "assessment:modules": SweepCase.foreign(pk=assessment.pk),
        "assessment:presentation": SweepCase.foreign(pk=assessment.pk),
        "assessment:presentation-sheet": SweepCase.foreign(pk=sheet.pk),
        "assessment:field-checks": SweepCase.foreign(pk=assessment.pk),
        "assessment:field-check": SweepCase.foreign(pk=check.pk),
        "assessment:field-check-photo": SweepCase.foreign(pk=check.pk),
        "assessment:field-check-transition": SweepCase.foreign(pk=check.pk),
        "assessment:document-detail": SweepCase.foreign(pk=document.pk),
        "assessment:document-download": SweepCase.foreign(pk=document.pk),
        "assessment:document-replace": SweepCase.foreign(pk=document.pk),
        "assessment:document-page": SweepCase.foreign(pk=document.pk, number=1),
        "assessment:workstation": SweepCase.foreign(pk=assessment.pk),
        "assessment:workstation-decide": SweepCase.foreign(pk=assessment.pk),
        "assessment:workstation-bulk": SweepCase.foreign(pk=assessment.pk),
        "assessment:row-precheck": SweepCase.foreign(**row),
    }
