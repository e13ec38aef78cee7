"""Browser journey: "Tugas saya" shows an operator the tasks of their unit from the planner, the
clinic and a study visit, the late one first; the operator starts one from the list; the admin
narrows the region's tasks to one unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.actions.models import Action
from lumbung.assessment import services as assessment_services
from lumbung.assessment.tests.factories import open_assessment
from lumbung.clinic.tests.factories import ActionItemFactory, CaseFactory
from lumbung.core.roles import Role
from lumbung.replication.tests.factories import FollowUpFactory, StudyVisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_tasks_gather_the_planner_the_clinic_and_a_study_visit(world, live_server, page):
    today = timezone.localdate()
    admin, operator = world.user(Role.ADMIN), world.user(Role.OPERATOR)
    assessment = open_assessment(world.region, admin, year=today.year)
    planner = assessment_services.planned_action_create(
        assessment=assessment, actor=admin, description="Lengkapi SK tim inovasi Diskominfo", gain=Decimal("1.25"),
        unit=world.unit, due_date=today + dt.timedelta(days=5),
    )  # fmt: skip
    Action.objects.filter(pk=planner.pk).update(due_date=today - dt.timedelta(days=2))
    case = CaseFactory(region=world.region, requester=operator, mentor=world.user(Role.MENTOR))
    ActionItemFactory(case=case, owner=operator, description="Kirim SK 2025 ke mentor")
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    FollowUpFactory(visit=visit, unit=world.unit, description="Kaji replikasi Lapor Kades", due_date=today)
    FollowUpFactory(visit=visit, unit=world.sibling_unit, description="Uji coba di Puskesmas")

    sign_in(page, operator.email)
    page.get_by_role("link", name="Tugas saya").first.click()
    page.wait_for_url("**/tugas/")
    rows = page.locator("table.tasks tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Lengkapi SK tim inovasi Diskominfo")
    expect(rows.nth(0)).to_contain_text("lewat tenggat")
    expect(rows.nth(0)).to_contain_text("Perencana IGA")
    expect(page.locator("table.tasks")).to_contain_text(f"Klinik {case.reference}")
    expect(page.locator("table.tasks")).to_contain_text("Studi tiru")
    expect(page.locator("table.tasks")).not_to_contain_text("Uji coba di Puskesmas")

    visit_row = rows.filter(has_text="Kaji replikasi Lapor Kades")
    visit_row.get_by_role("button", name="Mulai kerjakan").click()
    expect(page.locator(".messages")).to_contain_text("Status tugas: Sedang dikerjakan")
    expect(rows.filter(has_text="Kaji replikasi Lapor Kades")).to_contain_text("Sedang dikerjakan")
    assert Action.objects.get(description="Kaji replikasi Lapor Kades").events.get(action="start").actor == operator

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")
    sign_in(page, admin.email)
    page.goto("/tugas/")
    expect(page.locator("table.tasks tbody tr")).to_have_count(4)
    page.get_by_label("Perangkat daerah", exact=True).select_option(label=world.sibling_unit.display_name)
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)
    expect(page.locator("table.tasks")).to_contain_text("Uji coba di Puskesmas")
