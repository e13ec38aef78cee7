"""The innovation's history beyond the review steps: team, attachment and stage changes each write
a row (who, when, what) that the record's page shows."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lumbung.innovations import services
from lumbung.innovations.models import Attachment, Innovation, InnovationEvent, TeamMember

from .factories import InnovationFactory
from .helpers import pdf_file, profile_data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(world, reference_data):
    return InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("operator"))


def _history_text(client, innovation) -> str:
    page = client.get(reverse("innovations:detail", args=[innovation.pk])).content.decode()
    return page[page.index('id="history-title"') :]


@pytest.mark.django_db
def test_team_changes_are_recorded_with_the_role_and_shown(world, draft):
    operator = client_for(world.user("operator"))
    operator.post(
        reverse("innovations:team-add", args=[draft.pk]), {"official": world.sibling_official.pk, "role": "initiator"}
    )
    operator.post(
        reverse("innovations:team-add", args=[draft.pk]), {"name": "Pak Sapri (petani kopi)", "role": "member"}
    )
    citizen = TeamMember.objects.get(innovation=draft, name="Pak Sapri (petani kopi)")
    operator.post(reverse("innovations:team-remove", args=[citizen.pk]))

    rows = list(draft.events.values_list("action", "actor", "from_state", "to_state", "data"))
    assert rows == [
        ("team_add", world.user("operator").pk, "draft", "draft",
         {"name": world.sibling_official.name, "role": "initiator", "official_id": world.sibling_official.pk}),
        ("team_add", world.user("operator").pk, "draft", "draft",
         {"name": "Pak Sapri (petani kopi)", "role": "member", "official_id": None}),
        ("team_remove", world.user("operator").pk, "draft", "draft",
         {"name": "Pak Sapri (petani kopi)", "role": "member", "official_id": None}),
    ]  # fmt: skip
    shown = _history_text(operator, draft)
    assert f"Anggota tim ditambahkan: {world.sibling_official.name} (Inisiator)" in shown
    assert "Anggota tim dihapus: Pak Sapri (petani kopi) (Anggota)" in shown


@pytest.mark.django_db
def test_attachment_changes_are_recorded_and_shown(world, draft):
    operator = client_for(world.user("operator"))
    operator.post(
        reverse("innovations:attachment-add", args=[draft.pk]),
        {"kind": "budget", "title": "RKA 2026", "file": pdf_file()},
    )
    attachment = Attachment.objects.get()
    operator.post(reverse("innovations:attachment-delete", args=[attachment.pk]))
    added, deleted = draft.events.order_by("id")
    assert (added.action, deleted.action) == ("attachment_add", "attachment_delete")
    assert added.data == deleted.data == {
        "title": "RKA 2026", "kind": "budget", "original_name": "anggaran.pdf", "sha256": attachment.sha256,
    }  # fmt: skip
    assert deleted.actor == world.user("operator")
    shown = _history_text(operator, draft)
    assert "Lampiran ditambahkan: RKA 2026 (Anggaran)" in shown and "Lampiran dihapus: RKA 2026 (Anggaran)" in shown


@pytest.mark.django_db
def test_a_refused_change_writes_no_row(world, draft):
    member = TeamMember.objects.create(innovation=draft, name="Warga", role=TeamMember.Role.MEMBER)
    Innovation.objects.filter(pk=draft.pk).update(status=Innovation.Status.SUBMITTED)
    member.innovation.refresh_from_db()
    with pytest.raises(ValidationError, match="Tim hanya dapat diubah"):
        services.team_member_remove(member=member, actor=world.user("admin"))
    with pytest.raises(ValidationError, match="Tim hanya dapat diubah"):
        services.team_member_add(innovation=member.innovation, actor=world.user("admin"), role="member", name="Lain")
    assert TeamMember.objects.filter(pk=member.pk).exists() and not InnovationEvent.objects.exists()


@pytest.mark.django_db
def test_a_stage_change_is_recorded_with_the_old_and_new_stage(world, reference_data):
    operator = client_for(world.user("operator"))
    operator.post(reverse("innovations:create"), profile_data(world.unit, stage="trial", implementation_date=""))
    innovation = Innovation.objects.get()
    # Saving without touching the stage writes nothing.
    operator.post(
        reverse("innovations:edit", args=[innovation.pk]),
        profile_data(world.unit, stage="trial", implementation_date="", goals="Harga kopi terbuka."),
    )
    assert not innovation.events.filter(action="stage").exists()
    operator.post(reverse("innovations:edit", args=[innovation.pk]), profile_data(world.unit))
    change = innovation.events.get(action="stage")
    assert (change.from_state, change.to_state, change.actor) == ("trial", "implementation", world.user("operator"))
    shown = _history_text(operator, innovation)
    assert "Tahapan diubah" in shown and "Uji coba → Penerapan" in shown


@pytest.mark.django_db
def test_registering_with_an_owner_and_a_file_records_each_step(world, reference_data):
    """An innovator on the roster joins the team as owner; the attachment comes in with the form."""
    innovator = world.user("innovator")
    data = profile_data(world.unit, attachment_kind="budget", attachment_title="RKA", attachment_file=pdf_file())
    response = client_for(innovator).post(reverse("innovations:create"), data)
    assert response.status_code == 302
    innovation = Innovation.objects.get()
    assert list(innovation.events.values_list("action", flat=True)) == ["create", "team_add", "attachment_add"]
    assert innovation.events.get(action="team_add").data["role"] == "owner"


@pytest.mark.django_db
def test_team_and_stage_rows_do_not_count_as_reaching_a_programme(world, reference_data):
    """Only review steps decide from when an innovation counts (the status sits in both columns)."""
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"))
    services.team_member_add(innovation=innovation, actor=world.user("admin"), role="owner", official=world.official)
    assert innovation.events.get().to_state == Innovation.Status.DRAFT


@pytest.mark.django_db
def test_the_record_page_does_not_grow_with_its_history(world, draft, django_assert_max_num_queries):
    admin = client_for(world.user("admin"))
    url = reverse("innovations:detail", args=[draft.pk])
    services.team_member_add(innovation=draft, actor=world.user("admin"), role="member", name="Warga 0")
    with django_assert_max_num_queries(40) as few:
        admin.get(url)
    for number in range(1, 12):
        member = services.team_member_add(innovation=draft, actor=world.user("admin"), role="member", name=f"W{number}")
        services.team_member_remove(member=member, actor=world.user("operator"))
    with django_assert_max_num_queries(len(few)):
        admin.get(url)
