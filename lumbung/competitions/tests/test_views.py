"""Pages: who may open what (role × view × someone else's object), blind judging, scores only
after publication, bad input that keeps what was typed, and query counts that do not grow."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.competitions import results
from lumbung.competitions.models import Certificate, Competition, Entry, EntryAttachment, JudgeAssignment, Panel
from lumbung.competitions.phases import PhaseKind
from lumbung.core.models import StagedUpload
from lumbung.core.roles import Role
from lumbung.core.tests.uploads import PDF as VALID_PDF
from tests.factories import user_with_role

from .factories import make_competition, scored_card, sent_entry

pytestmark = pytest.mark.django_db

PDF = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def desk_round(world, citizen):
    """A blind citizen competition in its desk round: the citizen's proposal has a file and
    is assigned to one judge; a second judge has another proposal."""
    competition = make_competition(region=world.region, created_by=world.user("admin"), phase="desk", blind=True)
    desk = competition.round_of_kind(PhaseKind.DESK)
    entry = sent_entry(competition, entrant=citizen, status=Entry.Status.ELIGIBLE, reached=desk,
                       institution="Karang Taruna Pekon Hujung")  # fmt: skip
    attachment = EntryAttachment(entry=entry, title="Foto Kebun Dewi", original_name="kebun-dewi.pdf",
                                 content_type="application/pdf", size=len(PDF), sha256="0" * 64, uploaded_by=citizen)  # fmt: skip
    attachment.file.save("kebun-dewi.pdf", SimpleUploadedFile("kebun-dewi.pdf", PDF))
    other = sent_entry(competition, entrant=user_with_role(Role.CITIZEN, world.region), status=Entry.Status.ELIGIBLE,
                       reached=desk)  # fmt: skip
    judge = world.user(Role.JUDGE)
    other_judge = user_with_role(Role.JUDGE, world.region)
    panel = Panel.objects.create(round=desk, name="Panel", lead=other_judge)
    panel.members.set([judge, other_judge])
    mine = JudgeAssignment.objects.create(round=desk, entry=entry, judge=judge, panel=panel)
    theirs = JudgeAssignment.objects.create(round=desk, entry=other, judge=other_judge, panel=panel)
    return competition, entry, other, attachment, mine, theirs


def test_a_judge_sees_only_assigned_proposals_and_without_names_in_blind_mode(client, world, desk_round):
    competition, entry, other, attachment, mine, theirs = desk_round
    login(client, world.user(Role.JUDGE))
    page = client.get(reverse("competitions:judge-card", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Proposal #001" in html and entry.entrant_name not in html and "Karang Taruna" not in html
    assert "Foto Kebun Dewi" not in html and "Lampiran 1" in html
    download = client.get(reverse("competitions:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200 and "kebun-dewi" not in download["Content-Disposition"]
    assert client.get(reverse("competitions:judge-card", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("competitions:entry-detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("competitions:entry-detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "detail", "edit", "receipt", "card", "manage"),
    [
        ("entrant", 200, 404, 200, 403, 403),  # the deadline has passed: no more editing
        ("other citizen", 404, 404, 404, 403, 403),
        ("admin", 200, 404, 200, 403, 200),
        ("judge", 404, 404, 404, 200, 403),
        ("other judge", 404, 404, 404, 404, 403),
        ("other region's admin", 404, 404, 404, 403, 404),
    ],
)
def test_permission_matrix(client, world, desk_round, who, detail, edit, receipt, card, manage):
    competition, entry, *_rest, mine, _theirs = desk_round
    users = {
        "entrant": entry.entrant, "other citizen": user_with_role(Role.CITIZEN, world.region),
        "admin": world.user(Role.ADMIN), "judge": world.user(Role.JUDGE),
        "other judge": user_with_role(Role.JUDGE, world.region), "other region's admin": world.other_admin,
    }  # fmt: skip
    login(client, users[who])
    codes = [
        client.get(reverse("competitions:entry-detail", args=[entry.pk])).status_code,
        client.get(reverse("competitions:entry-edit", args=[entry.pk])).status_code,
        client.get(reverse("competitions:entry-receipt", args=[entry.pk])).status_code,
        client.get(reverse("competitions:judge-card", args=[mine.pk])).status_code,
        client.get(reverse("competitions:manage-detail", args=[competition.pk])).status_code,
    ]
    assert codes == [detail, edit, receipt, card, manage]


def test_entrants_see_scores_and_remarks_only_after_publication(client, world, desk_round):
    competition, entry, *_rest, mine, _theirs = desk_round
    card = scored_card(mine, [5, 4, 4, 3, 5])
    card.scores.filter(criterion__order=1).update(comment="Sangat bermanfaat bagi posyandu.")
    login(client, entry.entrant)
    before = client.get(reverse("competitions:entry-detail", args=[entry.pk])).content.decode()
    assert "Sangat bermanfaat" not in before and "setelah hasil lomba diumumkan" in before
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.RESULTS)
    entry.result = results.Result.objects.create(competition=competition, entry=entry, track=entry.track, rank=1,
                                                 prize="winner", prize_rank=1, final_score=88)  # fmt: skip
    after = client.get(reverse("competitions:entry-detail", args=[entry.pk])).content.decode()
    assert "Sangat bermanfaat" in after and "Juara I" in after


def test_a_failed_score_card_keeps_what_the_judge_typed(client, world, desk_round):
    *_rest, mine, _theirs = desk_round
    criteria = list(mine.round.rubric.criteria.all())
    login(client, world.user(Role.JUDGE))
    data = {f"c_{c.pk}": "4" for c in criteria} | {f"c_{criteria[0].pk}": "9", f"r_{criteria[1].pk}": "Catatan saya"}
    page = client.post(reverse("competitions:judge-card", args=[mine.pk]), data)
    html = page.content.decode()
    assert page.status_code == 200 and "Catatan saya" in html and 'role="alert"' in html
    assert not mine.card.scores.exists()


@pytest.fixture
def open_call(world, citizen):
    competition = make_competition(region=world.region, created_by=world.user("admin"), phase="submission")
    entry = Entry.objects.create(competition=competition, track="citizens", title="Kebun Gizi", entrant=citizen,
                                 entrant_name=citizen.full_name)  # fmt: skip
    return competition, entry


def test_autosave_keeps_a_draft_as_it_is_typed(client, citizen, open_call):
    competition, entry = open_call
    section = competition.sections.first()
    login(client, citizen)
    response = client.post(
        reverse("competitions:entry-autosave", args=[entry.pk]),
        {"title": "Kebun Gizi Pekon", f"section_{section.pk}": "Kebun di balai pekon."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Tersimpan otomatis" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.title, entry.answer(section)) == ("Kebun Gizi Pekon", "Kebun di balai pekon.")


def test_a_bad_link_keeps_the_proposal_text(client, citizen, open_call):
    competition, entry = open_call
    section = competition.sections.first()
    login(client, citizen)
    page = client.post(reverse("competitions:entry-edit", args=[entry.pk]),
                       {"title": "Kebun Gizi", "video_url": "bukan tautan", f"section_{section.pk}": "Teks panjang saya"})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and "Teks panjang saya" in html and "Masukkan URL yang valid" in html


def test_the_writing_page_ties_each_label_to_its_own_field(client, citizen, open_call):
    _competition, entry = open_call
    html = login(client, citizen).get(reverse("competitions:entry-edit", args=[entry.pk])).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the entry and the attachment form both have a "title"
    assert set(re.findall(r'<label for="([^"]+)"', html)) <= set(ids)


def test_a_valid_upload_survives_a_failed_attachment_form(client, citizen, open_call):
    _competition, entry = open_call
    login(client, citizen)
    url = reverse("competitions:attachment-add", args=[entry.pk])
    page = client.post(url, {"title": "x" * 250, "file": SimpleUploadedFile("kebun.pdf", PDF)})
    assert page.status_code == 400 and "sudah diterima dan disimpan sementara" in page.content.decode()
    staged = StagedUpload.objects.get(owner=citizen)
    done = client.post(url, {"title": "Foto kebun", "file__staged": str(staged.pk)})
    assert done.status_code == 302 and entry.attachments.get().original_name == "kebun.pdf"


def test_sending_through_the_page_ends_on_the_receipt(client, citizen, open_call, reference_data):
    competition, entry = open_call
    from lumbung.innovations.models import GovernmentAffair

    login(client, citizen)
    data = {"title": "Kebun Gizi", "phone": "081234567890", "affair": GovernmentAffair.objects.first().pk,
            "publish_consent": "on", "next": "submit"} | {
        f"section_{s.pk}": "Isi bagian yang lengkap." for s in competition.sections.all()}  # fmt: skip
    response = client.post(reverse("competitions:entry-edit", args=[entry.pk]), data, follow=True)
    entry.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("competitions:entry-receipt", args=[entry.pk])
    assert entry.receipt_code in response.content.decode()


def test_changing_a_sent_proposal_through_the_page_is_logged_and_gets_a_new_receipt(
    client, citizen, open_call, reference_data, mailoutbox, django_capture_on_commit_callbacks
):
    competition, entry = open_call
    from lumbung.innovations.models import GovernmentAffair

    login(client, citizen)
    data = {"title": "Kebun Gizi", "phone": "081234567890", "affair": GovernmentAffair.objects.first().pk,
            "publish_consent": "on"} | {f"section_{s.pk}": "Isi bagian yang lengkap." for s in competition.sections.all()}  # fmt: skip
    url = reverse("competitions:entry-edit", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data | {"next": "submit"})
        first_hash = Entry.objects.get(pk=entry.pk).content_sha256
        # Only the title and the team change: the entry form writes them onto the instance it edits.
        client.post(url, data | {"title": "Kebun Gizi Pekon", "team": "Siti Aminah"})
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Kebun Gizi Pekon", Entry.Status.SUBMITTED)
    assert entry.content_sha256 != first_hash
    assert entry.events.get(action="edit").data["fields"] == ["title", "team"]
    assert len(mailoutbox) == 2 and "tanda terima yang baru" in mailoutbox[1].body


def test_a_creation_form_with_dates_out_of_order_keeps_the_text(client, world):
    login(client, world.user(Role.ADMIN))
    data = {"title": "Lomba Inovasi Desa 2027", "year": 2027, "description": "Uraian lomba", "tracks": ["citizens"],
            "aggregation": "zscore", "judges_per_entry": 3, "winners_per_track": 3, "honourable_per_track": 3,
            "entries_per_entrant": 1, "submission_opens": "2030-05-01T08:00", "submission_closes": "2030-04-01T08:00",
            "screening_closes": "2030-06-01T08:00"}  # fmt: skip
    page = client.post(reverse("competitions:manage-create"), data)
    html = page.content.decode()
    assert page.status_code == 200 and "Lomba Inovasi Desa 2027" in html
    assert "Batas pengiriman harus setelah pendaftaran dibuka." in html
    assert not Competition.objects.filter(title="Lomba Inovasi Desa 2027").exists()


def test_the_verification_page_confirms_the_file_and_a_revocation(client, world, desk_round):
    competition, entry, *_rest = desk_round
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.RESULTS)
    certificate = Certificate.objects.create(competition=competition, entry=entry, kind="award",
                                             recipient_name="Dewi", award_title="Juara I", sha256=__import__("hashlib").sha256(PDF).hexdigest())  # fmt: skip
    certificate.file.save("s.pdf", SimpleUploadedFile("s.pdf", PDF))
    url = reverse("competitions:certificate-verify", args=[certificate.code])
    assert "asli dan berlaku" in client.get(url).content.decode()
    assert "Cocok" in client.post(url, {"file": SimpleUploadedFile("s.pdf", PDF)}).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at="2026-01-01T00:00Z", revoked_reason="Plagiat")
    page = client.get(url).content.decode()
    assert "sudah dicabut" in page and "Plagiat" in page
    unknown = client.get(reverse("competitions:certificate-verify", args=["kode-tebakan"]))
    assert unknown.status_code == 404 and "Tidak ada sertifikat dengan kode ini." in unknown.content.decode()


# Query counts ----------------------------------------------------------------------------------


def _grow(world, competition, count, judges):
    desk = competition.round_of_kind(PhaseKind.DESK)
    panel = desk.panels.first() or Panel.objects.create(round=desk, name="Panel", lead=judges[0])
    panel.members.add(*judges)
    for _ in range(count):
        entry = sent_entry(competition, entrant=user_with_role(Role.CITIZEN, world.region),
                           status=Entry.Status.ELIGIBLE, reached=desk)  # fmt: skip
        for judge in judges:
            scored_card(
                JudgeAssignment.objects.create(round=desk, entry=entry, judge=judge, panel=panel), [4, 3, 5, 4, 2]
            )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("who", "url_name", "on"),
    [
        ("admin", "competitions:manage-entries", "competition"),
        ("admin", "competitions:round-judging", "desk"),
        ("admin", "competitions:round-standing", "desk"),
        ("admin", "competitions:manage-results", "competition"),
        ("admin", "competitions:manage-list", None),
        ("judge", "competitions:judge-home", None),
        ("judge", "competitions:panel-progress", "panel"),
        (None, "competitions:list", None),
    ],
)
def test_pages_do_not_query_per_row(client, world, who, url_name, on):
    judges = [world.user(Role.JUDGE), user_with_role(Role.JUDGE, world.region)]
    competition = make_competition(region=world.region, created_by=world.user("admin"), phase="desk")
    _grow(world, competition, 2, judges)
    desk = competition.round_of_kind(PhaseKind.DESK)
    Panel.objects.filter(round=desk).update(lead=judges[0])
    target = {"competition": competition.pk, "desk": desk.pk, "panel": desk.panels.first().pk}.get(on)
    url = reverse(url_name, args=[target] if target else [])
    if who:
        login(client, world.user(who))
        _queries(client, url)  # the first request reads the session and the user; the next ones keep them
    small = _queries(client, url)
    _grow(world, competition, 6, judges)
    assert _queries(client, url) == small


@pytest.mark.parametrize("kind", [PhaseKind.SUBMISSION, PhaseKind.SCREENING])
def test_the_standing_of_a_round_without_a_rubric_explains_instead_of_failing(client, world, kind):
    """Issue 12: these rounds answered 500 on a fresh demo."""
    competition = make_competition(region=world.region, created_by=world.user("admin"), phase="desk")
    sent_entry(competition, status=Entry.Status.ELIGIBLE)
    round_ = competition.round_of_kind(kind)
    assert round_.rubric_id is None
    login(client, world.user(Role.ADMIN))
    response = client.get(reverse("competitions:round-standing", args=[round_.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("competitions:manage-results", args=[competition.pk])
    assert "tidak memiliki peringkat" in response.content.decode()
    # A POST (advancing) is refused the same way, without touching the entries.
    assert client.post(reverse("competitions:round-standing", args=[round_.pk]), {"entries": []}).status_code == 302
