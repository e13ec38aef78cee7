"""From closed rounds to published results, certificates, minutes and innovation records."""

import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from lumbung.assessment.models import Document
from lumbung.competitions import documents, judges, results, scoring
from lumbung.competitions.models import Certificate, Competition, Entry, Result
from lumbung.competitions.phases import PhaseKind
from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.innovations.models import Attachment, GovernmentAffair, Innovation
from tests.factories import user_with_role

from .conftest import at
from .factories import sent_entry

pytestmark = pytest.mark.django_db

# Proposal quality -> the five criterion scores each judge gives; judge "keras" is 1 point harsher.
QUALITY = {"Kebun Gizi": 5, "Pupuk Kulit Kopi": 4, "Peta UMKM": 3, "Robot Penyiram": 2}


def score_round(round_, panel_members, admin, moment):
    with time_machine.travel(moment, tick=False):
        judges.assignments_auto(round_=round_, actor=admin)
        for assignment in round_.assignments.select_related("entry", "judge", "round__competition", "round__rubric"):
            card = judges.card_for(assignment)
            value = QUALITY[assignment.entry.title] - (1 if assignment.judge.full_name == "Juri Keras" else 0)
            values = {c.pk: max(1, value) for c in round_.rubric.criteria.all()}
            judges.card_save(card=card, actor=assignment.judge, values=values, comments={}, comment="Baik.")
            judges.card_submit(card=card, actor=assignment.judge)


@pytest.fixture
def judged(world, calendar_competition, reference_data):
    """Four citizen proposals: two go on from the desk round; results not yet published."""
    competition = calendar_competition
    competition.aggregation = Competition.Aggregation.ZSCORE
    competition.judges_per_entry, competition.winners_per_track, competition.honourable_per_track = 2, 1, 1
    competition.save()
    admin = world.user(Role.ADMIN)
    desk = competition.round_of_kind(PhaseKind.DESK)
    desk.advance_count = 2
    desk.save()
    affair = GovernmentAffair.objects.get(code="pertanian")
    for title in QUALITY:
        citizen = user_with_role(Role.CITIZEN, world.region)
        sent_entry(competition, title=title, entrant=citizen, status=Entry.Status.ELIGIBLE, reached=desk, affair=affair)
    members = [user_with_role(Role.JUDGE, world.region, full_name=name) for name in ("Juri Keras", "Juri A", "Juri B")]
    presentation = competition.round_of_kind(PhaseKind.PRESENTATION)
    with time_machine.travel(at(4, 1), tick=False):
        for round_ in (desk, presentation):
            judges.panel_save(round_=round_, actor=admin, name="Panel", members=members, lead=members[1])
    score_round(desk, members, admin, at(4, 20))
    with time_machine.travel(at(5, 1), tick=False):
        assert results.results_problems(Competition.objects.get(pk=competition.pk)) == [
            "Tetapkan dahulu peserta yang lanjut dari babak “Penilaian proposal”.",
            "Babak “Presentasi dan wawancara” belum ditutup.",
        ]
        standing = results.round_standing(desk)
        results.round_advance(round_=desk, actor=admin, entry_ids=results.default_advancers(standing))
    score_round(presentation, members, admin, at(5, 7))
    return Competition.objects.get(pk=competition.pk), admin


def test_the_top_proposals_go_on_and_the_others_are_told(judged):
    competition, _admin = judged
    eliminated = Entry.objects.filter(competition=competition, status=Entry.Status.ELIMINATED)
    assert sorted(eliminated.values_list("title", flat=True)) == ["Peta UMKM", "Robot Penyiram"]
    assert all(e.events.filter(action="eliminate").exists() for e in eliminated)
    assert competition.round_of_kind(PhaseKind.DESK).advanced_at is not None


def test_published_results_rank_per_track_with_prizes_and_the_computation(judged, django_capture_on_commit_callbacks):
    competition, admin = judged
    with time_machine.travel(at(5, 11), tick=False):
        results.results_publish(competition=competition, actor=admin)
    ranked = list(Result.objects.filter(competition=competition).order_by("rank").select_related("entry"))
    assert [r.entry.title for r in ranked] == list(QUALITY)
    assert [r.prize_label for r in ranked] == ["Juara I", "Juara harapan I", "Peserta", "Peserta"]
    best = ranked[0]
    rounds = best.breakdown["rounds"]
    weighted = sum(Decimal(item["score"]) * Decimal(item["weight"]) for item in rounds)
    assert best.final_score == scoring.round2(weighted / sum(Decimal(item["weight"]) for item in rounds))
    assert ranked[2].breakdown["decided_by"] == "stage"
    competition.refresh_from_db()
    assert competition.status == Competition.Status.RESULTS
    assert best.entry.entrant.has_perm("competitions.view_entry_scores", best.entry)


def test_results_wait_until_every_round_is_closed(judged):
    competition, admin = judged
    with time_machine.travel(at(5, 7), tick=False), pytest.raises(ValidationError):
        results.results_publish(competition=competition, actor=admin)


def test_entrants_do_not_see_scores_before_publication(judged):
    competition, _admin = judged
    entry = competition.entries.first()
    assert not entry.entrant.has_perm("competitions.view_entry_scores", entry)


@pytest.fixture
def published(judged):
    competition, admin = judged
    with time_machine.travel(at(5, 11), tick=False):
        results.results_publish(competition=competition, actor=admin)
    return Competition.objects.get(pk=competition.pk), admin


def test_certificates_are_built_as_a_job_and_can_be_verified(published):
    competition, admin = published
    job = documents.certificates_start(competition=competition, actor=admin, include_participants=True)
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (Job.Status.SUCCEEDED, 6, 6)  # 2 awards + 4 participants
    award = Certificate.objects.get(entry__title="Kebun Gizi", kind=Certificate.Kind.AWARD)
    content = award.file.read()
    assert hashlib.sha256(content).hexdigest() == award.sha256
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert award.code in text and "Juara I" in text and award.recipient_name in text
    assert documents.certificate_matches(award, SimpleUploadedFile("s.pdf", content))
    assert not documents.certificate_matches(award, SimpleUploadedFile("s.pdf", content + b"\n"))
    documents.certificate_revoke(certificate=award, actor=admin, reason="Plagiat terbukti.")
    award.refresh_from_db()
    assert not award.is_valid and award.revoked_reason == "Plagiat terbukti."


def test_the_minutes_list_the_ranking_and_the_jury(published):
    competition, admin = published
    job = documents.minutes_start(competition=competition, actor=admin)
    job.refresh_from_db()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(job.result_file.open("rb")).pages).split())
    assert "BERITA ACARA" in text.upper() and "Juri Keras" in text
    assert "Kebun Gizi" in text and "Juara I" in text


def test_winners_become_innovation_records_once_with_the_award_as_evidence(world, published):
    competition, admin = published
    documents.certificates_start(competition=competition, actor=admin, include_participants=False)
    innovations, warnings = documents.winners_convert(competition=competition, actor=admin, unit=world.unit)
    assert warnings == []
    assert sorted(i.name for i in innovations) == ["Kebun Gizi", "Pupuk Kulit Kopi"]
    innovation = Innovation.objects.get(name="Kebun Gizi")
    entry = Entry.objects.get(title="Kebun Gizi")
    assert entry.innovation == innovation and innovation.unit == world.unit
    assert innovation.initiator_kind == Innovation.InitiatorKind.CITIZEN
    assert innovation.team.filter(user=entry.entrant).exists()
    award = Attachment.objects.get(innovation=innovation, kind=Attachment.Kind.AWARD)
    assert award.sha256 == entry.certificates.get().sha256
    assert Document.objects.filter(region=world.region, sha256=award.sha256, source="competitions").exists()
    again, _warnings = documents.winners_convert(competition=competition, actor=admin, unit=world.unit)
    assert [i.pk for i in again] == [i.pk for i in innovations]
    assert Attachment.objects.filter(kind=Attachment.Kind.AWARD).count() == 2
    assert Document.objects.filter(source="competitions").count() == 2


def test_a_citizen_winner_needs_a_unit_to_foster_it(published):
    competition, admin = published
    entry = Entry.objects.get(title="Kebun Gizi")
    with pytest.raises(ValidationError):
        documents.entry_convert(entry=entry, actor=admin)
