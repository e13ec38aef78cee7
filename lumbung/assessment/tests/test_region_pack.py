"""The region's submission pack: the pre-flight report (figures equal to the engine's on the same
data), the ZIP's contents and order, rejected and unverified evidence left out and listed, the
worker job, memory that stays flat with large files, and who may build or read it."""

import io
import tempfile
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.assessment import evidence, preflight, regionpack, services
from lumbung.assessment.models import Document
from lumbung.core.models import Job
from lumbung.frameworks.engine import InnovationInput, compute
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.models import Attachment

from .factories import DocumentFactory, affair, claim_with_evidence, enter

pytestmark = pytest.mark.django_db
D = Decimal


def _rows(entry):
    return {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}


def _spd(assessment, code):
    return assessment.region_answers.select_related("indicator", "assessment").get(indicator__code=code)


@pytest.fixture
def region(assessment, entry, admin, verifier, world):
    """One innovation with an accepted, a rejected and a waiting row; SPD 12 accepted, SPD 1
    rejected; a budget attachment on the profile."""
    rows = _rows(entry)
    claim_with_evidence(rows["16"], actor=admin, level=3, title="Perbup Inovasi Daerah", year=2025)
    claim_with_evidence(rows["17"], actor=admin, level=2, title="SK Tim Inovasi", year=2026)
    claim_with_evidence(rows["18"], actor=admin, level=1, title="DPA tahun lalu", year=2026)
    services.row_transition(row=rows["16"], action="accept", actor=verifier)
    services.row_transition(
        row=rows["17"], action="reject", actor=verifier, reason="name_missing", note="Nama tidak ada"
    )
    spd12, spd1 = _spd(assessment, "12"), _spd(assessment, "1")
    claim_with_evidence(spd12, actor=admin, level=3, title="SK Penghargaan Inovator", year=2026)
    claim_with_evidence(spd1, actor=admin, level=3, title="RPJMD", year=2025)
    services.row_transition(row=spd12, action="accept", actor=verifier)
    services.row_transition(row=spd1, action="reject", actor=verifier, reason="wrong_document")
    Attachment.objects.create(
        innovation=entry.innovation, kind=Attachment.Kind.BUDGET, title="RKA Diskominfo 2026",
        file=ContentFile(b"%PDF-1.4 budget", name="rka.pdf"), original_name="rka.pdf",
        content_type="application/pdf", size=15, sha256="a" * 64, uploaded_by=admin,
    )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def _engine_on_accepted(assessment):
    """The engine fed by hand: accepted rows with evidence at their level, everything else 0."""
    spec = spec_for(assessment.framework)
    spd = {row.indicator.code: row.level if row.status == "accepted" else 0 for row in assessment.region_answers.all()}
    items = []
    for entry in assessment.entries.filter(is_eligible=True):
        innovation = entry.innovation
        affairs = frozenset({innovation.main_affair.code, *(a.code for a in innovation.related_affairs.all())})
        levels = {row.indicator.code: row.level if row.status == "accepted" else 0 for row in entry.answers.all()}
        items.append(InnovationInput(str(entry.pk), affairs, levels))
    return compute(spec, spd, items)


def test_the_report_figure_is_the_engines_on_what_is_packed(region):
    check = preflight.run(region)
    expected = _engine_on_accepted(region)
    assert check.result.iid == expected.iid and check.result.iid > 0
    assert check.result.spd_score == D(2 * 3)  # SPD 12: weight 2 × level 3; SPD 1 rejected
    # Here every accepted row has evidence in its window: the pack's IID is the verified one.
    assert check.result.iid == D(region.figures["verified"]["iid"])


def test_the_report_names_rejected_waiting_and_mandatory_rows(region, entry):
    check = preflight.run(region)
    found = {(row.scope, row.code): row for _entry, row in check.problem_rows()}
    assert preflight.Issue.REJECTED in found[("inovasi", "17")].issues
    assert "Nama inovasi tidak tercantum dalam dokumen (Nama tidak ada)" in " ".join(found[("inovasi", "17")].details())
    assert preflight.Issue.UNVERIFIED in found[("inovasi", "18")].issues
    assert preflight.Issue.REJECTED in found[("spd", "1")].issues
    assert ("inovasi", "16") not in found  # accepted with evidence: nothing to say
    mandatory = {code for (scope, code), row in found.items() if preflight.Issue.MANDATORY_MISSING in row.issues}
    assert "17" in mandatory and "16" not in mandatory
    left_out = {item.title for _entry, row in check.all_rows() for item in row.not_packed()}
    assert left_out == {"SK Tim Inovasi", "DPA tahun lalu", "RPJMD"}


def test_evidence_past_its_year_window_is_flagged_and_the_row_counts_zero(region, entry, verifier, admin):
    row = _rows(entry)["19"]
    claim_with_evidence(row, actor=admin, level=2, title="Foto alat kerja", year=2026)
    services.row_transition(row=row, action="accept", actor=verifier)
    Document.objects.filter(title="Foto alat kerja").update(year=2019)  # corrected after the verdict
    check = preflight.run(region)
    flagged = next(r for _e, r in check.problem_rows() if r.code == "19")
    assert flagged.issues[:1] == [preflight.Issue.PAST_WINDOW] and flagged.packed_level == 0
    assert "Foto alat kerja (2019)" in " ".join(flagged.details())
    region.refresh_from_db()
    assert check.result.iid < D(region.figures["verified"]["iid"])


def _zip(region):
    target = io.BytesIO()
    steps = []
    summary = regionpack.build_region_pack(
        region, target, progress=lambda done, total, message="": steps.append((done, total))
    )
    return zipfile.ZipFile(target), summary, steps


def test_the_pack_holds_the_report_first_then_the_workbook_spd_and_each_innovation(region, entry, world, admin):
    second = enter(region, admin, unit=world.unit, name="Zona Lapor Pekon")
    archive, summary, steps = _zip(region)
    names = archive.namelist()
    assert names[:2] == [regionpack.REPORT_NAME, regionpack.WORKBOOK_NAME]
    assert "SPD/16_ind12_1_sk-penghargaan-inovator.pdf" in names
    assert not any(name.startswith("SPD/01_ind1_") for name in names), "rejected SPD evidence is not packed"
    first = "inovasi/001_sistem-antrean-puskesmas-daring"
    ours = [name for name in names if name.startswith(first)]
    assert ours == [
        f"{first}/",
        f"{first}/profil/19_anggaran_1_rka-diskominfo-2026.pdf",
        f"{first}/eviden/21_ind16_1_perbup-inovasi-daerah.pdf",
    ]
    assert archive.read(f"{first}/eviden/21_ind16_1_perbup-inovasi-daerah.pdf").startswith(b"%PDF")
    assert [name for name in names if name.startswith("inovasi/002_")] == [
        "inovasi/002_zona-lapor-pekon/"  # nothing accepted yet: an empty folder
    ]
    assert second.innovation.name == "Zona Lapor Pekon"
    assert summary["files"] == 2 and summary["iid"] == str(preflight.run(region).result.iid)
    assert steps[-1][0] == steps[-1][1]

    report = load_workbook(io.BytesIO(archive.read(regionpack.REPORT_NAME)))
    summary_rows = {row[0]: row[1] for row in report["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    assert D(str(summary_rows["IID dari isi paket"])) == preflight.run(region).result.iid
    left_out = [row[3] for row in report["Eviden tidak dikemas"].iter_rows(min_row=3, values_only=True)]
    assert sorted(left_out) == ["DPA tahun lalu", "RPJMD", "SK Tim Inovasi"]

    workbook = load_workbook(io.BytesIO(archive.read(regionpack.WORKBOOK_NAME)))
    rows = list(workbook["Indikator inovasi"].iter_rows(min_row=3, values_only=True))
    sixteen = next(row for row in rows if row[0] == first and row[2] == "16")
    assert sixteen[9] == "ya" and sixteen[10] == f"{first}/eviden/21_ind16_1_perbup-inovasi-daerah.pdf"
    seventeen = next(row for row in rows if row[0] == first and row[2] == "17")
    assert seventeen[9] == "tidak" and not seventeen[10]
    assert [row[0] for row in workbook["Indikator SPD"].iter_rows(min_row=3, values_only=True)][:3] == ["1", "2a", "2b"]
    profile = list(workbook["Profil inovasi"].iter_rows(min_row=3, values_only=True))
    assert profile[0][1:5] == (entry.innovation.name, "1", "Nama Pemda", region.region.name)


def test_memory_stays_flat_with_large_evidence_files(region, entry, admin, verifier, world):
    """Three 6 MB files: the pack streams them, it never holds one in memory."""
    rows = _rows(entry)
    big = b"%PDF-1.4\n" + bytes(range(256)) * (6 * 4096)
    for number, code in enumerate(("20", "21", "22")):
        document = DocumentFactory(region=world.region, uploaded_by=admin, year=2026,
                                   file=ContentFile(big + bytes([number]), name=f"besar-{code}.pdf"))  # fmt: skip
        services.answer_set(row=rows[code], level=1, actor=admin)
        evidence.evidence_link(document=document, row=rows[code], actor=admin)
        services.row_transition(row=rows[code], action="accept", actor=verifier)
    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as target:
            regionpack.build_region_pack(region, target)
            size = target.tell()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 0
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for 18 MB of evidence"


def test_the_admin_builds_the_pack_as_a_job_and_downloads_it(client, region, admin):
    client.force_login(admin)
    response = client.post(reverse("assessment:region-pack", args=[region.pk]))
    job = Job.objects.get(kind="region_pack")
    assert response.url == reverse("core:job-detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.result["iid"] == str(preflight.run(region).result.iid)
    assert job.result_name == "paket-iga-2026-" + job.region.name.lower().replace(" ", "-") + ".zip"
    download = client.get(reverse("core:job-download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist()[0] == regionpack.REPORT_NAME
    page = client.get(reverse("assessment:preflight", args=[region.pk])).content.decode()
    assert f"IID paket {job.result['iid']}" in page


def test_the_page_shows_the_figure_and_a_page_of_problems(client, region, verifier, django_assert_max_num_queries):
    client.force_login(verifier)
    url = reverse("assessment:preflight", args=[region.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="packed-iid">{str(preflight.run(region).result.iid).replace(".", ",")}<' in page
    assert "Ditolak verifikator" in page and "SK Tim Inovasi (2026)" in page
    assert "Bangun paket seluruh pemda" not in page  # verifiers read, the admin builds
    narrowed = client.get(url, {"masalah": "unverified"}).content.decode()
    assert "DPA tahun lalu" in narrowed and "SK Tim Inovasi (2026)" not in narrowed
    export = client.get(reverse("assessment:preflight-export", args=[region.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_verifiers_may_not_build(client, region, verifier):
    client.force_login(verifier)
    assert client.post(reverse("assessment:region-pack", args=[region.pk])).status_code == 403
    assert not Job.objects.filter(kind="region_pack").exists()


def test_many_innovations_keep_the_page_to_a_fixed_number_of_queries(
    client, region, admin, world, django_assert_max_num_queries
):
    for number in range(30):
        enter(region, admin, unit=world.unit, name=f"Inovasi Pekon {number:02d}", main_affair=affair("kesehatan"))
    client.force_login(admin)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("assessment:preflight", args=[region.pk]), {"page": 2})
    assert response.status_code == 200


def test_the_evidence_file_names_follow_the_per_innovation_pack():
    assert preflight.evidence_file_name(21, "16", 1, "Peraturan Bupati Nomor 12", "evidence/x/abc.pdf") == (
        "21_ind16_1_peraturan-bupati-nomor-12.pdf"
    )
    assert preflight.years_allowed(["T-0", "T-1", "T-2"], 2026) == frozenset({2024, 2025, 2026})
