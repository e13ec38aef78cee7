"""Clinic pages: who reaches what, what bad input does, and that pages do not grow a query per row."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.actions.models import Action
from lumbung.assessment.tests.factories import pdf_file
from lumbung.clinic.models import Case, Message, Session
from lumbung.core.models import StagedUpload
from lumbung.innovations.tests.factories import InnovationFactory

from .factories import ActionItemFactory, CaseFactory, MessageFactory, SessionFactory

S = Case.Status


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def detail(case):
    return reverse("clinic:case-detail", args=[case.pk])


class TestRequestForm:
    def test_a_citizen_asks_for_help(self, client_for, cast, world):
        client = client_for(cast["citizen"])
        page = client.get(reverse("clinic:case-create"))
        assert page.status_code == 200
        assert "unit" not in page.context["form"].fields  # citizens speak for themselves
        response = client.post(
            reverse("clinic:case-create"),
            {
                "title": "Ide bank sampah pekon",
                "category": "idea",
                "description": "Sampah plastik dibakar warga.",
                "preferred_mode": "on_site",
                "contact_phone": "081279001234",
            },
        )
        case = Case.objects.get()
        assert response.status_code == 302 and response["Location"] == detail(case)
        assert (case.requester, case.region, case.status, case.unit) == (cast["citizen"], world.region, S.NEW, None)

    def test_bad_input_is_explained_and_what_was_typed_stays(self, client_for, cast):
        response = client_for(cast["citizen"]).post(
            reverse("clinic:case-create"),
            {
                "title": "",
                "category": "idea",
                "description": "Uraian panjang yang sudah saya ketik.",
                "preferred_mode": "any",
            },
        )
        assert response.status_code == 200
        assert "Bidang ini tidak boleh kosong." in response.content.decode()
        assert "Uraian panjang yang sudah saya ketik." in response.content.decode()
        assert not Case.objects.exists()

    def test_an_operator_asks_for_their_unit_about_their_units_innovation(self, client_for, cast, world):
        own = InnovationFactory(region=world.region, unit=world.unit)
        other = InnovationFactory(region=world.region, unit=world.sibling_unit)
        client = client_for(cast["unit_operator"])
        form = client.get(reverse("clinic:case-create")).context["form"]
        assert list(form.fields["innovation"].queryset) == [own]
        assert form.fields["unit"].initial == world.unit
        data = {
            "title": "Eviden 17",
            "category": "evidence",
            "description": "SK tim.",
            "preferred_mode": "any",
            "unit": world.unit.pk,
        }
        refused = client.post(reverse("clinic:case-create"), {**data, "innovation": other.pk})
        assert refused.status_code == 200 and not Case.objects.exists()
        client.post(reverse("clinic:case-create"), {**data, "innovation": own.pk})
        assert Case.objects.get().innovation == own


class TestCasePage:
    @pytest.mark.parametrize(
        ("actor", "status"),
        [
            ("requester", 200), ("unit_operator", 200), ("mentor", 200), ("admin", 200), ("national_admin", 200),
            ("sibling_operator", 404), ("other_mentor", 404), ("verifier", 404), ("leader", 404), ("citizen", 404),
            ("other_admin", 404),
        ],
    )  # fmt: skip
    def test_who_sees_a_case(self, actor, status, client_for, cast, make_case):
        assert client_for(cast[actor]).get(detail(make_case(S.MENTORING))).status_code == status

    def test_the_page_does_not_grow_with_messages_sessions_and_actions(
        self, client_for, cast, make_case, django_assert_max_num_queries
    ):
        case = make_case(S.MENTORING)
        client = client_for(cast["mentor"])

        def add(n):
            for _ in range(n):
                MessageFactory(case=case, author=cast["requester"])
                SessionFactory(case=case, created_by=cast["mentor"])
                ActionItemFactory(case=case, owner=cast["requester"], created_by=cast["mentor"])

        add(1)
        with django_assert_max_num_queries(40) as small:
            client.get(detail(case))
        add(15)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(detail(case)).status_code == 200


class TestConversation:
    def test_the_requester_replies_with_a_file_and_the_mentor_downloads_it(self, client_for, cast, make_case):
        case = make_case(S.WAITING)
        response = client_for(cast["requester"]).post(
            reverse("clinic:case-message", args=[case.pk]),
            {"body": "SK 2024 terlampir.", "file": pdf_file("SK Tim 2024.pdf")},
        )
        assert response.status_code == 302
        message = Message.objects.get()
        assert Case.objects.get(pk=case.pk).status == S.MENTORING
        download = client_for(cast["mentor"]).get(reverse("clinic:message-file", args=[message.pk]))
        assert download.status_code == 200
        assert 'filename="SK Tim 2024.pdf"' in download["Content-Disposition"]
        assert client_for(cast["citizen"]).get(reverse("clinic:message-file", args=[message.pk])).status_code == 404

    def test_a_valid_file_survives_a_message_without_text(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        client = client_for(cast["requester"])
        response = client.post(
            reverse("clinic:case-message", args=[case.pk]), {"body": "", "file": pdf_file("draf.pdf")}
        )
        assert response.status_code == 400
        staged = StagedUpload.objects.get(owner=cast["requester"])
        assert "draf.pdf" in response.content.decode()
        client.post(
            reverse("clinic:case-message", args=[case.pk]), {"body": "Ini drafnya.", "file__staged": str(staged.pk)}
        )
        assert Message.objects.get().original_name == "draf.pdf"

    def test_a_disguised_program_is_refused(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
        response = client_for(cast["requester"]).post(
            reverse("clinic:case-message", args=[case.pk]), {"body": "SK", "file": fake}
        )
        assert response.status_code == 400
        assert "bukan PDF" in response.content.decode()
        assert not Message.objects.exists()

    def test_a_closed_case_takes_no_more_messages(self, client_for, cast, make_case):
        case = make_case(S.CLOSED)
        client_for(cast["requester"]).post(reverse("clinic:case-message", args=[case.pk]), {"body": "Halo?"})
        assert not Message.objects.exists()


class TestWorkflowButtons:
    def test_the_mentor_asks_the_requester_with_a_note(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        client = client_for(cast["mentor"])
        client.post(reverse("clinic:case-action", args=[case.pk]), {"action": "ask", "note": ""})
        assert Case.objects.get(pk=case.pk).status == S.MENTORING
        client.post(reverse("clinic:case-action", args=[case.pk]), {"action": "ask", "note": "Kirim SK 2024."})
        assert Case.objects.get(pk=case.pk).status == S.WAITING

    def test_a_refused_action_says_so_and_changes_nothing(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        response = client_for(cast["requester"]).post(
            reverse("clinic:case-action", args=[case.pk]), {"action": "resolve", "note": "Selesai"}, follow=True
        )
        assert "tidak berwenang" in response.content.decode()
        assert Case.objects.get(pk=case.pk).status == S.MENTORING

    def test_the_detail_page_offers_only_what_the_user_may_do(self, client_for, cast, make_case):
        case = make_case(S.WAITING)
        actions = lambda who: [t.action for t in client_for(cast[who]).get(detail(case)).context["transitions"]]  # noqa: E731
        assert actions("requester") == ["respond", "withdraw"]
        assert actions("mentor") == ["resolve"]
        assert actions("unit_operator") == ["respond"]


class TestTriage:
    def test_the_admin_assigns_a_mentor(self, client_for, cast, make_case):
        case = make_case(S.NEW)
        client = client_for(cast["admin"])
        assert client.get(reverse("clinic:case-triage", args=[case.pk])).status_code == 200
        client.post(
            reverse("clinic:case-triage", args=[case.pk]),
            {"category": "evidence", "priority": "high", "mentor": cast["mentor"].pk, "note": ""},
        )
        case.refresh_from_db()
        assert (case.status, case.mentor) == (S.TRIAGED, cast["mentor"])

    def test_only_mentors_are_offered(self, client_for, cast, make_case):
        form = client_for(cast["admin"]).get(reverse("clinic:case-triage", args=[make_case(S.NEW).pk])).context["form"]
        assert set(form.fields["mentor"].queryset) == {cast["mentor"], cast["other_mentor"]}

    def test_a_finished_case_is_not_triaged(self, client_for, cast, make_case):
        assert (
            client_for(cast["admin"]).get(reverse("clinic:case-triage", args=[make_case(S.DECLINED).pk])).status_code
            == 404
        )

    def test_mentors_do_not_triage(self, client_for, cast, make_case):
        assert (
            client_for(cast["mentor"]).get(reverse("clinic:case-triage", args=[make_case(S.NEW).pk])).status_code == 403
        )


class TestPlanning:
    def test_the_mentor_plans_a_session_which_starts_the_mentoring(self, client_for, cast, make_case):
        case = make_case(S.TRIAGED)
        starts = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        response = client_for(cast["mentor"]).post(
            reverse("clinic:session-create", args=[case.pk]),
            {"mode": "on_site", "starts_at": starts, "duration_minutes": 90, "place": "Ruang Rapat BRIDA", "notes": ""},
        )
        assert response.status_code == 302
        assert Session.objects.get().duration_minutes == 90
        assert Case.objects.get(pk=case.pk).status == S.MENTORING

    def test_a_session_of_zero_minutes_is_refused(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        response = client_for(cast["mentor"]).post(
            reverse("clinic:session-create", args=[case.pk]),
            {"mode": "online", "starts_at": "2026-05-04T10:00", "duration_minutes": 0, "place": ""},
        )
        assert response.status_code == 200 and not Session.objects.exists()

    def test_the_requester_does_not_plan(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        assert client_for(cast["requester"]).get(reverse("clinic:session-create", args=[case.pk])).status_code == 404
        session = SessionFactory(case=case, created_by=cast["mentor"])
        assert client_for(cast["requester"]).get(reverse("clinic:session-edit", args=[session.pk])).status_code == 404

    def test_an_action_item_due_in_the_past_is_refused(self, client_for, cast, make_case):
        case = make_case(S.MENTORING)
        data = {"description": "Kirim SK", "owner": cast["requester"].pk, "owner_name": "", "indicator_code": ""}
        client = client_for(cast["mentor"])
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        response = client.post(
            reverse("clinic:action-create", args=[case.pk]), {**data, "due_date": yesterday.isoformat()}
        )
        assert "Tenggat tidak boleh di masa lalu." in response.content.decode()
        client.post(
            reverse("clinic:action-create", args=[case.pk]), {**data, "due_date": timezone.localdate().isoformat()}
        )
        assert Action.objects.get().owner == cast["requester"]

    def test_the_owner_ticks_off_their_item(self, client_for, cast, make_case):
        item = ActionItemFactory(case=make_case(S.MENTORING), owner=cast["requester"], created_by=cast["mentor"])
        client_for(cast["requester"]).post(reverse("clinic:action-transition", args=[item.pk]), {"action": "finish"})
        assert Action.objects.get(pk=item.pk).status == Action.Status.DONE


class TestLists:
    def _grow(self, world, cast, n):
        for index in range(n):
            case = CaseFactory(
                region=world.region, requester=cast["requester"], unit=world.unit, mentor=cast["mentor"],
                status=[S.NEW, S.MENTORING, S.WAITING, S.RESOLVED][index % 4],
            )  # fmt: skip
            ActionItemFactory(case=case, owner=cast["requester"], created_by=cast["mentor"])
            SessionFactory(case=case, created_by=cast["mentor"])

    @pytest.mark.parametrize(
        ("url_name", "actor"),
        [
            ("clinic:home", "requester"), ("clinic:case-list", "admin"), ("clinic:case-export", "admin"),
            ("clinic:case-load", "mentor"),
            ("clinic:case-load", "admin"), ("clinic:statistics", "leader"),
        ],
    )  # fmt: skip
    def test_lists_do_not_grow_a_query_per_case(
        self, url_name, actor, client_for, cast, world, django_assert_max_num_queries
    ):
        client = client_for(cast[actor])
        url = reverse(url_name) + ("?tampil=semua" if url_name in {"clinic:case-list", "clinic:case-export"} else "")
        self._grow(world, cast, 2)
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200
        self._grow(world, cast, 20)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200

    def test_the_queue_filters(self, client_for, cast, world, make_case):
        new, active = make_case(S.NEW, title="Ide sampah"), make_case(S.MENTORING, title="SK tim")
        client = client_for(cast["admin"])
        listed = lambda query: list(client.get(reverse("clinic:case-list") + query).context["page_obj"])  # noqa: E731
        assert listed("") == [new]
        assert listed("?tampil=aktif") == [active]
        assert listed(f"?tampil=semua&mentor={cast['mentor'].pk}") == [active]
        assert listed("?tampil=semua&q=sampah") == [new]

    def test_the_home_page_lists_my_requests_only(self, client_for, cast, world, make_case):
        mine = make_case(S.NEW)
        CaseFactory(region=world.region, requester=cast["citizen"])
        assert list(client_for(cast["requester"]).get(reverse("clinic:home")).context["cases"]) == [mine]

    def test_the_statistics_count_the_region_only(self, client_for, cast, world, make_case):
        make_case(S.NEW)
        CaseFactory(region=world.other_region, requester=world.other_admin)
        overall = client_for(cast["leader"]).get(reverse("clinic:statistics")).context["overall"]
        assert overall.requested == 1


def test_the_list_filter_agrees_with_the_rule(cast, world, make_case):
    """Case.objects.visible_to and clinic.view_case name the same cases for everyone."""
    cases = [make_case(status) for status in (S.NEW, S.MENTORING, S.CLOSED)]
    cases.append(
        CaseFactory(region=world.region, requester=cast["citizen"], mentor=cast["other_mentor"], status=S.WAITING)
    )
    cases.append(CaseFactory(region=world.other_region, requester=world.other_admin))
    for actor, user in cast.items():
        listed = set(Case.objects.visible_to(user, world.region))
        allowed = {
            case for case in cases if user.has_perm("clinic.view_case", case) and case.region_id == world.region.pk
        }
        assert listed == allowed, actor


def test_the_home_page_panels_stay_small(client_for, cast, world, django_assert_max_num_queries):
    for actor, text in (
        ("requester", "Minta pendampingan"),
        ("mentor", "Kasus klinik saya"),
        ("admin", "perlu triase"),
    ):
        client = client_for(cast[actor])
        with django_assert_max_num_queries(60) as few:
            assert text in client.get(reverse("core:home")).content.decode()
        for _ in range(10):
            case = CaseFactory(
                region=world.region, requester=cast["requester"], mentor=cast["mentor"], status=S.MENTORING
            )
            ActionItemFactory(case=case, owner=cast["requester"], created_by=cast["mentor"])
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("core:home"))


def test_the_queue_downloads_as_excel_with_its_filter_and_waiting_times(client_for, cast, world, make_case):
    import io

    from openpyxl import load_workbook

    base = timezone.now() - dt.timedelta(days=10)
    resolved = make_case(S.RESOLVED, title="SK tim selesai")
    Case.objects.filter(pk=resolved.pk).update(created_at=base)
    for action, days in (("triage", 1), ("resolve", 4)):
        event = resolved.events.create(action=action, from_state="", to_state="")
        resolved.events.filter(pk=event.pk).update(created_at=base + dt.timedelta(days=days))
    make_case(S.NEW, title="Ide baru")
    response = client_for(cast["admin"]).get(reverse("clinic:case-export") + "?tampil=selesai")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    headers, data = rows[1], rows[2:]
    assert [row[1] for row in data] == ["SK tim selesai"]
    record = dict(zip(headers, data[0], strict=True))
    assert record["Hari sampai selesai"] == 4
    assert record["Mentor"] == cast["mentor"].full_name
    assert client_for(cast["mentor"]).get(reverse("clinic:case-export")).status_code == 403
