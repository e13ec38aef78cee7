"""Skip, previous and the side list on the verifier's desk, followed by htmx: the answer is the desk
alone at the row asked for (its title taking the focus, its place said in the live region, its
address pushed), the same address without htmx or restored from history is the whole page, the
permissions are those of the page, and the desk's queries do not grow with the queue."""

import re

import pytest
from django.urls import reverse

from lumbung.core.roles import Role
from tests.factories import user_with_role

from .factories import claim_with_evidence, enter

pytestmark = pytest.mark.django_db

MOVE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "desk"}  # what a desk link sends


def _desk_url(assessment, query: str = "") -> str:
    url = reverse("assessment:workstation", args=[assessment.pk])
    return f"{url}?{query}" if query else url


def _shown(page: str) -> int:
    """The pk of the row the desk shows (the one its decision form posts)."""
    return int(re.search(r'name="row" value="inovasi-(\d+)"', page).group(1))


def _vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def test_a_desk_link_answers_with_the_desk_alone_at_that_row(client, assessment, waiting, verifier):
    client.force_login(verifier)
    response = client.get(_desk_url(assessment, "pos=1"), **MOVE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and "desk-filters" not in page  # the desk, not the page around it
    assert '<div class="desk" id="desk" hx-history="false">' in page
    assert _shown(page) == waiting[1].pk
    assert "Baris 2 dari 3" in page and "3 baris menunggu" in page
    assert re.search(r'<h2 id="desk-row-title" tabindex="-1" autofocus>', page)  # the focus goes to the row
    # The live region is written in place (out of band), with the row's place for screen readers.
    status = r'<div id="desk-status" hx-swap-oob="innerHTML"><p class="visually-hidden">Baris 2 dari 3\.</p>\s*</div>'
    assert re.search(status, page)
    assert response["HX-Push-Url"] == _desk_url(assessment, "pos=1") and "HX-Replace-Url" not in response
    assert "hx-request" in _vary(response)


def test_the_same_address_without_htmx_is_the_whole_page_at_that_row(client, assessment, waiting, verifier):
    client.force_login(verifier)
    response = client.get(_desk_url(assessment, "pos=1"))
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page and "desk-filters" in page
    assert _shown(page) == waiting[1].pk
    assert 'id="desk-status" class="desk-status" role="status" aria-live="polite"' in page
    assert "autofocus" not in page  # a page load leaves the focus where the browser puts it
    assert "HX-Push-Url" not in response and "hx-request" in _vary(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "desk", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "content"},
        {"HTTP_HX_REQUEST": "true"},
    ],
    ids=["history-restore", "another-target", "no-target"],
)
def test_htmx_asking_for_anything_but_the_desk_gets_the_whole_page(client, assessment, waiting, verifier, headers):
    client.force_login(verifier)
    response = client.get(_desk_url(assessment, "pos=2"), **headers)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page and _shown(page) == waiting[2].pk
    assert "HX-Push-Url" not in response


def test_the_links_are_plain_links_that_htmx_follows_with_the_filter(client, world, assessment, waiting, verifier):
    client.force_login(verifier)
    unit = world.unit.pk
    page = client.get(_desk_url(assessment, f"unit={unit}&pos=1")).content.decode()
    for pos in (0, 1, 2):  # the side list: each row, the filter kept
        link = f"/penilaian/{assessment.pk}/verifikasi/meja/?unit={unit}&amp;pos={pos}"
        assert f'<a href="{link}" hx-get="{link}">' in page
    previous = f"?unit={unit}&amp;pos=0"
    following = f"?unit={unit}&amp;pos=2"
    assert re.search(rf'href="[^"]*{re.escape(previous)}" hx-get="[^"]*{re.escape(previous)}" data-key="p"', page)
    assert re.search(rf'href="[^"]*{re.escape(following)}" hx-get="[^"]*{re.escape(following)}" data-key="n"', page)
    # The side list and the desk's nav say where htmx puts the answer and that the address follows.
    inherited = 'hx-target="#desk" hx-swap="outerHTML show:#desk-status:top" hx-push-url="true"'
    assert page.count(inherited) == 2
    # Following one by htmx pushes the address with the filter, and keeps the filter in the desk.
    response = client.get(_desk_url(assessment, f"unit={unit}&pos=2"), **MOVE)
    assert response["HX-Push-Url"] == _desk_url(assessment, f"unit={unit}&pos=2")
    assert f'<input type="hidden" name="unit" value="{unit}">' in response.content.decode()


def test_the_row_already_shown_replaces_the_address_instead_of_adding_a_back_step(
    client, assessment, waiting, verifier
):
    client.force_login(verifier)
    current = f"http://testserver{_desk_url(assessment, 'pos=1')}"
    response = client.get(_desk_url(assessment, "pos=1"), HTTP_HX_CURRENT_URL=current, **MOVE)
    assert response["HX-Replace-Url"] == _desk_url(assessment, "pos=1") and "HX-Push-Url" not in response
    # The first row's address has no pos: pos=0 from the side list is the same row, the same address.
    current = f"http://testserver{_desk_url(assessment)}"
    response = client.get(_desk_url(assessment, "pos=0"), HTTP_HX_CURRENT_URL=current, **MOVE)
    assert response["HX-Replace-Url"] == _desk_url(assessment) and "HX-Push-Url" not in response


def test_a_link_past_the_end_of_a_shrunk_queue_shows_the_last_row_at_its_own_address(
    client, assessment, waiting, verifier
):
    client.force_login(verifier)
    response = client.get(_desk_url(assessment, "pos=7"), **MOVE)
    page = response.content.decode()
    assert _shown(page) == waiting[2].pk and "Baris 3 dari 3." in page
    assert response["HX-Push-Url"] == _desk_url(assessment, "pos=2")


def test_an_empty_queue_answers_with_the_empty_desk_its_title_focused(client, assessment, verifier):
    client.force_login(verifier)
    response = client.get(_desk_url(assessment, "pos=1"), **MOVE)
    page = response.content.decode()
    assert response.status_code == 200 and "Tidak ada baris yang menunggu" in page
    assert '<h2 tabindex="-1" autofocus>' in page
    assert re.search(r'<div id="desk-status" hx-swap-oob="innerHTML">\s*</div>', page)  # nothing stale left said
    assert response["HX-Push-Url"] == _desk_url(assessment)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_a_verifier_of_another_region_is_refused_as_on_the_page(client, world, assessment, waiting, htmx):
    stranger = user_with_role(Role.VERIFIER, world.other_region)
    client.force_login(stranger)
    response = client.get(_desk_url(assessment, "pos=1"), **(MOVE if htmx else {}))
    assert response.status_code in (403, 404)
    assert str(waiting[1].entry.innovation.name) not in response.content.decode()
    assert "HX-Push-Url" not in response


def test_the_refusals_are_the_same_with_and_without_htmx(client, world, assessment, waiting):
    strangers = [world.user(role) for role in (Role.OPERATOR, Role.LEADER, Role.INNOVATOR)]
    strangers.append(user_with_role(Role.VERIFIER, world.other_region))
    strangers.append(world.other_admin)
    for user in strangers:
        client.force_login(user)
        plain = client.get(_desk_url(assessment, "pos=1")).status_code
        swapped = client.get(_desk_url(assessment, "pos=1"), **MOVE).status_code
        assert plain == swapped and plain in (403, 404), user
    client.logout()
    plain, swapped = client.get(_desk_url(assessment, "pos=1")), client.get(_desk_url(assessment, "pos=1"), **MOVE)
    assert plain.status_code == swapped.status_code == 302 and plain.url == swapped.url  # to the sign-in page


def test_a_desk_link_reads_the_same_number_of_queries_whatever_the_queue(
    client, world, assessment, admin, waiting, verifier, django_assert_max_num_queries
):
    client.force_login(verifier)
    client.get(_desk_url(assessment, "pos=1"), **MOVE)
    with django_assert_max_num_queries(40) as small:
        client.get(_desk_url(assessment, "pos=1"), **MOVE)
    for index in range(30):  # more rows than the side list shows
        entry = enter(assessment, admin, unit=world.sibling_unit, name=f"Inovasi {index}")
        row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code="16")
        claim_with_evidence(row, actor=admin, level=1, title=f"Bukti {index}", year=2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_desk_url(assessment, "pos=1"), **MOVE)
    assert "33 baris menunggu" in response.content.decode()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_desk_url(assessment, "pos=27"), **MOVE)  # a row on the second page of the list
    assert "Baris 28 dari 33" in response.content.decode()


def test_the_desk_alone_reads_no_more_than_the_whole_page(
    client, assessment, waiting, verifier, django_assert_max_num_queries
):
    client.force_login(verifier)
    client.get(_desk_url(assessment, "pos=1"))
    with django_assert_max_num_queries(40) as whole:
        client.get(_desk_url(assessment, "pos=1"))
    with django_assert_max_num_queries(len(whole.captured_queries)):
        client.get(_desk_url(assessment, "pos=1"), **MOVE)
