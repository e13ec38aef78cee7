"""Pages and forms: who reaches what, bad input kept with a clear message, and query counts that
do not grow with the number of innovations."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.actions.models import Action
from lumbung.assessment import evidence, services
from lumbung.assessment.models import Document, EvidenceLink, OfficialResult, RowStatus
from lumbung.core.models import StagedUpload
from lumbung.core.roles import Role
from tests.caches import forget_cached

from .factories import DocumentFactory, enter, pdf_file, png_file


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def row_url(row, name="assessment:row-detail"):
    return reverse(name, args=[row.scope, row.pk])


class TestPagesRender:
    @pytest.mark.parametrize("role", ["admin", "verifier", "leader", "operator"])
    def test_assessment_pages(self, role, as_user, world, assessment, entry, rows):
        client = as_user(world.user(role))
        for name in ("detail", "entries", "region-rows", "matrix", "library", "actions"):
            response = client.get(reverse(f"assessment:{name}", args=[assessment.pk]))
            assert response.status_code == 200, name
        assert client.get(reverse("assessment:entry-detail", args=[entry.pk])).status_code == 200
        assert client.get(row_url(rows["16"])).status_code == 200
        assert client.get(reverse("assessment:index")).status_code == 200

    @pytest.mark.parametrize("role", ["admin", "verifier", "leader"])
    def test_planner_and_dashboard(self, role, as_user, world, assessment, entry):
        client = as_user(world.user(role))
        response = client.get(reverse("assessment:planner", args=[assessment.pk]))
        assert response.status_code == 200
        assert "Tindakan yang paling menaikkan indeks" in response.content.decode()
        assert client.get(reverse("assessment:dashboard")).status_code == 200
        assert client.get(reverse("assessment:results")).status_code == 200

    def test_operators_do_not_reach_the_planner(self, as_user, world, assessment):
        response = as_user(world.user(Role.OPERATOR)).get(reverse("assessment:planner", args=[assessment.pk]))
        assert response.status_code == 403

    def test_the_home_page_shows_the_panels(self, as_user, world, assessment, rows, operator, verifier, admin):
        services.answer_set(row=rows["16"], level=2, actor=operator)
        services.row_transition(row=rows["16"], action="reject", actor=verifier, reason="wrong_document")
        page = as_user(operator).get(reverse("core:home")).content.decode()
        assert "yang perlu Anda perbaiki" in page and "Sistem Antrean Puskesmas Daring" in page
        page = as_user(world.user(Role.LEADER)).get(reverse("core:home")).content.decode()
        assert "IID terverifikasi" in page


class TestRowPermissions:
    """Role × view × someone else's row."""

    def test_an_operator_answers_rows_of_their_unit_only(self, as_user, world, assessment, admin, rows, operator):
        client = as_user(operator)
        response = client.post(row_url(rows["17"]), {"level": "2"})
        assert response.status_code == 302
        other = enter(assessment, admin, unit=world.sibling_unit).answers.first()
        assert client.get(row_url(other)).status_code == 404
        assert client.post(row_url(other), {"level": "2"}).status_code == 404
        other.refresh_from_db()
        assert other.level == 0

    def test_a_verifier_cannot_answer_and_an_operator_cannot_judge(self, as_user, world, rows, operator, verifier):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        assert as_user(verifier).post(row_url(rows["17"]), {"level": "3"}).status_code == 403
        response = as_user(operator).post(row_url(rows["17"], "assessment:row-transition"), {"action": "accept"})
        assert response.status_code == 302
        rows["17"].refresh_from_db()
        assert rows["17"].status == RowStatus.CLAIMED

    def test_the_author_of_a_claim_is_refused_the_verdict_with_a_clear_message(self, as_user, rows, admin):
        row = rows["17"]
        services.answer_set(row=row, level=2, actor=admin)
        client = as_user(admin)
        page = client.get(row_url(row)).content.decode()
        assert "verifikator lain" in page and 'value="reject"' not in page
        url = row_url(row, "assessment:row-transition")
        response = client.post(url, {"action": "reject", "reason": "not_signed"}, follow=True)
        assert "verifikator lain" in response.content.decode()
        row.refresh_from_db()
        assert row.status == RowStatus.CLAIMED

    def test_a_leader_reads_but_changes_nothing(self, as_user, world, rows):
        client = as_user(world.user(Role.LEADER))
        page = client.get(row_url(rows["17"])).content.decode()
        assert "Simpan jawaban" not in page
        assert client.post(row_url(rows["17"]), {"level": "3"}).status_code == 403

    def test_another_regions_admin_gets_404(self, as_user, world, rows):
        assert as_user(world.other_admin).get(row_url(rows["17"])).status_code == 404

    def test_a_verifier_rejects_with_a_reason_and_the_unit_sees_it(self, as_user, rows, operator, verifier):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        url = row_url(rows["17"], "assessment:row-transition")
        response = as_user(verifier).post(url, {"action": "reject", "reason": "", "note": "kurang"})
        assert response.status_code == 400
        assert "Pilih alasan ketidaksesuaian." in response.content.decode()
        as_user(verifier).post(url, {"action": "reject", "reason": "not_signed", "note": "Belum TTE Kepala Dinas"})
        page = as_user(operator).get(row_url(rows["17"])).content.decode()
        assert "Dokumen belum ditandatangani atau disahkan" in page and "Belum TTE Kepala Dinas" in page


class TestUploads:
    def upload(self, client, row, **fields):
        data = {"title": "SK Tim Pelaksana Inovasi", "year": "2026", "number": "", "subject": "", "issued_on": ""}
        data.update(fields)
        return client.post(row_url(row, "assessment:row-upload"), data)

    def test_a_valid_upload_is_filed_and_attached(self, as_user, rows, operator):
        response = self.upload(as_user(operator), rows["17"], file=pdf_file())
        assert response.status_code == 302
        link = EvidenceLink.objects.get()
        assert link.answer == rows["17"] and link.document.sha256

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("sk.pdf", b"MZ" + b"\x00" * 300), "bukan PDF"),
            (SimpleUploadedFile("sk.pdf", b"%PDF-1.4 terpotong"), "rusak"),
            (png_file("foto.png"), "tidak diterima"),
        ],
    )
    def test_bad_files_get_a_clear_message_and_nothing_is_saved(self, as_user, rows, operator, upload, message):
        response = self.upload(as_user(operator), rows["17"], file=upload)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Document.objects.count() == 0 and EvidenceLink.objects.count() == 0

    def test_a_valid_file_survives_a_mistake_elsewhere(self, as_user, rows, operator):
        client = as_user(operator)
        response = self.upload(client, rows["17"], file=pdf_file(), title="")
        assert response.status_code == 400
        staged = StagedUpload.objects.get(owner=operator)
        assert "tidak perlu mengunggah ulang" in response.content.decode()
        response = self.upload(client, rows["17"], **{"file__staged": str(staged.pk)})
        assert response.status_code == 302
        assert Document.objects.get().original_name == "sk-inovasi.pdf"

    @pytest.mark.parametrize("where", ["library", "row"])
    def test_a_document_year_after_next_year_is_refused_and_the_file_is_kept(
        self, as_user, assessment, rows, operator, where
    ):
        client = as_user(operator)
        data = {"title": "SK Tim Pelaksana Inovasi", "year": "2999", "file": pdf_file()}
        url = reverse("assessment:library", args=[assessment.pk]) if where == "library" else None
        response = client.post(url, data) if url else self.upload(client, rows["17"], **data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Tahun dokumen harus antara 2000 dan" in html and "tidak perlu mengunggah ulang" in html
        staged = StagedUpload.objects.get(owner=operator)
        data.update({"year": "2026", "file__staged": str(staged.pk)})
        del data["file"]
        response = client.post(url, data) if url else self.upload(client, rows["17"], **data)
        assert response.status_code == 302
        assert Document.objects.get().original_name == "sk-inovasi.pdf"

    def test_a_year_outside_the_rule_removes_the_new_document_again(self, as_user, rows, operator):
        response = self.upload(as_user(operator), rows["17"], file=pdf_file(), year="2019")
        assert response.status_code == 400
        assert "meminta dokumen tahun 2024, 2025, 2026" in response.content.decode()
        assert Document.objects.count() == 0

    def test_a_link_only_where_allowed(self, as_user, rows, operator):
        response = self.upload(as_user(operator), rows["35"], link="https://youtu.be/inovasi-lambar", title="Video")
        assert response.status_code == 302
        response = self.upload(as_user(operator), rows["17"], link="https://youtu.be/x")
        assert response.status_code == 400

    def test_the_download_is_permission_checked(self, as_user, world, rows, operator):
        self.upload(as_user(operator), rows["17"], file=pdf_file())
        document = Document.objects.get()
        url = reverse("assessment:document-download", args=[document.pk])
        response = as_user(operator).get(url)
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert as_user(world.user(Role.JUDGE)).get(url).status_code == 403
        assert as_user(world.other_admin).get(url).status_code == 404


class TestLibrary:
    def test_upload_to_the_library_and_recognise_a_duplicate(self, as_user, assessment, admin):
        client = as_user(admin)
        url = reverse("assessment:library", args=[assessment.pk])
        data = {"title": "Perbup Inovasi Daerah", "year": "2025"}
        assert client.post(url, {**data, "file": pdf_file()}).status_code == 302
        response = client.post(url, {**data, "title": "Salinan", "file": pdf_file("lagi.pdf")}, follow=True)
        assert "sudah ada di pustaka" in response.content.decode()
        assert Document.objects.count() == 1

    def test_bulk_attach_panel_and_attach(self, as_user, world, assessment, admin, operator, entry):
        second = enter(assessment, admin, unit=world.unit)
        document = DocumentFactory(region=world.region, uploaded_by=operator, title="SK Tim Inovasi Diskominfo")
        client = as_user(operator)
        url = reverse("assessment:bulk-attach", args=[assessment.pk])
        panel = client.get(url, {"documents": [document.pk], "indikator": "17"}, HTTP_HX_REQUEST="true")
        assert panel.status_code == 200
        html = panel.content.decode()
        assert entry.innovation.name in html and second.innovation.name in html
        targets = [f"inovasi-{e.answers.get(indicator__code='17').pk}" for e in (entry, second)]
        response = client.post(url, {"documents": [document.pk], "rows": targets}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and response["HX-Redirect"].endswith(f"/{assessment.pk}/pustaka/")
        assert EvidenceLink.objects.filter(document=document).count() == 2

    def test_bulk_attach_offers_no_rows_of_other_units(self, as_user, world, assessment, admin, operator):
        foreign = enter(assessment, admin, unit=world.sibling_unit)
        document = DocumentFactory(region=world.region, uploaded_by=operator)
        client = as_user(operator)
        url = reverse("assessment:bulk-attach", args=[assessment.pk])
        assert foreign.innovation.name not in client.get(url, {"documents": [document.pk]}).content.decode()
        row = foreign.answers.get(indicator__code="17")
        client.post(url, {"documents": [document.pk], "rows": [f"inovasi-{row.pk}"]})
        assert EvidenceLink.objects.count() == 0

    def test_replace_a_document_through_the_page(self, as_user, admin, world):
        document = evidence.document_store(region=world.region, actor=admin, title="SK", year=2026, file=pdf_file())
        client = as_user(admin)
        response = client.post(
            reverse("assessment:document-replace", args=[document.pk]), {"file": pdf_file(salt="v2"), "note": "ttd"}
        )
        assert response.status_code == 302
        assert Document.objects.get(replaces=document)


class TestMatrixAndExports:
    def test_the_matrix_and_its_excel(self, as_user, assessment, rows, operator, admin):
        services.answer_set(row=rows["16"], level=3, actor=operator)
        client = as_user(admin)
        page = client.get(reverse("assessment:matrix", args=[assessment.pk])).content.decode()
        assert "Kekurangan indikator wajib" in page
        response = client.get(reverse("assessment:matrix-export", args=[assessment.pk]))
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = workbook["Matriks kelengkapan"]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header = values[1]
        assert header[:2] == ["Inovasi", "Perangkat daerah"] and "16*" in header
        assert values[2][header.index("16*")] == "! Diklaim (3)"  # mandatory, claimed without evidence
        gaps = [row[2] for row in workbook["Kekurangan wajib"].iter_rows(min_row=3, values_only=True)]
        assert set(gaps) == {"16", "17", "32", "33", "35"}

    def test_filter_by_unit(self, as_user, world, assessment, admin, entry):
        other = enter(assessment, admin, unit=world.sibling_unit, name="Posyandu Digital Pekon")
        page = as_user(admin).get(reverse("assessment:matrix", args=[assessment.pk]), {"unit": world.unit.pk})
        html = page.content.decode()
        assert entry.innovation.name in html and other.innovation.name not in html


class TestQueryCounts:
    @pytest.mark.parametrize(
        "name", ["assessment:entries", "assessment:matrix", "assessment:detail", "assessment:planner",
                 "assessment:library", "assessment:matrix-export", "assessment:actions"],
    )  # fmt: skip
    def test_pages_do_not_grow_with_the_number_of_innovations(
        self, name, as_user, world, assessment, admin, django_assert_max_num_queries
    ):
        client = as_user(admin)
        url = reverse(name, args=[assessment.pk])
        enter(assessment, admin, unit=world.unit)
        DocumentFactory(region=world.region, uploaded_by=admin)
        client.get(url)  # warm caches (spec per framework revision, session)
        forget_cached()  # both reads compute the cached figures (core.caching)
        with django_assert_max_num_queries(40) as small:
            client.get(url)
        for _ in range(8):
            enter(assessment, admin, unit=world.sibling_unit)
            DocumentFactory(region=world.region, uploaded_by=admin)
        forget_cached()
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(url)

    def test_dashboard(self, as_user, world, assessment, admin, django_assert_max_num_queries):
        client = as_user(world.user(Role.LEADER))
        enter(assessment, admin, unit=world.unit)
        client.get(reverse("assessment:dashboard"))
        forget_cached()  # both reads compute the cached figures (core.caching)
        with django_assert_max_num_queries(40) as small:
            client.get(reverse("assessment:dashboard"))
        for _ in range(8):
            enter(assessment, admin, unit=world.sibling_unit)
        forget_cached()
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("assessment:dashboard"))


class TestPlannerViews:
    def test_what_if_computes_without_saving(self, as_user, world, assessment, entry, admin):
        client = as_user(admin)
        before = list(assessment.region_answers.values_list("level", flat=True))
        data = {"spd-8": "3", f"inv-{entry.pk}-35": "3", f"aff-{entry.pk}": "kesehatan", "base_iid": "0.00"}
        response = client.post(reverse("assessment:whatif", args=[assessment.pk]), data, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        # SPD 1.5 × 3 + (4 × 3) / 12 = 5.5 of 250 = 2.20
        assert "2,20" in html and "+2,20" in html
        assert list(assessment.region_answers.values_list("level", flat=True)) == before

    def test_what_if_refuses_unknown_rows(self, as_user, assessment, admin):
        response = as_user(admin).post(reverse("assessment:whatif", args=[assessment.pk]), {"spd-99": "3"})
        assert response.status_code == 400 and "99" in response.content.decode()

    def test_assign_an_action_and_the_unit_finishes_it(self, as_user, world, assessment, entry, admin, operator):
        client = as_user(admin)
        data = {
            "prefix": "a0", "a0-description": "Lengkapi SK tim", "a0-unit": world.unit.pk, "a0-due_date": "2099-07-01",
            "a0-gain": "1.25", "a0-kind": "fill_mandatory", "a0-indicator_code": "17", "a0-entry": entry.pk,
        }  # fmt: skip
        assert client.post(reverse("assessment:action-create", args=[assessment.pk]), data).status_code == 302
        item = Action.objects.get()
        assert (item.unit, item.innovation, item.indicator_code) == (world.unit, entry.innovation, "17")
        page = as_user(operator).get(reverse("assessment:actions", args=[assessment.pk])).content.decode()
        assert "Lengkapi SK tim" in page
        as_user(operator).post(reverse("assessment:action-transition", args=[item.pk]), {"action": "finish"})
        item.refresh_from_db()
        assert item.status == Action.Status.DONE and item.events.count() == 2

    def test_a_refused_assignment_keeps_what_the_admin_typed(self, as_user, world, assessment, admin):
        data = {
            "prefix": "a0", "a0-description": "Lengkapi SK tim, catatan khusus", "a0-unit": world.unit.pk,
            "a0-due_date": "2000-01-01", "a0-gain": "1.25", "a0-kind": "fill_mandatory", "a0-indicator_code": "17",
        }  # fmt: skip
        response = as_user(admin).post(reverse("assessment:action-create", args=[assessment.pk]), data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Tenggat tidak boleh sebelum hari ini." in html and "Lengkapi SK tim, catatan khusus" in html
        assert 'value="2000-01-01"' in html and f'<option value="{world.unit.pk}" selected>' in html
        assert not Action.objects.exists()

    def test_the_planner_loads_an_assignment_form_only_when_opened(self, as_user, world, assessment, entry, admin):
        client = as_user(admin)
        page = client.get(reverse("assessment:planner", args=[assessment.pk])).content.decode()
        # Links with the prefilled values, no unit lists: the page stays light with many actions.
        assert "Buka formulir penugasan" in page and '<select name="a0-unit"' not in page
        query = {"description": "Lengkapi SK tim", "gain": "1.25", "kind": "fill_mandatory",
                 "indicator_code": "17", "unit": world.unit.pk, "entry": entry.pk, "prefix": "a0"}  # fmt: skip
        url = reverse("assessment:action-new", args=[assessment.pk])
        fragment = client.get(url, query, HTTP_HX_REQUEST="true")
        html = fragment.content.decode()
        assert fragment.templates[0].name == "assessment/_assign_form.html"
        assert "Lengkapi SK tim" in html and f'<option value="{world.unit.pk}" selected>' in html
        assert world.other_unit.name not in html  # only the region's own units are offered
        full = client.get(url, query)
        assert full.templates[0].name == "assessment/action_new.html" and 'name="a0-due_date"' in full.content.decode()

    def test_a_step_already_assigned_says_so_in_the_planner(self, as_user, world, assessment, entry, admin):
        from lumbung.assessment import planning

        plan, data = planning.plan_for(assessment)
        top = plan.actions[0]
        _row, innovation, _unit = planning.action_target(top, data)
        client = as_user(admin)
        url = reverse("assessment:planner", args=[assessment.pk])
        assert "sudah ditugaskan" not in client.get(url).content.decode()
        services.planned_action_create(
            assessment=assessment, actor=admin, description="x", gain=top.gain, kind=top.kind,
            innovation=innovation, indicator_code=top.row_code or "", unit=world.sibling_unit,
        )  # fmt: skip
        page = client.get(url).content.decode()
        assert page.count("sudah ditugaskan ke Dinkes") == 1

    def test_an_operator_of_another_unit_does_not_see_the_action(self, as_user, world, assessment, admin):
        from tests.factories import user_with_role

        services.planned_action_create(assessment=assessment, actor=admin, description="X", gain=1, unit=world.unit)
        other = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
        page = as_user(other).get(reverse("assessment:actions", args=[assessment.pk])).content.decode()
        assert "Belum ada tindakan" in page


class TestAssessmentAdmin:
    def test_create_with_stage_dates_and_lock(self, as_user, world, admin):
        from .factories import framework_2026

        framework_2026()
        client = as_user(admin)
        response = client.post(reverse("assessment:create"), {
            "year": "2026", "collection_starts": "2026-06-01", "collection_ends": "2026-05-01",
        })  # fmt: skip
        assert response.status_code == 200 and "sebelum tanggal mulainya" in response.content.decode()
        response = client.post(reverse("assessment:create"), {"year": "2026", "collection_starts": "2026-06-01",
                                                             "collection_ends": "2026-08-22"})  # fmt: skip
        assessment = world.region.assessments.get()
        assert response.status_code == 302 and assessment.region_answers.count() == 20
        client.post(reverse("assessment:transition", args=[assessment.pk]), {"action": "lock"})
        assessment.refresh_from_db()
        assert assessment.status == "locked"

    def test_official_results_are_entered_by_the_admin(self, as_user, world, admin):
        client = as_user(admin)
        client.post(
            reverse("assessment:results"), {"year": "2021", "iid": "62,17", "rank": "1", "predicate": "Sangat Inovatif"}
        )
        assert OfficialResult.objects.get(year=2021).rank == 1
        response = as_user(world.user(Role.LEADER)).post(reverse("assessment:results"), {"year": "2020", "rank": "6"})
        assert response.status_code == 403


def test_the_row_page_does_not_grow_with_the_library(client, world, rows, operator, django_assert_max_num_queries):
    client.force_login(operator)
    url = row_url(rows["17"])
    DocumentFactory(region=world.region, uploaded_by=operator)
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    for _ in range(10):
        DocumentFactory(region=world.region, uploaded_by=operator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_verification_queue_lists_waiting_rows_oldest_first(client, world, assessment, rows, operator, admin):
    services.answer_set(row=rows["17"], level=2, actor=operator)
    services.answer_set(row=rows["16"], level=3, actor=operator)
    spd = assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="8")
    services.answer_set(row=spd, level=3, actor=admin)
    client.force_login(world.user(Role.VERIFIER))
    page = client.get(reverse("assessment:queue", args=[assessment.pk])).content.decode()
    assert page.index("SPD indikator 8") < page.index("Sistem Antrean Puskesmas Daring — 17") < page.index("— 16")
    assert (
        client.get(reverse("assessment:queue", args=[assessment.pk]), {"unit": world.sibling_unit.pk}).status_code
        == 200
    )
    client.force_login(operator)
    assert client.get(reverse("assessment:queue", args=[assessment.pk])).status_code == 403
