"""Read endpoints: what each role sees (the web's visible_to and rules), conditional GET,
cursor pages, filters and the error shape in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.assessment.evidence import evidence_upload
from lumbung.assessment.models import RowStatus
from lumbung.assessment.services import answer_set
from lumbung.assessment.tests.factories import enter, open_assessment, pdf_file
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation, TeamMember
from lumbung.innovations.tests.factories import InnovationFactory, ProgrammeFactory

from .conftest import ApiClient, make_token


def client_for(world, role, **kwargs):
    _token, raw = make_token(world.user(role), world.region, **kwargs)
    return ApiClient(raw)


def url(name, world, *args):
    return reverse(f"api:{name}", args=[world.region.code, *args])


@pytest.fixture
def records(world):
    admin = world.user(Role.ADMIN)
    published = InnovationFactory(region=world.region, unit=world.unit, status="published", created_by=admin)
    own_draft = InnovationFactory(region=world.region, unit=world.unit, created_by=admin)
    sibling_draft = InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=admin)
    return published, own_draft, sibling_draft


class TestInnovations:
    def test_visitors_see_published_innovations_with_public_fields_only(self, world, records, anonymous):
        published, *_drafts = records
        body = anonymous.get(url("innovation-list", world)).json()
        assert [row["id"] for row in body["results"]] == [published.pk]
        row = body["results"][0]
        assert row["internal"] is None and row["public_url"].endswith(f"/inovasi/{published.pk}/")
        assert "status" not in row and "created_by" not in row

    @pytest.mark.parametrize(
        ("role", "sees"),
        [
            (Role.ADMIN, {"published", "own", "sibling"}),
            (Role.VERIFIER, {"published", "own", "sibling"}),
            (Role.LEADER, {"published", "own", "sibling"}),
            (Role.OPERATOR, {"published", "own"}),  # the operator's unit; not the sibling unit's draft
            (Role.JUDGE, {"published"}),
            (Role.CITIZEN, {"published"}),
        ],
    )
    def test_each_role_sees_what_the_web_list_shows(self, world, records, role, sees):
        names = dict(zip(("published", "own", "sibling"), records, strict=True))
        body = client_for(world, role).get(url("innovation-list", world)).json()
        assert {row["id"] for row in body["results"]} == {names[key].pk for key in sees}
        visible_web = set(Innovation.objects.visible_to(world.user(role), world.region).values_list("pk", flat=True))
        assert {row["id"] for row in body["results"]} == visible_web

    def test_internal_fields_for_those_who_work_on_it(self, world, records):
        published, own_draft, sibling_draft = records
        operator = client_for(world, Role.OPERATOR)
        mine = operator.get(url("innovation-detail", world, own_draft.pk)).json()
        assert mine["internal"]["status"] == "draft" and mine["internal"]["is_editable"] is True
        assert operator.get(url("innovation-detail", world, sibling_draft.pk)).status_code == 404
        citizen = client_for(world, Role.CITIZEN).get(url("innovation-detail", world, published.pk)).json()
        assert citizen["internal"] is None

    def test_attachments_are_listed_with_the_checked_download_link_never_the_file(self, world, records):
        from django.core.files.base import ContentFile

        from lumbung.innovations.models import Attachment

        _published, own_draft, _sibling = records
        attachment = Attachment(
            innovation=own_draft, kind="budget", original_name="rab.pdf", content_type="application/pdf",
            size=10, sha256="a" * 64, uploaded_by=world.user(Role.ADMIN),
        )  # fmt: skip
        attachment.file.save("rab.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        body = client_for(world, Role.ADMIN).get(url("innovation-detail", world, own_draft.pk)).json()
        (listed,) = body["internal"]["attachments"]
        assert listed["download_url"].endswith(reverse("innovations:attachment-download", args=[attachment.pk]))
        assert "file" not in listed

    def test_filters_are_the_web_lists_filters(self, world, records):
        published, own_draft, _sibling = records
        Innovation.objects.filter(pk=own_draft.pk).update(stage="trial", name="Kopi Digital Sekala Brak")
        client = client_for(world, Role.ADMIN)
        by_stage = client.get(url("innovation-list", world), {"stage": "trial"}).json()["results"]
        assert [row["id"] for row in by_stage] == [own_draft.pk]
        by_status = client.get(url("innovation-list", world), {"status": "published"}).json()["results"]
        assert [row["id"] for row in by_status] == [published.pk]
        by_unit = client.get(url("innovation-list", world), {"unit": world.sibling_unit.pk}).json()["results"]
        assert own_draft.pk not in {row["id"] for row in by_unit}

    def test_a_bad_filter_is_a_400_with_the_field_named(self, world, records):
        response = client_for(world, Role.ADMIN).get(url("innovation-list", world), {"stage": "bulan", "year": "abc"})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid" and {"stage", "year"} <= set(error["fields"])

    def test_cursor_pages_walk_every_record_once(self, world, records):
        for index in range(5):
            InnovationFactory(region=world.region, unit=world.unit, status="published", name=f"Inovasi {index}")
        client = client_for(world, Role.ADMIN)
        seen, page_url, pages = [], url("innovation-list", world) + "?page_size=3", 0
        while page_url:
            body = client.get(page_url).json()
            seen += [row["id"] for row in body["results"]]
            page_url, pages = body["next"], pages + 1
        assert pages == 3
        assert (
            sorted(seen, reverse=True)
            == seen
            == sorted(Innovation.objects.filter(region=world.region).values_list("pk", flat=True), reverse=True)
        )

    def test_a_forged_cursor_is_a_404_not_a_crash(self, world, records):
        response = client_for(world, Role.ADMIN).get(url("innovation-list", world), {"cursor": "cD1hYmMmbz14eXo="})
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"

    def test_the_list_costs_the_same_queries_for_3_or_30_records(self, world, records):
        client = client_for(world, Role.ADMIN)

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url("innovation-list", world)).status_code == 200
            return len(queries)

        count()  # the token's first use writes its last-used time
        few = count()
        for index in range(27):
            InnovationFactory(region=world.region, unit=world.unit, name=f"Inovasi tambahan {index}")
        assert count() == few


class TestConditionalGet:
    def test_an_unchanged_answer_is_a_304_and_a_change_gives_a_new_etag(self, world, records, anonymous):
        published, *_ = records
        address = url("innovation-detail", world, published.pk)
        first = anonymous.get(address)
        etag = first["ETag"]
        again = anonymous.get(address, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        Innovation.objects.filter(pk=published.pk).update(name="Nama baru")
        changed = anonymous.get(address, HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200 and changed["ETag"] != etag

    def test_lists_carry_an_etag_too(self, world, records, anonymous):
        response = anonymous.get(url("innovation-list", world))
        assert anonymous.get(url("innovation-list", world), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


class TestErrorsInBothLanguages:
    def test_indonesian_by_default_english_when_asked(self, world, records):
        missing = url("innovation-detail", world, 999999)
        indonesian = ApiClient().get(missing)
        english = ApiClient(language="en-GB,en;q=0.8").get(missing)
        assert indonesian.status_code == english.status_code == 404
        assert indonesian.json() == {"error": {"code": "not_found", "message": "Data tidak ditemukan.", "fields": {}}}
        assert english.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
        assert english["Content-Language"] == "en" and indonesian["Content-Language"] == "id"

    def test_field_errors_follow_the_language(self, world, records):
        _token, raw = make_token(world.user(Role.ADMIN), world.region)
        body = {"name": "", "unit": world.unit.pk}
        indonesian = ApiClient(raw).post(url("innovation-list", world), body, content_type="application/json")
        english = ApiClient(raw, language="en").post(
            url("innovation-list", world), body, content_type="application/json"
        )
        assert indonesian.status_code == english.status_code == 400
        assert indonesian.json()["error"]["message"] == "Data tidak valid."
        assert english.json()["error"]["message"] == "Invalid data."
        assert indonesian.json()["error"]["fields"]["name"] == ["Bidang ini tidak boleh kosong."]
        assert english.json()["error"]["fields"]["name"] == ["This field is required."]

    def test_unreadable_json_and_unknown_addresses_keep_the_shape(self, world, records):
        _token, raw = make_token(world.user(Role.ADMIN), world.region)
        client = ApiClient(raw)
        broken = client.post(url("innovation-list", world), "{not json", content_type="application/json")
        assert broken.status_code == 400 and broken.json()["error"]["code"] == "parse_error"
        unknown = client.get("/api/v1/regions/18.04/innovations/abc/")
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
        region = client.get("/api/v1/regions/00.00/innovations/")
        assert region.status_code == 404 and "error" in region.json()


class TestOrganisationAndProgrammes:
    def test_units_for_staff_the_own_subtree_for_operators_none_for_visitors(self, world, anonymous):
        assert anonymous.get(url("unit-list", world)).status_code == 401
        everyone = {row["id"] for row in client_for(world, Role.ADMIN).get(url("unit-list", world)).json()["results"]}
        assert everyone == {world.unit.pk, world.sibling_unit.pk}
        operator = client_for(world, Role.OPERATOR).get(url("unit-list", world)).json()["results"]
        assert {row["id"] for row in operator} == {world.unit.pk}

    def test_programmes_and_compliance_for_readers_only(self, world):
        programme = ProgrammeFactory(region=world.region, created_by=world.user(Role.ADMIN))
        leader = client_for(world, Role.LEADER)
        assert [row["id"] for row in leader.get(url("programme-list", world)).json()] == [programme.pk]
        report = leader.get(url("programme-compliance", world, programme.pk)).json()
        assert report["programme"]["id"] == programme.pk and report["targets"] == len(report["rows"])
        operator = client_for(world, Role.OPERATOR)
        assert operator.get(url("programme-list", world)).json() == []
        assert operator.get(url("programme-compliance", world, programme.pk)).status_code == 404

    def test_regions_are_public(self, world, anonymous):
        codes = [row["code"] for row in anonymous.get(reverse("api:region-list")).json()]
        assert codes == sorted([world.region.code, world.other_region.code])


class TestAssessments:
    @pytest.fixture
    def assessment(self, world):
        admin = world.user(Role.ADMIN)
        assessment = open_assessment(world.region, admin)
        entry = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
        enter(assessment, admin, unit=world.sibling_unit, name="Posyandu Digital")
        row = entry.answers.select_related("indicator", "entry__assessment").order_by("indicator__order").first()
        answer_set(row=row, actor=admin, level=2)
        return assessment, row

    def test_figures_and_row_statuses_for_staff(self, world, assessment):
        assessment, claimed = assessment
        client = client_for(world, Role.VERIFIER)
        detail = client.get(url("assessment-detail", world, assessment.pk)).json()
        assert detail["year"] == 2026 and "claimed" in detail["figures"]
        assert detail["claimed_iid"] is not None
        rows = client.get(url("assessment-rows", world, assessment.pk), {"status": "claimed"}).json()
        assert [(row["id"], row["scope"], row["level"]) for row in rows] == [(claimed.pk, "inovasi", 2)]
        assert rows[0]["status"] == RowStatus.CLAIMED

    def test_an_operator_sees_the_spd_rows_and_only_the_own_units_innovation_rows(self, world, assessment):
        assessment, _claimed = assessment
        rows = client_for(world, Role.OPERATOR).get(url("assessment-rows", world, assessment.pk)).json()
        innovations = {row["innovation"] for row in rows if row["scope"] == "inovasi"}
        names = set(Innovation.objects.filter(pk__in=innovations).values_list("unit", flat=True))
        assert names == {world.unit.pk}
        assert any(row["scope"] == "spd" for row in rows)

    def test_citizens_and_visitors_see_no_assessment(self, world, assessment, anonymous):
        assessment, _ = assessment
        assert client_for(world, Role.CITIZEN).get(url("assessment-list", world)).json() == []
        assert client_for(world, Role.CITIZEN).get(url("assessment-detail", world, assessment.pk)).status_code == 404
        assert anonymous.get(url("assessment-list", world)).status_code == 401

    def test_evidence_metadata_links_to_the_checked_download(self, world, assessment):
        _assessment, row = assessment
        document = evidence_upload(
            row=row, actor=world.user(Role.ADMIN), title="SK Inovasi", year=2026, file=pdf_file()
        )
        client = client_for(world, Role.OPERATOR)
        listed = client.get(url("document-list", world)).json()["results"]
        assert [item["id"] for item in listed] == [document.pk]
        assert listed[0]["download_url"].endswith(reverse("assessment:document-download", args=[document.pk]))
        evidence = client.get(url("row-detail", world, "inovasi", row.pk)).json()["evidence"]
        assert [item["document"] for item in evidence] == [document.pk]
        assert client_for(world, Role.CITIZEN).get(url("document-list", world)).json()["results"] == []
        assert client_for(world, Role.CITIZEN).get(url("document-detail", world, document.pk)).status_code == 404


def test_team_names_are_not_in_the_public_answer(world, anonymous):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status="published")
    TeamMember.objects.create(innovation=innovation, official=world.official, role=TeamMember.Role.OWNER)
    body = anonymous.get(url("innovation-detail", world, innovation.pk)).content.decode()
    assert world.official.name not in body and world.official.nip not in body
