"""The leaders' briefing PDF: the dashboard's figures, the planner's best steps and the quota
programmes, for the roles that read the dashboard, in a number of queries that does not grow."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lumbung.assessment import services
from lumbung.assessment.models import OfficialResult
from lumbung.core.roles import Role
from lumbung.innovations.tests.factories import ProgrammeFactory
from tests.caches import forget_cached
from tests.factories import user_with_role

from .factories import enter


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def briefed(world, assessment, entry, rows, admin, operator):
    services.answer_set(row=rows["16"], level=2, actor=operator)
    OfficialResult.objects.create(
        region=world.region, year=2021, iid="72.35", rank=1, predicate="Sangat Inovatif", entered_by=admin
    )
    ProgrammeFactory(region=world.region, name="SOSIS 2026", created_by=admin)
    return assessment


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN, Role.VERIFIER])
def test_the_readers_of_the_dashboard_get_the_briefing(client, world, briefed, role):
    client.force_login(world.user(role))
    response = client.get(reverse("assessment:dashboard-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"ringkasan-iga-{world.region.code}-" in response["Content-Disposition"]
    text = _text(response)
    assert "PEMERINTAH KABUPATEN LAMPUNG BARAT" in text
    assert f"Ringkasan Indeks Inovasi Daerah {briefed.year}" in text
    assert "IID terverifikasi" in text and "Langkah yang paling menaikkan IID" in text
    assert "SOSIS 2026 31 Desember 2026 0 / 2" in text and "2021 72,35 1 Sangat Inovatif" in text
    assert "Diskominfo 1 5%" in text  # progress of the unit


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.INNOVATOR, Role.JUDGE, Role.CITIZEN])
def test_nobody_else_gets_it(client, world, briefed, role):
    client.force_login(world.user(role))
    assert client.get(reverse("assessment:dashboard-pdf")).status_code == 403


def test_another_regions_leader_reads_only_their_own(client, world, briefed):
    client.force_login(user_with_role(Role.LEADER, world.other_region))
    text = _text(client.get(reverse("assessment:dashboard-pdf")))
    assert "LAMPUNG SELATAN" in text and "SOSIS 2026" not in text and "Belum ada penilaian IGA" in text


def test_the_queries_do_not_grow_with_innovations(client, world, briefed, admin, django_assert_max_num_queries):
    client.force_login(world.user(Role.LEADER))
    for _ in range(3):
        enter(briefed, admin, unit=world.sibling_unit)
    client.get(reverse("assessment:dashboard-pdf"))
    forget_cached()  # both reads build the document (it is cached per region version, core.caching)
    with django_assert_max_num_queries(80) as few:
        client.get(reverse("assessment:dashboard-pdf"))
    for _ in range(6):
        enter(briefed, admin, unit=world.sibling_unit)
    forget_cached()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assessment:dashboard-pdf"))


def test_the_dashboard_links_to_it(client, world, briefed):
    client.force_login(world.user(Role.LEADER))
    assert reverse("assessment:dashboard-pdf") in client.get(reverse("assessment:dashboard")).content.decode()
