"""Two people editing the same innovation (issue 12: the stale form silently overwrote `problem` and
emptied `goals`). The second save is refused with what is saved now; nothing of it is written."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.core.roles import Role
from lumbung.innovations import services
from lumbung.innovations.models import Innovation
from tests.factories import user_with_role

from .factories import InnovationFactory
from .helpers import profile_data

pytestmark = pytest.mark.django_db
S = Innovation.Status


def _opened_version(client, innovation) -> str:
    form = client.get(reverse("innovations:edit", args=[innovation.pk])).context["form"]
    return str(form["version"].value())


def test_the_second_of_two_saves_from_the_same_version_is_refused_with_what_changed(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=S.DRAFT)
    first, second = Client(), Client()
    first.force_login(world.user(Role.OPERATOR))
    other = user_with_role(Role.OPERATOR, world.region, world.unit)
    second.force_login(other)
    url = reverse("innovations:edit", args=[innovation.pk])
    version_a, version_b = _opened_version(first, innovation), _opened_version(second, innovation)
    assert version_a == version_b == "1"

    saved = first.post(url, profile_data(world.unit, problem="Masalah versi pertama.", goals="Tujuan A.",
                                         version=version_a))  # fmt: skip
    assert saved.status_code == 302
    stale = second.post(url, profile_data(world.unit, problem="Masalah versi kedua.", goals="", version=version_b))
    assert stale.status_code == 400
    html = stale.content.decode()
    assert "sudah diubah oleh" in html and "belum disimpan" in html
    assert "Masalah versi pertama." in html  # what is saved now, shown to the second person
    assert "Tujuan A." in html

    innovation.refresh_from_db()
    assert innovation.problem == "Masalah versi pertama." and innovation.goals == "Tujuan A."
    assert innovation.version == 2
    # The re-shown form keeps what was typed and now carries the current version: saving again is a
    # deliberate choice, and it works.
    form = stale.context["form"]
    assert form["problem"].value() == "Masalah versi kedua."
    assert form["version"].value() == "2"
    again = second.post(url, profile_data(world.unit, problem="Masalah versi kedua.", goals="Tujuan B.", version="2"))
    assert again.status_code == 302
    innovation.refresh_from_db()
    assert (innovation.problem, innovation.version) == ("Masalah versi kedua.", 3)


def test_a_stale_save_changes_nothing_else_either(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=S.DRAFT)
    Innovation.objects.filter(pk=innovation.pk).update(version=5)
    actor = world.user(Role.OPERATOR)
    before = Innovation.objects.get(pk=innovation.pk)
    with pytest.raises(services.StaleEditError) as caught:
        services.innovation_update(
            innovation=innovation, actor=actor, data={"name": "Nama Baru"}, related_affairs=[], version=4
        )
    assert caught.value.version == 5
    after = Innovation.objects.get(pk=innovation.pk)
    assert (after.name, after.version, after.updated_at) == (before.name, 5, before.updated_at)
    assert after.related_affairs.count() == before.related_affairs.count()


def test_a_save_without_a_version_still_works_for_callers_that_send_none(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=S.DRAFT)
    services.innovation_update(innovation=innovation, actor=world.user(Role.OPERATOR), data={"name": "Nama Lain"})
    assert Innovation.objects.get(pk=innovation.pk).name == "Nama Lain"
