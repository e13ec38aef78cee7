"""Writes through the API go through the web's forms and services: the same records, the same
workflow events and history rows as the web pages, plus the token in the audit trail."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.api.models import ApiToken
from lumbung.assessment.models import AnswerEvent, Document, EvidenceLink, RowStatus
from lumbung.assessment.tests.factories import DocumentFactory, enter, open_assessment, pdf_file
from lumbung.core.roles import Role
from lumbung.innovations.models import GovernmentAffair, Innovation, InnovationEvent, TeamMember
from lumbung.innovations.tests.factories import InnovationFactory

from .conftest import ApiClient, make_token


@pytest.fixture
def affair(db):
    return GovernmentAffair.objects.get_or_create(
        code="kesehatan", defaults={"name": "Kesehatan", "kind": "basic_service"}
    )[0]


def profile(world, affair, name):
    return {
        "unit": world.unit.pk, "name": name, "stage": "initiative", "initiator_kind": "unit", "initiator_name": "",
        "is_digital": True, "form": "public_service", "main_affair": affair.pk, "related_affairs": [affair.pk],
        "goals": "Mempercepat layanan.",
    }  # fmt: skip


def record_of(innovation):
    """What a create leaves behind, without ids and times."""
    fields = {
        name: getattr(innovation, name)
        for name in ("unit_id", "stage", "initiator_kind", "is_digital", "form", "main_affair_id", "goals", "status")
    }
    return {
        **fields,
        "related": list(innovation.related_affairs.values_list("pk", flat=True)),
        "events": list(innovation.events.values_list("action", "from_state", "to_state", "actor_id")),
        "team": list(innovation.team.values_list("official_id", "role")),
        "history": innovation.history.count(),
    }


class TestInnovationWrites:
    def test_a_draft_made_through_the_api_matches_one_made_on_the_web_page(self, world, affair):
        innovator = world.user(Role.INNOVATOR)
        web = Client()
        web.force_login(innovator)
        form_data = {**profile(world, affair, "Lewat halaman"), "is_digital": "True"}
        assert web.post(reverse("innovations:create"), form_data).status_code == 302
        token, raw = make_token(innovator, world.region)
        response = ApiClient(raw).post(
            reverse("api:innovation-list", args=[world.region.code]),
            profile(world, affair, "Lewat API"),
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        by_web = Innovation.objects.get(name="Lewat halaman")
        by_api = Innovation.objects.get(name="Lewat API")
        assert response.json()["id"] == by_api.pk and response.json()["internal"]["status"] == "draft"
        assert record_of(by_api) == record_of(by_web)
        assert record_of(by_api)["team"] == [(innovator.official_id, TeamMember.Role.OWNER)]
        # The token is named on the audit rows of the API's write, and only there.
        event = by_api.events.get(action="create")
        assert event.data["api_token"] == token.pk
        assert "api_token" not in by_web.events.get(action="create").data
        assert by_api.history.get().history_change_reason.startswith(f"API token #{token.pk}")
        assert by_web.history.get().history_change_reason is None

    def test_an_invalid_draft_is_refused_with_the_forms_messages_and_nothing_saved(self, world, affair):
        _token, raw = make_token(world.user(Role.ADMIN), world.region)
        body = {**profile(world, affair, "Tanpa tanggal"), "stage": "trial", "unit": world.other_unit.pk}
        response = ApiClient(raw).post(
            reverse("api:innovation-list", args=[world.region.code]), body, content_type="application/json"
        )
        assert response.status_code == 400
        fields = response.json()["error"]["fields"]
        assert "unit" in fields  # another region's unit is not a choice
        assert not Innovation.objects.filter(name="Tanpa tanggal").exists()

    def test_wrong_json_types_are_a_400_not_a_crash(self, world, affair):
        _token, raw = make_token(world.user(Role.ADMIN), world.region)
        client = ApiClient(raw)
        address = reverse("api:innovation-list", args=[world.region.code])
        for body in ({"name": {"a": 1}}, {"unit": "satu"}, {"related_affairs": "x"}, [], "teks", {"latitude": "utara"}):
            response = client.post(address, body, content_type="application/json")
            assert response.status_code == 400, body
            assert response.json()["error"]["code"] in ("invalid", "parse_error")

    def test_patch_changes_only_what_is_sent_and_records_the_stage_change(self, world, affair):
        admin = world.user(Role.ADMIN)
        innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=admin, stage="initiative")
        token, raw = make_token(admin, world.region)
        address = reverse("api:innovation-detail", args=[world.region.code, innovation.pk])
        response = ApiClient(raw).patch(
            address, {"stage": "trial", "trial_date": "2024-03-01"}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        innovation.refresh_from_db()
        assert (innovation.stage, str(innovation.trial_date), innovation.goals) == (
            "trial",
            "2024-03-01",
            "Mempercepat layanan.",
        )
        stage_event = InnovationEvent.objects.get(innovation=innovation, action="stage")
        assert (stage_event.from_state, stage_event.to_state, stage_event.actor) == ("initiative", "trial", admin)
        assert stage_event.data["api_token"] == token.pk

    def test_a_submitted_innovation_cannot_be_edited(self, world):
        admin = world.user(Role.ADMIN)
        innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=admin, status="submitted")
        _token, raw = make_token(admin, world.region)
        address = reverse("api:innovation-detail", args=[world.region.code, innovation.pk])
        response = ApiClient(raw).patch(address, {"name": "Baru"}, content_type="application/json")
        assert response.status_code == 404  # change_innovation is refused: same answer as the web
        assert Innovation.objects.get(pk=innovation.pk).name == innovation.name

    def test_roles_that_cannot_create_on_the_web_cannot_through_the_api(self, world, affair):
        for role in (Role.VERIFIER, Role.LEADER, Role.JUDGE, Role.CITIZEN):
            _token, raw = make_token(world.user(role), world.region)
            response = ApiClient(raw).post(
                reverse("api:innovation-list", args=[world.region.code]),
                profile(world, affair, f"Oleh {role}"),
                content_type="application/json",
            )
            assert response.status_code == 403, role
        assert not Innovation.objects.exists()

    def test_visitors_get_401(self, world, affair, anonymous):
        response = anonymous.post(
            reverse("api:innovation-list", args=[world.region.code]),
            profile(world, affair, "x"),
            content_type="application/json",
        )
        assert response.status_code == 401


@pytest.fixture
def row(world):
    admin = world.user(Role.ADMIN)
    assessment = open_assessment(world.region, admin)
    entry = enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    return (
        entry.answers.select_related("indicator", "entry__assessment")
        .filter(indicator__thresholds=[], indicator__evidence_allows_link=False)
        .order_by("indicator__order")
        .first()
    )


def row_url(world, row, suffix=""):
    name = {"": "api:row-detail", "evidence": "api:row-evidence", "attach": "api:row-attach"}[suffix]
    return reverse(name, args=[world.region.code, "inovasi", row.pk])


class TestRowWrites:
    def test_answering_a_row_claims_it_like_the_row_page(self, world, row):
        operator = world.user(Role.OPERATOR)
        token, raw = make_token(operator, world.region)
        response = ApiClient(raw).patch(
            row_url(world, row), {"level": 2, "note": "dari SIMDA"}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        assert (response.json()["level"], response.json()["status"]) == (2, RowStatus.CLAIMED)
        event = AnswerEvent.objects.get(answer=row)
        assert (event.action, event.actor, event.note, event.data["level"]) == ("claim", operator, "dari SIMDA", [0, 2])
        assert event.data["api_token"] == token.pk
        # The region's figures were recomputed by the service.
        row.entry.assessment.refresh_from_db()
        assert row.entry.assessment.claimed_iid is not None

    def test_an_out_of_range_level_is_the_forms_error(self, world, row):
        _token, raw = make_token(world.user(Role.OPERATOR), world.region)
        response = ApiClient(raw).patch(row_url(world, row), {"level": 7}, content_type="application/json")
        assert response.status_code == 400 and "level" in response.json()["error"]["fields"]
        assert not AnswerEvent.objects.filter(answer=row).exists()

    def test_a_sibling_units_operator_cannot_answer(self, world, row):
        from tests.factories import user_with_role

        sibling_operator = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
        _token, raw = make_token(sibling_operator, world.region)
        response = ApiClient(raw).patch(row_url(world, row), {"level": 1}, content_type="application/json")
        assert response.status_code == 404

    def test_uploading_evidence_files_it_and_attaches_it(self, world, row):
        operator = world.user(Role.OPERATOR)
        token, raw = make_token(operator, world.region)
        upload = {"title": "SK Bupati Inovasi", "year": 2026, "file": pdf_file()}
        response = ApiClient(raw).post(row_url(world, row, "evidence"), upload)
        assert response.status_code == 201, response.json()
        document = Document.objects.get()
        assert response.json()["id"] == document.pk and document.uploaded_by == operator
        assert EvidenceLink.objects.filter(document=document, answer=row, attached_by=operator).exists()
        attach_event = AnswerEvent.objects.get(answer=row, action="attach")
        assert attach_event.data["api_token"] == token.pk and attach_event.data["document"] == document.pk

    def test_a_disguised_file_is_refused_and_nothing_is_kept(self, world, row):
        from django.core.files.uploadedfile import SimpleUploadedFile

        _token, raw = make_token(world.user(Role.OPERATOR), world.region)
        fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
        response = ApiClient(raw).post(row_url(world, row, "evidence"), {"title": "SK", "year": 2026, "file": fake})
        assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
        assert not Document.objects.exists() and not EvidenceLink.objects.exists()

    def test_attaching_library_documents_checks_the_rows_rule(self, world, row):
        admin = world.user(Role.ADMIN)
        token, raw = make_token(admin, world.region)
        fitting = DocumentFactory(region=world.region, uploaded_by=admin, year=2026)
        foreign = DocumentFactory(region=world.other_region, uploaded_by=world.other_admin, year=2026)
        client = ApiClient(raw)
        refused = client.post(
            row_url(world, row, "attach"), {"documents": [foreign.pk]}, content_type="application/json"
        )
        assert refused.status_code == 400
        response = client.post(
            row_url(world, row, "attach"), {"documents": [fitting.pk]}, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        assert [item["document"] for item in response.json()["evidence"]] == [fitting.pk]
        assert AnswerEvent.objects.get(answer=row, action="attach").data["api_token"] == token.pk

    def test_a_read_only_token_changes_nothing(self, world, row):
        _token, raw = make_token(world.user(Role.ADMIN), world.region, scope=ApiToken.Scope.READ)
        client = ApiClient(raw)
        assert client.patch(row_url(world, row), {"level": 1}, content_type="application/json").status_code == 403
        upload = {"title": "SK", "year": 2026, "file": pdf_file()}
        assert client.post(row_url(world, row, "evidence"), upload).status_code == 403
        assert not AnswerEvent.objects.exists() and not Document.objects.exists()
        assert client.get(row_url(world, row)).status_code == 200

    def test_a_session_write_needs_the_csrf_token(self, world, row):
        web = Client(enforce_csrf_checks=True)
        web.force_login(world.user(Role.ADMIN))
        response = web.patch(row_url(world, row), {"level": 1}, content_type="application/json")
        assert response.status_code == 403
        assert not AnswerEvent.objects.exists()
