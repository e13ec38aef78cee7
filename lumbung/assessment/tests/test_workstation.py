"""The verifier's workstation: a row with its evidence and rule, the decision and the next row at
once, the filters, the bulk acceptance of rows whose evidence passed the pre-check (one event
per row), the page pictures, and the pre-check shown to the operator on the row page."""

import datetime as dt
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from lumbung.assessment.models import Answer, AnswerEvent, Document, RowStatus
from lumbung.core.roles import Role

from .factories import claim_with_evidence, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


PASSED = {"pages": 1, "findings": [], "facts": {"year": 2026, "number": "188.45/1/II.05/2026"}}


def _desk(assessment, **query):
    url = reverse("assessment:workstation", args=[assessment.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _claimed(rows, operator, codes, year=2026):
    documents = {}
    for code in codes:
        documents[code] = claim_with_evidence(rows[code], actor=operator, level=2, title=f"SK {code}", year=year)
    return documents


def _order(assessment):
    """The queue's innovation rows in the order the desk shows them."""
    return list(
        Answer.objects.filter(scoring_assessment=assessment, status__in=["claimed", "resubmitted"])
        .order_by("updated_at", "pk")
        .values_list("indicator__code", flat=True)
    )


def test_the_desk_shows_the_row_its_rule_evidence_and_decision(as_user, assessment, rows, operator, verifier):
    _claimed(rows, operator, ["16", "17"])
    response = as_user(verifier).get(_desk(assessment))
    assert response.status_code == 200
    page = response.content.decode()
    first = rows[_order(assessment)[0]]
    assert first.indicator.name in page
    assert first.indicator.level_2 in page  # the level claimed among the rule's levels
    assert reverse("assessment:document-page", args=[first.evidence_links.get().document_id, 1]) in page
    assert 'data-key="s"' in page and 'data-key="t"' in page  # the shortcuts' buttons
    assert "Pintasan papan ketik" in page
    assert "2 baris menunggu" in page


def test_a_decision_opens_the_next_row_of_the_filter(as_user, assessment, rows, operator, verifier):
    _claimed(rows, operator, ["16", "17", "18"])
    client = as_user(verifier)
    order = _order(assessment)
    first = rows[order[0]]
    response = client.post(
        reverse("assessment:workstation-decide", args=[assessment.pk]),
        {"row": f"inovasi-{first.pk}", "pos": "0", "action": "accept", "note": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == RowStatus.ACCEPTED
    assert AnswerEvent.objects.filter(answer=first, action="accept", actor=verifier).count() == 1
    page = client.get(response.url).content.decode()
    assert f'name="row" value="inovasi-{rows[order[1]].pk}"' in page  # the next row, at once
    assert "2 baris menunggu" in page


def test_a_rejection_needs_a_reason_and_keeps_the_row(as_user, assessment, rows, operator, verifier):
    _claimed(rows, operator, ["16"])
    row = rows["16"]
    url = reverse("assessment:workstation-decide", args=[assessment.pk])
    response = as_user(verifier).post(url, {"row": f"inovasi-{row.pk}", "pos": "0", "action": "reject", "note": "x"})
    assert response.status_code == 400
    assert "Pilih alasan ketidaksesuaian." in response.content.decode()
    row.refresh_from_db()
    assert row.status == RowStatus.CLAIMED
    response = as_user(verifier).post(
        url, {"row": f"inovasi-{row.pk}", "pos": "0", "action": "reject", "reason": "wrong_year", "note": "SK 2021"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.verdict_reason, row.verdict_note) == (RowStatus.REJECTED, "wrong_year", "SK 2021")


def test_the_author_of_a_claim_cannot_decide_it_here(as_user, assessment, rows, admin):
    _claimed(rows, admin, ["16"])
    page = as_user(admin).get(_desk(assessment)).content.decode()
    assert "harus diberikan verifikator lain" in page
    assert 'id="desk-verdict"' not in page


def test_filters_by_indicator_innovation_unit_and_age(as_user, world, assessment, admin, rows, operator, verifier):
    _claimed(rows, operator, ["16", "17"])
    other = enter(assessment, admin, unit=world.sibling_unit, name="Posyandu Remaja Pekon")
    other_row = other.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
    claim_with_evidence(other_row, actor=admin, level=1, title="Daftar hadir posyandu", year=2026)
    client = as_user(verifier)
    indicator = rows["16"].indicator
    page = client.get(_desk(assessment, indikator=indicator.pk)).content.decode()
    assert "2 baris menunggu" in page
    page = client.get(_desk(assessment, inovasi="posyandu")).content.decode()
    assert "1 baris menunggu" in page and "Posyandu Remaja Pekon" in page
    page = client.get(_desk(assessment, unit=world.sibling_unit.pk)).content.decode()
    assert "1 baris menunggu" in page
    Answer.objects.filter(pk=rows["17"].pk).update(updated_at=timezone.now() - dt.timedelta(days=10))
    page = client.get(_desk(assessment, umur=7)).content.decode()
    assert "1 baris menunggu" in page and f'value="inovasi-{rows["17"].pk}"' in page
    page = client.get(_desk(assessment, inovasi="tidak ada")).content.decode()
    assert "Tidak ada baris menunggu verifikasi dengan saringan ini." in page


def test_the_desk_reads_a_page_of_rows_whatever_the_queue(
    as_user, world, assessment, admin, rows, operator, verifier, django_assert_max_num_queries
):
    _claimed(rows, operator, ["16", "17"])
    client = as_user(verifier)
    client.get(_desk(assessment))
    with django_assert_max_num_queries(40) as small:
        client.get(_desk(assessment))
    for index in range(6):
        entry = enter(assessment, admin, unit=world.sibling_unit, name=f"Inovasi {index}")
        row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
        claim_with_evidence(row, actor=admin, level=1, title=f"Bukti {index}", year=2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_desk(assessment))


def test_bulk_accept_takes_only_rows_whose_evidence_passed(as_user, assessment, rows, operator, verifier):
    documents = _claimed(rows, operator, ["16", "17", "18", "19"])
    Document.objects.filter(pk__in=[documents[code].pk for code in ("16", "17")]).update(
        precheck_status="passed", precheck=PASSED
    )
    wrong_year = {**PASSED, "facts": {"year": 2019}}  # passed on its own, outside the row's T-0..T-2
    Document.objects.filter(pk=documents["18"].pk).update(precheck_status="passed", precheck=wrong_year)
    Document.objects.filter(pk=documents["19"].pk).update(
        precheck_status="warnings", precheck={"findings": [{"code": "no_number", "level": "warning", "params": {}}]}
    )
    client = as_user(verifier)
    url = reverse("assessment:workstation-bulk", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert f'value="inovasi-{rows["16"].pk}"' in page and f'value="inovasi-{rows["17"].pk}"' in page
    assert f'value="inovasi-{rows["18"].pk}"' not in page and f'value="inovasi-{rows["19"].pk}"' not in page
    # A row that was not offered cannot be slipped into the post.
    response = client.post(url, {"rows": [f"inovasi-{rows['16'].pk}", f"inovasi-{rows['17'].pk}",
                                          f"inovasi-{rows['19'].pk}"]})  # fmt: skip
    assert response.status_code == 302
    statuses = dict(
        Answer.objects.filter(pk__in=[r.pk for r in rows.values()]).values_list("indicator__code", "status")
    )
    assert (statuses["16"], statuses["17"]) == (RowStatus.ACCEPTED, RowStatus.ACCEPTED)
    assert (statuses["18"], statuses["19"]) == (RowStatus.CLAIMED, RowStatus.CLAIMED)
    events = AnswerEvent.objects.filter(action="accept", actor=verifier)
    assert events.count() == 2  # one event per row
    assert all("pra-periksa" in event.note for event in events)


def test_bulk_accept_leaves_out_rows_the_reviewer_changed(as_user, assessment, rows, admin):
    document = claim_with_evidence(rows["16"], actor=admin, level=2, title="SK sendiri", year=2026)
    Document.objects.filter(pk=document.pk).update(precheck_status="passed", precheck=PASSED)
    page = as_user(admin).get(reverse("assessment:workstation-bulk", args=[assessment.pk])).content.decode()
    assert f'value="inovasi-{rows["16"].pk}"' not in page


def test_operators_and_leaders_do_not_reach_the_desk(as_user, world, assessment):
    for role in (Role.OPERATOR, Role.LEADER, Role.INNOVATOR):
        assert as_user(world.user(role)).get(_desk(assessment)).status_code in (403, 404)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_a_pdf_page_is_shown_as_a_picture_made_by_the_server(as_user, assessment, rows, operator, verifier):
    document = _claimed(rows, operator, ["16"])["16"]
    response = as_user(verifier).get(reverse("assessment:document-page", args=[document.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response).startswith(b"\x89PNG")
    assert as_user(verifier).get(reverse("assessment:document-page", args=[document.pk, 9])).status_code == 404


def test_the_operator_sees_the_findings_on_the_row_page(as_user, assessment, rows, operator):
    document = _claimed(rows, operator, ["16"])["16"]
    finding = {"code": "year_mismatch", "level": "warning", "params": {"found": 2021, "typed": 2026, "source": "date"}}
    Document.objects.filter(pk=document.pk).update(
        precheck_status="warnings", precheck={"findings": [finding], "facts": {"year": 2021}}
    )
    page = as_user(operator).get(reverse("assessment:row-detail", args=["inovasi", rows["16"].pk])).content.decode()
    assert "Pra-periksa otomatis menemukan" in page
    assert "Isi dokumen menyebut tahun 2021, tetapi tahun yang diisi 2026." in page
    assert "Dokumen bertahun 2021; ketentuan baris ini meminta tahun 2024, 2025, 2026." in page


def test_a_running_check_is_polled_until_it_ends(as_user, assessment, rows, operator):
    document = _claimed(rows, operator, ["16"])["16"]
    assert Document.objects.get(pk=document.pk).precheck_status == "pending"  # queued after commit
    url = reverse("assessment:row-precheck", args=["inovasi", rows["16"].pk])
    assert f'hx-get="{url}"' in as_user(operator).get(url).content.decode()
    Document.objects.filter(pk=document.pk).update(precheck_status="passed", precheck=PASSED)
    page = as_user(operator).get(url).content.decode()
    assert "hx-get" not in page and "Lolos pra-periksa otomatis." in page
