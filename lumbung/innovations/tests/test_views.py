"""Request tests of the registry: the review journey, bad input, permissions and query counts."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lumbung.core.models import StagedUpload
from lumbung.innovations.models import Attachment, Innovation, InnovationEvent, TeamMember
from lumbung.notifications.models import Notification

from .factories import InnovationFactory
from .helpers import pdf_file, profile_data

S = Innovation.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator(world):
    return client_for(world.user("operator"))


@pytest.fixture
def verifier(world):
    return client_for(world.user("verifier"))


@pytest.mark.django_db
def test_the_review_journey(world, reference_data, operator, verifier, django_capture_on_commit_callbacks):
    response = operator.post(reverse("innovations:create"), profile_data(world.unit))
    innovation = Innovation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("innovations:detail", args=[innovation.pk])
    assert innovation.status == S.DRAFT and innovation.created_by == world.user("operator")
    assert innovation.related_affairs.get().code == "kominfo"
    TeamMember.objects.create(innovation=innovation, official=world.official, role=TeamMember.Role.OWNER)

    with django_capture_on_commit_callbacks(execute=True):
        operator.post(reverse("innovations:transition", args=[innovation.pk]), {"action": "submit"})
    innovation.refresh_from_db()
    assert innovation.status == S.SUBMITTED
    # The verifier hears of it; the owner (an innovator account on the roster) too, in the app and by e-mail.
    assert Notification.objects.filter(recipient=world.user("verifier")).exists()
    assert Notification.objects.filter(recipient=world.user("innovator")).exists()
    assert any(world.user("innovator").email in message.to for message in mail.outbox)

    response = verifier.post(
        reverse("innovations:return", args=[innovation.pk]),
        {"note": "", "note_problem": "Permasalahan belum didukung data.", "note_location": "Koordinat keliru."},
    )
    innovation.refresh_from_db()
    assert innovation.status == S.RETURNED
    event = innovation.events.get(action="return")
    assert event.data["field_notes"] == {
        "problem": "Permasalahan belum didukung data.",
        "location": "Koordinat keliru.",
    }
    assert Notification.objects.filter(recipient=world.user("operator"), title__contains="Dikembalikan").exists()

    page = operator.get(reverse("innovations:edit", args=[innovation.pk])).content.decode()
    assert "Permasalahan belum didukung data." in page and 'id="note-problem"' in page
    assert page.index('id="note-problem"') < page.index('name="problem"')
    assert 'id="note-latitude"' in page

    operator.post(
        reverse("innovations:edit", args=[innovation.pk]), profile_data(world.unit, problem="Data BPS 2024. " * 40)
    )
    operator.post(reverse("innovations:transition", args=[innovation.pk]), {"action": "resubmit"})
    for action in ("verify_documents", "verify_substance", "publish"):
        verifier.post(reverse("innovations:transition", args=[innovation.pk]), {"action": action})
    innovation.refresh_from_db()
    assert innovation.status == S.PUBLISHED
    actions = list(innovation.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit", "verify_documents", "verify_substance", "publish"]
    history = operator.get(reverse("innovations:detail", args=[innovation.pk])).content.decode()
    assert "Kembalikan untuk perbaikan" in history and "Permasalahan belum didukung data." in history
    assert Client().get(reverse("showcase:detail", args=[world.region.code, innovation.pk])).status_code == 200


@pytest.mark.django_db
def test_submission_needs_300_words_and_a_team_owner(world, reference_data, operator):
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("operator"), workflow="")
    response = operator.post(reverse("innovations:transition", args=[innovation.pk]), {"action": "submit"}, follow=True)
    text = response.content.decode()
    assert "Rancang bangun baru 275 kata" in text and "Tim belum memiliki pemilik inovasi" in text
    innovation.refresh_from_db()
    assert innovation.status == S.DRAFT


@pytest.mark.django_db
def test_the_300_word_rule_is_for_the_six_parts_together(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit, owner=world.official)
    for name in Innovation.DESIGN_FIELDS:
        setattr(innovation, name, "")
    innovation.problem = " ".join(["kata"] * 299)
    assert any("299 kata" in problem for problem in innovation.submission_problems())
    innovation.workflow = "anak-anak"  # a hyphenated word counts once
    assert innovation.design_word_count == 300 and innovation.submission_problems() == []


@pytest.mark.django_db
def test_wrong_dates_and_missing_fields_keep_what_was_typed_and_uploaded(world, reference_data, operator):
    data = profile_data(world.unit, trial_date="2024-09-01", implementation_date="2024-03-01", form="")
    data["attachment_kind"] = Attachment.Kind.BUDGET
    data["attachment_file"] = pdf_file()
    response = operator.post(reverse("innovations:create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Waktu penerapan tidak boleh sebelum waktu uji coba." in page
    assert "Bidang ini tidak boleh kosong." in page  # the form (bentuk) is required
    assert "Sistem Informasi Harga Kopi Robusta" in page and "Petani mengetahui harga kopi harian." in page
    staged = StagedUpload.objects.get(owner=world.user("operator"))
    assert "anggaran.pdf" in page and str(staged.pk) in page
    assert Innovation.objects.count() == 0

    # Sent again without the file: the staged upload is used and stored with the innovation.
    fixed = profile_data(world.unit, attachment_kind=Attachment.Kind.BUDGET, attachment_file__staged=str(staged.pk))
    assert operator.post(reverse("innovations:create"), fixed).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "anggaran.pdf" and len(attachment.sha256) == 64


@pytest.mark.django_db
def test_an_oversized_or_disguised_attachment_is_refused_in_indonesian(world, reference_data, operator, settings):
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("operator"))
    url = reverse("innovations:attachment-add", args=[innovation.pk])
    disguised = pdf_file("anggaran.pdf")
    disguised.file.write(b"")
    disguised = type(disguised)("anggaran.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = operator.post(url, {"kind": "budget", "title": "RKA", "file": disguised})
    assert response.status_code == 400 and "bukan PDF" in response.content.decode()
    settings.LUMBUNG_MAX_UPLOAD_MB = 1
    response = operator.post(url, {"kind": "budget", "title": "RKA", "file": pdf_file(size=1_200_000)})
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_attachments_are_private_to_the_managers(world, reference_data, operator):
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("operator"))
    operator.post(reverse("innovations:attachment-add", args=[innovation.pk]), {"kind": "budget", "file": pdf_file()})
    attachment = Attachment.objects.get()
    Innovation.objects.filter(pk=innovation.pk).update(status=S.PUBLISHED)
    url = reverse("innovations:attachment-download", args=[attachment.pk])
    assert operator.get(url).status_code == 200
    assert client_for(world.user("verifier")).get(url).status_code == 200
    for role in ("citizen", "judge", "mentor"):
        assert client_for(world.user(role)).get(url).status_code == 404, role
    assert client_for(world.other_admin).get(url).status_code == 404


@pytest.mark.django_db
def test_the_verifier_sees_the_location_a_note_may_be_about(world, reference_data, verifier):
    """The return page takes a note on "Lokasi": the record's page shows the coordinates to check."""
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, status=S.SUBMITTED, latitude="-5.034900", longitude="104.064400"
    )
    html = verifier.get(reverse("innovations:detail", args=[innovation.pk])).content.decode()
    assert "Lokasi (lintang, bujur)" in html and "-5,034900, 104,064400" in html
    innovation.latitude = innovation.longitude = None
    innovation.save()
    html = verifier.get(reverse("innovations:detail", args=[innovation.pk])).content.decode()
    assert "Lokasi (lintang, bujur)" in html


def test_a_general_return_note_reaches_the_record_and_the_edit_form(world, reference_data, operator, verifier):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=S.SUBMITTED)
    response = verifier.post(
        reverse("innovations:return", args=[innovation.pk]), {"note": "Lampirkan SK inovasi tahun 2026."}
    )
    assert response.status_code == 302
    for url in (reverse("innovations:detail", args=[innovation.pk]), reverse("innovations:edit", args=[innovation.pk])):
        page = operator.get(url).content.decode()
        assert "Lampirkan SK inovasi tahun 2026." in page, url


VIEW_MATRIX = {
    # role: (sees another unit's draft, may edit own unit's draft, may open the return page)
    "admin": (True, True, True),
    "verifier": (True, False, True),
    "leader": (True, False, False),
    "operator": (False, True, False),
    "innovator": (False, False, False),
    "judge": (False, False, False),
    "mentor": (False, False, False),
    "citizen": (False, False, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(VIEW_MATRIX))
def test_permission_matrix(world, reference_data, role):
    sees_other, edits_own, returns = VIEW_MATRIX[role]
    own = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"), status=S.SUBMITTED)
    own_draft = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"))
    other = InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=world.user("admin"))
    foreign = InnovationFactory(region=world.other_region, unit=world.other_unit, created_by=world.other_admin)
    client = client_for(world.user(role))
    assert (client.get(reverse("innovations:detail", args=[other.pk])).status_code == 200) is sees_other
    assert client.get(reverse("innovations:detail", args=[foreign.pk])).status_code in (403, 404)
    assert (client.get(reverse("innovations:edit", args=[own_draft.pk])).status_code == 200) is edits_own
    assert (client.get(reverse("innovations:return", args=[own.pk])).status_code == 200) is returns
    listed = client.get(reverse("innovations:list"))
    if listed.status_code == 200:
        names = {innovation.pk for innovation in listed.context["page_obj"]}
        assert foreign.pk not in names
        assert (other.pk in names) is sees_other


@pytest.mark.django_db
def test_a_citizen_cannot_take_review_actions(world, reference_data):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, created_by=world.user("admin"), status=S.SUBMITTED
    )
    for role in ("citizen", "operator", "leader"):
        response = client_for(world.user(role)).post(
            reverse("innovations:transition", args=[innovation.pk]), {"action": "publish"}
        )
        assert response.status_code in (302, 403, 404)
        innovation.refresh_from_db()
        assert innovation.status == S.SUBMITTED
    assert not InnovationEvent.objects.exists()


@pytest.mark.django_db
def test_still_running_confirmation(world, reference_data, operator):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, created_by=world.user("operator"), status=S.PUBLISHED
    )
    url = reverse("innovations:running", args=[innovation.pk])
    operator.post(url, {"action": "report_stopped", "note": ""})
    innovation.refresh_from_db()
    assert innovation.is_running
    operator.post(url, {"action": "report_stopped", "note": "Aplikasi tidak lagi didanai APBD."})
    innovation.refresh_from_db()
    assert not innovation.is_running and innovation.stopped_reason == "Aplikasi tidak lagi didanai APBD."
    assert innovation.running_confirmed_year is not None
    assert innovation.events.get(action="report_stopped").to_state == "False"
    operator.post(url, {"action": "report_resumed"})
    innovation.refresh_from_db()
    assert innovation.is_running and innovation.stopped_reason == ""


@pytest.mark.django_db
def test_team_members_from_the_roster_or_by_name(world, reference_data, operator):
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("operator"))
    url = reverse("innovations:team-add", args=[innovation.pk])
    assert operator.post(url, {"official": world.sibling_official.pk, "role": "initiator"}).status_code == 302
    assert operator.post(url, {"name": "Pak Sapri (petani kopi)", "role": "member"}).status_code == 302
    response = operator.post(url, {"official": world.other_official.pk, "role": "member"})
    assert response.status_code == 400  # another region's official is not a choice
    response = operator.post(url, {"role": "member"})
    assert "Pilih ASN atau tulis nama anggota." in response.content.decode()
    assert innovation.team.count() == 2


@pytest.mark.django_db
def test_list_and_search_do_not_grow_with_rows(world, reference_data, django_assert_max_num_queries):
    admin = client_for(world.user("admin"))
    for number in range(30):
        InnovationFactory(
            region=world.region, unit=world.unit, created_by=world.user("admin"), name=f"Pelayanan Kopi {number}"
        )
    with django_assert_max_num_queries(12):
        response = admin.get(reverse("innovations:list"), {"q": "kopi", "digital": "1", "sort": "name"})
    assert response.context["page_obj"].paginator.count == 30
    with django_assert_max_num_queries(14):
        assert admin.get(reverse("innovations:export-xlsx"), {"q": "kopi"}).status_code == 200


@pytest.mark.django_db
def test_search_and_filters(world, reference_data):
    admin = client_for(world.user("admin"))
    coffee = InnovationFactory(region=world.region, unit=world.unit, name="Sekolah Lapang Kopi", is_digital=False)
    InnovationFactory(region=world.region, unit=world.sibling_unit, name="Posyandu Digital", goals="Layanan ibu hamil")
    stopped = InnovationFactory(region=world.region, unit=world.unit, name="Pasar Kopi Daring", is_running=False)

    def found(**params):
        return {i.name for i in admin.get(reverse("innovations:list"), params).context["page_obj"]}

    assert found(q="kopi") == {coffee.name, stopped.name}
    assert found(q="hamil") == {"Posyandu Digital"}
    assert found(unit=world.sibling_unit.pk) == {"Posyandu Digital"}
    assert found(digital="0") == {coffee.name}
    assert found(running="0") == {stopped.name}
    assert found(year="1999") == set()  # out of range: the form says so and lists nothing
    exported = admin.get(reverse("innovations:export-csv"), {"q": "kopi"})
    csv = b"".join(exported.streaming_content).decode("utf-8-sig")  # streamed as it is written
    assert "Sekolah Lapang Kopi" in csv and "Posyandu" not in csv


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "params", "shown"),
    [
        ("operator", {}, "Daftarkan inovasi pertama"),
        ("leader", {}, "Belum ada inovasi yang terdaftar."),
        ("operator", {"q": "kopi"}, "Tidak ada inovasi yang cocok dengan saringan."),
    ],
)
def test_an_empty_list_says_what_to_do(world, reference_data, role, params, shown):
    page = client_for(world.user(role)).get(reverse("innovations:list"), params).content.decode()
    assert shown in page


@pytest.mark.django_db
def test_similar_names_are_offered_while_creating(world, reference_data, operator):
    InnovationFactory(region=world.region, unit=world.sibling_unit, name="Sistem Informasi Harga Kopi Petani")
    InnovationFactory(region=world.other_region, unit=world.other_unit, name="Sistem Informasi Harga Kopi")
    published = InnovationFactory(
        region=world.region,
        unit=world.sibling_unit,
        name="Informasi Harga Kopi Daring",
        status=Innovation.Status.PUBLISHED,
    )
    response = operator.get(reverse("innovations:similar"), {"name": "informasi harga kopi"}, HTTP_HX_REQUEST="true")
    matches = response.context["matches"]
    assert {m["name"] for m in matches} == {"Sistem Informasi Harga Kopi Petani", published.name}
    # Another unit's draft is flagged by its unit only: its name and link stay hidden.
    content = response.content.decode()
    assert "Harga Kopi Petani" not in content and world.sibling_unit.name in content
    assert published.name in content


@pytest.mark.django_db
def test_postgres_search_understands_indonesian_affixes(world, reference_data):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search with the Indonesian stemmer runs on PostgreSQL")
    service = InnovationFactory(region=world.region, unit=world.unit, name="Layanan Akta di Pekon")
    other = InnovationFactory(
        region=world.region, unit=world.unit, name="Bank Sampah", goals="Pelayanan kebersihan pekon"
    )
    unrelated = InnovationFactory(
        region=world.region, unit=world.unit, name="Sekolah Lapang Kopi", goals="Mutu kopi", results="Panen naik"
    )
    found = list(Innovation.objects.search("pelayanan").order_by("-rank"))
    # "Layanan" in a name ranks above "pelayanan" in a narrative; the factory's results say "terlayani".
    assert found[0] == service and other in found and unrelated not in found
