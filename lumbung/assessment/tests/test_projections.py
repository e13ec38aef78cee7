"""The three projections on real rows: raising an accepted row keeps the verified index until the
new claim is decided; expected counts pending rows and not rejected ones; the planner keeps
outcome rows out of its actions and says when a raised level needs verification."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lumbung.assessment import planning, scoring, services
from lumbung.assessment.models import RowStatus
from lumbung.frameworks.models import Indicator
from lumbung.frameworks.planner import ActionKind, Projection

from .factories import claim_with_evidence

pytestmark = pytest.mark.django_db


def spd_row(assessment, code):
    return assessment.region_answers.select_related("indicator", "assessment").get(indicator__code=code)


def figures(assessment):
    assessment.refresh_from_db()
    return {name: Decimal(assessment.figures[name]["iid"]) for name in scoring.PROJECTIONS}


def accepted(assessment, code, level, admin, verifier):
    row = spd_row(assessment, code)
    claim_with_evidence(row, actor=admin, level=level, title=f"Eviden {code}", year=2026)
    row.refresh_from_db()
    return services.row_transition(row=row, action="accept", actor=verifier)


def test_raising_an_accepted_row_keeps_the_verified_index(assessment, admin, verifier):
    row = accepted(assessment, "12", 2, admin, verifier)
    before = figures(assessment)
    assert before["verified"] == before["expected"] == before["claimed"] == Decimal("1.60")  # 2 × 2 / 250
    services.answer_set(row=row, level=3, actor=admin)
    row.refresh_from_db()
    assert (row.status, row.level, row.accepted_level) == (RowStatus.CLAIMED, 3, 2)
    raised = figures(assessment)
    assert raised["verified"] == before["verified"], "the accepted level counts until the new claim is decided"
    assert raised["expected"] == raised["claimed"] == Decimal("2.40")
    # The verifier decides: rejected, nothing counts as verified or expected; accepted, the new level.
    services.row_transition(row=row, action="reject", actor=verifier, reason="other", note="Tidak ada insentif")
    assert figures(assessment) == {"claimed": Decimal("2.40"), "expected": Decimal(0), "verified": Decimal(0)}


def test_a_lower_claim_lowers_the_kept_level(assessment, admin, verifier):
    row = accepted(assessment, "12", 3, admin, verifier)
    services.answer_set(row=row, level=1, actor=admin)
    row.refresh_from_db()
    assert row.accepted_level == 1
    assert figures(assessment)["verified"] == Decimal("0.80")


def test_reopening_a_verdict_stops_counting_it(assessment, admin, verifier):
    row = accepted(assessment, "12", 2, admin, verifier)
    services.row_transition(row=row, action="reopen", actor=verifier, note="Salah periksa")
    row.refresh_from_db()
    assert (row.status, row.accepted_level) == (RowStatus.CLAIMED, 0)
    assert figures(assessment)["verified"] == Decimal(0)


def test_expected_counts_pending_rows_and_not_rejected_ones(assessment, admin, verifier):
    claim_with_evidence(spd_row(assessment, "14"), actor=admin, level=3, title="RIPJ", year=2026)  # pending
    rejected = spd_row(assessment, "15")
    claim_with_evidence(rejected, actor=admin, level=3, title="HAKI", year=2026)
    rejected.refresh_from_db()
    services.row_transition(row=rejected, action="reject", actor=verifier, reason="other", note="Bukan HAKI")
    # 14 pending: 3 points; 15 rejected: 3 points claimed only.
    assert figures(assessment) == {"claimed": Decimal("2.40"), "expected": Decimal("1.20"), "verified": Decimal(0)}


def test_the_planner_agrees_with_the_stored_figures(assessment, admin, verifier):
    accepted(assessment, "12", 2, admin, verifier)
    services.answer_set(row=spd_row(assessment, "12"), level=3, actor=admin)
    claim_with_evidence(spd_row(assessment, "14"), actor=admin, level=1, title="RIPJ", year=2026)
    stored = figures(assessment)
    for projection in Projection:
        result, _data = planning.plan_for(assessment, projection)
        assert result.result.iid == stored[str(projection)]


def test_outcome_rows_are_not_actions_and_a_raise_says_it_needs_verification(assessment, admin, verifier):
    framework = assessment.framework
    Indicator.objects.filter(framework=framework, code__in=["4", "6", "7", "9"]).update(is_outcome=True)
    framework.revision = __import__("uuid").uuid4()
    framework.save(update_fields=["revision"])
    accepted(assessment, "12", 2, admin, verifier)
    result, data = planning.plan_for(assessment, Projection.CLAIMED)
    assert not {action.row_code for action in result.actions} & {"4", "6", "7", "9"}
    outcomes = planning.outcome_rows(result, data)
    assert [item["code"] for item in outcomes] == ["4", "6", "7", "9"]
    raise_12 = next(a for a in result.actions if a.row_code == "12" and a.innovation_id is None)
    assert raise_12.kind == ActionKind.RAISE_LEVEL
    assert "perlu diverifikasi ulang" in planning.describe(raise_12, data)


def test_the_planner_page_shows_the_three_projections_and_the_outcome_rows(client, assessment, admin, verifier):

    Indicator.objects.filter(framework=assessment.framework, code="4").update(is_outcome=True)
    assessment.framework.revision = __import__("uuid").uuid4()
    assessment.framework.save(update_fields=["revision"])
    accepted(assessment, "12", 2, admin, verifier)
    services.answer_set(row=spd_row(assessment, "12"), level=3, actor=admin)
    client.force_login(admin)
    url = reverse("assessment:planner", args=[assessment.pk])
    page = client.get(url, {"proyeksi": "expected"}).content.decode()
    assert 'aria-current="page">Diharapkan' in page
    assert "Bergantung pada data daerah" in page and "4. Indikator 4" in page
    # Verified 1.60 (the accepted level 2 of row 12 still counts); expected and claimed 2.40.
    assert page.count("1,60") >= 1 and page.count("2,40") >= 2
    assert 'id="plan-iid">2,40' in page
    assert 'id="plan-iid">1,60' in client.get(url).content.decode()
    assert client.get(url, {"proyeksi": "nonsense"}).status_code == 200
    dashboard = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
    assert "IID diharapkan" in dashboard
