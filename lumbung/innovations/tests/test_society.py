"""The citizens' track: a citizen (or a community group) registers an innovation of their own,
attributed to them and to no unit; it is reviewed like the others, shows in the showcase, can start
a competition proposal and can be adopted by a unit. And the showcase's photo and video link."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lumbung.competitions import services as competition_services
from lumbung.competitions.models import Track
from lumbung.core.roles import Role
from lumbung.core.videolinks import video_link_allowed
from lumbung.innovations import society
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import GovernmentAffair, Innovation, InnovationEvent, TeamMember
from tests.factories import user_with_role

from .factories import DESIGN_PART, ProgrammeFactory

pytestmark = pytest.mark.django_db


def citizen_data(**overrides) -> dict:
    data = {
        "name": "Bank Sampah Pekon Sukamaju",
        "group_name": "Kelompok Peduli Lingkungan Sukamaju",
        "stage": Innovation.Stage.TRIAL,
        "form": Innovation.Form.PUBLIC_SERVICE,
        "main_affair": GovernmentAffair.objects.get(code="pertanian").pk,
        "trial_date": "2025-03-01",
        **{name: DESIGN_PART for name in Innovation.DESIGN_FIELDS},
        "goals": "Sampah rumah tangga terpilah.",
        "benefits": "Warga mendapat tabungan dari sampah.",
        "results": "120 keluarga menabung sampah.",
        "video_url": "https://www.youtube.com/watch?v=abc123",
    }
    data.update(overrides)
    return data


def png(width=32, height=24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def registered(client, world, reference_data):
    citizen = world.user(Role.CITIZEN)
    client.force_login(citizen)
    response = client.post(reverse("innovations:citizen-create"), citizen_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Innovation.objects.get(name="Bank Sampah Pekon Sukamaju"), citizen


def test_a_citizen_registers_an_innovation_of_their_own(registered):
    innovation, citizen = registered
    assert innovation.track == Innovation.Track.SOCIETY and innovation.unit is None
    assert innovation.initiator_kind == Innovation.InitiatorKind.CITIZEN
    assert innovation.initiator_name == "Kelompok Peduli Lingkungan Sukamaju"
    assert innovation.created_by == citizen and innovation.status == Innovation.Status.DRAFT
    owner = innovation.team.get()
    assert owner.user == citizen and owner.role == TeamMember.Role.OWNER
    assert InnovationEvent.objects.filter(innovation=innovation, action="create", actor=citizen).exists()
    assert "masyarakat" in innovation.attribution and innovation.submission_problems() == []


def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(client, world, reference_data):
    client.force_login(world.user(Role.CITIZEN))
    response = client.post(reverse("innovations:citizen-create"),
                           citizen_data(name="", video_url="https://evil.example.com/x"))  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400 and "Tautan video harus https dari YouTube" in page
    assert not Innovation.objects.filter(track=Innovation.Track.SOCIETY).exists()


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.INNOVATOR, Role.VERIFIER, Role.JUDGE])
def test_only_citizens_use_the_citizens_form(client, world, role):
    client.force_login(world.user(role))
    assert client.get(reverse("innovations:citizen-create")).status_code == 403


def test_the_draft_is_the_citizens_alone(client, world, registered):
    innovation, _citizen = registered
    other = user_with_role(Role.CITIZEN, world.region)
    client.force_login(other)
    assert client.get(reverse("innovations:detail", args=[innovation.pk])).status_code == 404
    assert client.get(reverse("innovations:citizen-edit", args=[innovation.pk])).status_code == 404
    operator = world.user(Role.OPERATOR)
    assert not operator.has_perm("innovations.change_innovation", innovation)
    assert not operator.has_perm("innovations.submit_innovation", innovation)


def test_reviewed_like_the_others_then_shown_in_the_showcase(client, world, registered):
    innovation, citizen = registered
    url = reverse("innovations:transition", args=[innovation.pk])
    client.post(url, {"action": "submit"})
    innovation.refresh_from_db()
    assert innovation.status == Innovation.Status.SUBMITTED
    client.force_login(world.user(Role.VERIFIER))
    for action in ("verify_documents", "verify_substance", "publish"):
        client.post(url, {"action": action})
    innovation.refresh_from_db()
    assert innovation.status == Innovation.Status.PUBLISHED
    client.logout()
    showcase = client.get(reverse("showcase:index", args=[world.region.code])).content.decode()
    assert "Bank Sampah Pekon Sukamaju" in showcase and "Kelompok Peduli Lingkungan Sukamaju" in showcase
    detail = client.get(reverse("showcase:detail", args=[world.region.code, innovation.pk]))
    assert detail.status_code == 200 and "Tonton video inovasi" in detail.content.decode()


def test_the_citizen_edits_while_a_draft_and_the_change_is_recorded(client, world, registered):
    innovation, citizen = registered
    response = client.post(reverse("innovations:citizen-edit", args=[innovation.pk]),
                           citizen_data(name="Bank Sampah Sukamaju"))  # fmt: skip
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.name == "Bank Sampah Sukamaju" and innovation.version == 2
    event = InnovationEvent.objects.get(innovation=innovation, action="edit")
    assert event.actor == citizen and event.data["fields"] == ["name"]


def _published(innovation):
    Innovation.objects.filter(pk=innovation.pk).update(status=Innovation.Status.PUBLISHED)
    innovation.refresh_from_db()
    return innovation


def test_a_unit_adopts_a_published_citizens_innovation(client, world, registered):
    innovation, citizen = _published(registered[0]), registered[1]
    assert not citizen.has_perm("innovations.adopt_innovation", innovation)
    client.force_login(world.user(Role.ADMIN))
    response = client.post(reverse("innovations:adopt", args=[innovation.pk]),
                           {"unit": world.sibling_unit.pk, "note": "Dinkes menjalankan"})  # fmt: skip
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.unit == world.sibling_unit and innovation.adopted_at is not None
    assert innovation.track == Innovation.Track.SOCIETY and innovation.team.get().user == citizen
    event = InnovationEvent.objects.get(innovation=innovation, action="adopt")
    assert event.data["note"] == "Dinkes menjalankan" and event.actor == world.user(Role.ADMIN)
    assert "diadopsi" in innovation.attribution
    with pytest.raises(PermissionDenied):  # adopted once
        society.innovation_adopt(innovation=innovation, actor=world.user(Role.ADMIN), unit=world.unit)


def test_an_operator_adopts_only_for_their_own_unit(world, registered):
    innovation = _published(registered[0])
    operator = world.user(Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        society.innovation_adopt(innovation=innovation, actor=operator, unit=world.sibling_unit)
    assert Innovation.objects.get(pk=innovation.pk).unit is None
    with pytest.raises(ValidationError):
        society.innovation_adopt(innovation=innovation, actor=world.user(Role.ADMIN), unit=None)


def test_a_draft_cannot_be_adopted(client, world, registered):
    innovation, _citizen = registered
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("innovations:adopt", args=[innovation.pk])).status_code == 404


def test_it_can_start_a_citizens_competition_proposal(world, registered):
    innovation, citizen = registered
    from lumbung.competitions.tests.factories import CompetitionFactory

    competition = CompetitionFactory(region=world.region, created_by=world.user(Role.ADMIN), tracks=[Track.CITIZENS])
    choices = competition_services.innovation_choices(citizen, competition, Track.CITIZENS)
    assert innovation in choices


def test_quota_programmes_ignore_unadopted_citizens_innovations(world, registered):
    innovation = _published(registered[0])
    programme = ProgrammeFactory(region=world.region, created_by=world.user(Role.ADMIN))
    report = programme_compliance(programme)
    assert all(innovation.name not in [i["name"] for i in row.innovations] for row in report.rows)


# The showcase's photo and video link ------------------------------------------------------------


def test_a_photo_is_checked_stored_and_shown_once_published(client, world, registered):
    innovation, citizen = registered
    url = reverse("innovations:showcase-media", args=[innovation.pk])
    upload = SimpleUploadedFile("foto.png", png(), "image/png")
    assert client.post(url, {"photo": upload, "video_url": ""}).status_code == 302
    innovation.refresh_from_db()
    assert innovation.photo and len(innovation.photo_sha256) == 64 and innovation.video_url == ""
    assert InnovationEvent.objects.filter(innovation=innovation, action="photo").exists()
    photo_url = reverse("innovations:photo", args=[innovation.pk])
    assert client.get(photo_url).status_code == 200  # the author sees their draft's photo
    client.logout()
    assert client.get(photo_url).status_code == 404  # not public before publication
    _published(innovation)
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("foto.png", b"<script>alert(1)</script>", "bukan Gambar"),
        ("foto.pdf", b"%PDF-1.4", "tidak diterima"),
    ],
)
def test_a_bad_photo_is_refused(client, world, registered, name, body, message):
    innovation, _citizen = registered
    url = reverse("innovations:showcase-media", args=[innovation.pk])
    response = client.post(url, {"photo": SimpleUploadedFile(name, body), "video_url": ""}, follow=True)
    assert message in response.content.decode()
    innovation.refresh_from_db()
    assert not innovation.photo


def test_a_picture_bomb_is_refused(client, world, registered, settings):
    settings.LUMBUNG_MAX_IMAGE_PIXELS = 100
    innovation, _citizen = registered
    url = reverse("innovations:showcase-media", args=[innovation.pk])
    response = client.post(url, {"photo": SimpleUploadedFile("besar.png", png(64, 64)), "video_url": ""}, follow=True)
    innovation.refresh_from_db()
    assert not innovation.photo and "terlalu besar" in response.content.decode()


def test_a_video_link_only_from_allowed_hosts(client, world, registered):
    innovation, _citizen = registered
    url = reverse("innovations:showcase-media", args=[innovation.pk])
    response = client.post(url, {"video_url": "https://youtube.com.evil.example/x"}, follow=True)
    assert "Tautan video harus https dari YouTube" in response.content.decode()
    client.post(url, {"video_url": "https://youtu.be/abc"})
    innovation.refresh_from_db()
    assert innovation.video_url == "https://youtu.be/abc"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.youtube.com/watch?v=x", True),
        ("https://m.youtube.com/watch?v=x", True),
        ("https://vimeo.com/1", True),
        ("http://www.youtube.com/watch?v=x", False),
        ("https://youtube.com.evil.example/", False),
        ("https://user:pw@youtube.com/", False),
        ("https://youtube.com:8443/", False),
        ("javascript:alert(1)", False),
        ("https://[::1/", False),
        ("", False),
    ],
)
def test_video_hosts(url, allowed):
    assert video_link_allowed(url) is allowed


def test_others_cannot_change_the_showcase_media(client, world, registered):
    innovation, _citizen = registered
    client.force_login(user_with_role(Role.CITIZEN, world.region))
    url = reverse("innovations:showcase-media", args=[innovation.pk])
    assert client.post(url, {"video_url": "https://youtu.be/x"}).status_code == 404
    client.force_login(world.user(Role.VERIFIER))
    assert client.post(url, {"video_url": "https://youtu.be/x"}).status_code == 302
