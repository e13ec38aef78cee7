"""Decisions on the verifier's desk sent by htmx: the answer is the desk with the next row (the
decided row gone, the counts and the filter kept, the address pushed), a refusal shows its reason
in place and keeps what was typed, the permissions and the events are those of the plain post,
and the plain post (no JavaScript) still redirects as before."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lumbung.assessment import services
from lumbung.assessment.models import AnswerEvent, RowStatus
from lumbung.core.roles import Role

from .factories import claim_with_evidence, enter, open_assessment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def decide(client, assessment):
    def post(user, row, *, htmx=True, current_url="", **data):
        client.force_login(user)
        values = {"row": f"inovasi-{row.pk}", "pos": "0", "note": "", **data}
        url = reverse("assessment:workstation-decide", args=[assessment.pk])
        headers = {**HTMX, **({"HTTP_HX_CURRENT_URL": current_url} if current_url else {})} if htmx else {}
        return client.post(url, values, **headers)

    return post


def _desk_url(assessment, query: str = "") -> str:
    url = reverse("assessment:workstation", args=[assessment.pk])
    return f"{url}?{query}" if query else url


def test_a_decision_answers_with_the_next_row_and_pushes_its_address(
    decide, world, assessment, admin, waiting, verifier
):
    # A row of another unit: the unit filter leaves it out, and it must stay out after the swap.
    other = enter(assessment, admin, unit=world.sibling_unit, name="Posyandu Remaja Pekon")
    other_row = other.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
    claim_with_evidence(other_row, actor=admin, level=1, title="Daftar hadir", year=2026)
    first, second = waiting[0], waiting[1]
    unit = str(world.unit.pk)

    response = decide(verifier, first, action="accept", unit=unit)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and 'id="desk"' in page  # the desk alone, not the page
    assert f'name="row" value="inovasi-{second.pk}"' in page  # the next row, at once
    assert f'value="inovasi-{first.pk}"' not in page and f"?unit={unit}&amp;pos=0" in page
    assert "2 baris menunggu" in page and "Baris 1 dari 2" in page
    assert f'<input type="hidden" name="unit" value="{unit}">' in page  # the filter goes on
    assert "Posyandu Remaja Pekon" not in page
    assert 'id="desk-status" hx-swap-oob="innerHTML"' in page
    assert f"{first.indicator.code} · {first.entry.innovation.name}: Sesuai." in page
    assert response["HX-Push-Url"] == _desk_url(assessment, f"unit={unit}")
    assert "HX-Reswap" not in response
    assert not list(get_messages(response.wsgi_request))  # said in the desk, not kept for a next page
    first.refresh_from_db()
    assert (first.status, first.verified_by) == (RowStatus.ACCEPTED, verifier)
    event = AnswerEvent.objects.get(answer=first, action="accept")
    assert event.actor == verifier and event.created_at is not None


def test_the_pushed_address_shows_the_same_row_on_reload(client, decide, assessment, waiting, verifier):
    response = decide(verifier, waiting[1], action="accept", pos="1")
    assert response["HX-Push-Url"] == _desk_url(assessment, "pos=1")
    page = client.get(response["HX-Push-Url"]).content.decode()
    assert f'name="row" value="inovasi-{waiting[2].pk}"' in page
    assert f'name="row" value="inovasi-{waiting[2].pk}"' in response.content.decode()


def test_an_address_that_did_not_move_is_replaced_not_pushed(decide, assessment, waiting, verifier):
    # The next row takes the decided one's place: pushing the same address would add a Back step.
    response = decide(verifier, waiting[0], action="accept", current_url=f"http://testserver{_desk_url(assessment)}")
    assert response["HX-Replace-Url"] == _desk_url(assessment) and "HX-Push-Url" not in response
    # The last row of the queue decided: the desk moves up a row, and that address is pushed.
    current = f"http://testserver{_desk_url(assessment, 'pos=1')}"
    response = decide(verifier, waiting[2], action="accept", pos="1", current_url=current)
    assert response["HX-Push-Url"] == _desk_url(assessment) and "HX-Replace-Url" not in response
    assert f'name="row" value="inovasi-{waiting[1].pk}"' in response.content.decode()


def test_the_last_decision_shows_the_empty_desk(decide, assessment, rows, operator, verifier):
    claim_with_evidence(rows["16"], actor=operator, level=2, title="SK 16", year=2026)
    response = decide(verifier, rows["16"], action="reject", reason="wrong_year", note="SK bertahun 2021")
    page = response.content.decode()
    assert "Semua baris yang diklaim sudah diputuskan." in page and "0 baris menunggu" in page
    assert "16 · Sistem Antrean Puskesmas Daring: Tidak sesuai." in page
    rows["16"].refresh_from_db()
    assert (rows["16"].status, rows["16"].verdict_reason, rows["16"].verdict_note) == (
        RowStatus.REJECTED, "wrong_year", "SK bertahun 2021",
    )  # fmt: skip
    assert AnswerEvent.objects.filter(answer=rows["16"], action="reject", actor=verifier).count() == 1


def test_a_missing_reason_is_shown_in_place_and_keeps_what_was_typed(decide, assessment, waiting, verifier):
    first = waiting[0]
    response = decide(verifier, first, action="reject", reason="other", note="", unit="")
    assert response.status_code == 200  # swapped like any answer: htmx leaves 4xx unswapped
    page = response.content.decode()
    assert "Jelaskan alasannya pada catatan." in page
    assert "Keputusan belum disimpan: lengkapi isian yang ditandai pada formulir keputusan." in page
    assert f'name="row" value="inovasi-{first.pk}"' in page  # the same row, not the next
    assert '<option value="other" selected>' in page  # the reason chosen is kept
    assert 'name="note" cols="40" rows="2" autofocus' in page  # and the field to fill takes the focus
    assert response["HX-Reswap"] == "outerHTML" and "HX-Push-Url" not in response
    assert response["HX-Replace-Url"] == _desk_url(assessment)

    response = decide(verifier, first, action="reject", reason="", note="Lampiran tidak terbaca")
    page = response.content.decode()
    assert "Pilih alasan ketidaksesuaian." in page
    assert "Lampiran tidak terbaca</textarea>" in page  # the typed note is kept
    first.refresh_from_db()
    assert first.status == RowStatus.CLAIMED
    assert not AnswerEvent.objects.filter(answer=first, action__in=["accept", "reject"]).exists()


def test_a_row_decided_meanwhile_is_refused_and_the_typed_reason_kept_in_the_message(
    decide, assessment, waiting, verifier, admin
):
    first, second = waiting[0], waiting[1]
    services.row_transition(row=first, action="accept", actor=admin)  # someone else was quicker
    response = decide(verifier, first, action="reject", reason="wrong_year", note="Tahun SK 2019")
    assert response.status_code == 200
    page = response.content.decode()
    assert "baru saja diubah orang lain sebelum keputusan Anda tiba" in page
    assert "Statusnya kini: Sesuai." in page
    assert "Yang Anda isi untuk baris itu (tidak tersimpan):" in page and "Tahun SK 2019" in page
    # The next row opens with an empty form: the reason is never carried into another row's form.
    assert f'name="row" value="inovasi-{second.pk}"' in page
    assert "Tahun SK 2019</textarea>" not in page
    assert "HX-Push-Url" not in response and response["HX-Replace-Url"] == _desk_url(assessment)
    first.refresh_from_db()
    assert first.status == RowStatus.ACCEPTED and first.verified_by == admin
    assert not AnswerEvent.objects.filter(answer=first, actor=verifier).exists()


def test_a_row_the_verifier_claimed_is_refused_with_the_reason(decide, assessment, rows, admin):
    claim_with_evidence(rows["16"], actor=admin, level=2, title="SK sendiri", year=2026)
    response = decide(admin, rows["16"], action="accept")
    assert response.status_code == 200
    assert str(services.OWN_WORK) in response.content.decode()
    rows["16"].refresh_from_db()
    assert rows["16"].status == RowStatus.CLAIMED


def test_an_unknown_action_is_refused_in_place(decide, assessment, waiting, verifier):
    response = decide(verifier, waiting[0], action="delete", note="catatan")
    page = response.content.decode()
    assert response.status_code == 200 and "Pilih Sesuai atau Tidak sesuai." in page
    assert "catatan</textarea>" in page
    waiting[0].refresh_from_db()
    assert waiting[0].status == RowStatus.CLAIMED


@pytest.mark.parametrize("htmx", [True, False])
def test_another_regions_row_is_refused_as_without_htmx(decide, world, assessment, waiting, verifier, htmx):
    other_assessment = open_assessment(world.other_region, world.other_admin)
    entry = enter(other_assessment, world.other_admin, unit=world.other_unit, name="Inovasi Lampung Selatan")
    foreign = entry.answers.get(indicator__code="16")
    assert decide(verifier, foreign, htmx=htmx, action="accept").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status != RowStatus.ACCEPTED
    assert not AnswerEvent.objects.filter(answer=foreign, action="accept").exists()


def test_a_non_verifier_is_refused_as_without_htmx(decide, world, waiting):
    for role in (Role.OPERATOR, Role.LEADER, Role.INNOVATOR):
        user = world.user(role)
        plain = decide(user, waiting[0], htmx=False, action="accept").status_code
        swapped = decide(user, waiting[0], action="accept").status_code
        assert plain == swapped and plain in (403, 404)
    waiting[0].refresh_from_db()
    assert waiting[0].status == RowStatus.CLAIMED


def test_the_plain_post_still_redirects_with_a_message(decide, assessment, waiting, verifier):
    response = decide(verifier, waiting[0], htmx=False, action="accept", unit="")
    assert response.status_code == 302 and response.url == _desk_url(assessment) + "#keputusan"
    assert "HX-Push-Url" not in response
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{waiting[0].indicator.code} · {waiting[0].entry.innovation.name}: Sesuai."
    ]
    response = decide(verifier, waiting[1], htmx=False, action="reject", note="x")
    assert response.status_code == 400 and "<html" in response.content.decode()


def test_the_desk_page_posts_with_and_without_htmx(client, assessment, waiting, verifier, world):
    client.force_login(verifier)
    page = client.get(_desk_url(assessment, f"unit={world.unit.pk}")).content.decode()
    decide_url = reverse("assessment:workstation-decide", args=[assessment.pk])
    assert f'method="post" action="{decide_url}"' in page  # what works without JavaScript
    assert f'hx-post="{decide_url}" hx-target="#desk"' in page
    assert 'id="desk-status" class="desk-status" role="status" aria-live="polite"' in page
    assert f"?unit={world.unit.pk}&amp;pos=1" in page  # the side list carries the filter


def test_an_htmx_decision_reads_the_same_number_of_queries_whatever_the_queue(
    decide, world, assessment, admin, waiting, verifier, django_assert_max_num_queries
):
    decide(verifier, waiting[0], action="accept")
    with django_assert_max_num_queries(80) as small:
        decide(verifier, waiting[1], action="accept")
    for index in range(8):
        entry = enter(assessment, admin, unit=world.sibling_unit, name=f"Inovasi {index}")
        row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
        claim_with_evidence(row, actor=admin, level=1, title=f"Bukti {index}", year=2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = decide(verifier, waiting[2], action="accept")
    assert "8 baris menunggu" in response.content.decode()
