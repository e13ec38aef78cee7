"""The clinic's operations: what each one changes, records and tells whom."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lumbung.actions.models import Action
from lumbung.assessment import services as assessment_services
from lumbung.assessment.tests.factories import enter, open_assessment, pdf_file
from lumbung.clinic import services
from lumbung.clinic.models import Case, CaseEvent, Message
from lumbung.core.forms import SafeFileField
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.notifications.models import Notification

from .factories import ActionItemFactory, SessionFactory

S = Case.Status


def notified(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def checked(upload):
    """An upload as a form hands it over: cleaned by SafeFileField, with its upload_info."""
    return SafeFileField(kinds=("pdf",)).clean(upload)


class TestRequest:
    def test_it_opens_a_new_case_and_tells_the_regions_admins(self, world, cast):
        case = services.case_request(
            region=world.region,
            requester=cast["citizen"],
            title="  Ide bank sampah pekon  ",
            description="Sampah plastik dibakar warga.",
            category=Case.Category.IDEA,
            contact_phone="0812 7900 1234",
        )
        assert (case.status, case.title, case.mentor) == (S.NEW, "Ide bank sampah pekon", None)
        event = case.events.get()
        assert (event.action, event.actor, event.from_state, event.to_state) == ("request", cast["citizen"], "", S.NEW)
        assert notified(cast["admin"]) == ["Permintaan klinik baru: Ide bank sampah pekon"]
        assert notified(cast["other_admin"]) == []

    def test_an_innovation_of_another_region_is_refused(self, world, cast):
        foreign = InnovationFactory(region=world.other_region, unit=world.other_unit)
        with pytest.raises(ValidationError):
            services.case_request(
                region=world.region,
                requester=cast["requester"],
                title="Eviden",
                description="Bantu kami.",
                category=Case.Category.EVIDENCE,
                innovation=foreign,
            )
        assert not Case.objects.exists()


class TestTriage:
    def test_a_new_case_gets_its_mentor_and_both_sides_hear_of_it(self, make_case, cast):
        case = make_case(S.NEW)
        services.case_triage(
            case=case,
            actor=cast["admin"],
            category=Case.Category.REGULATION,
            priority="high",
            mentor=cast["mentor"],
            note="Segera.",
        )
        case.refresh_from_db()
        assert (case.status, case.mentor, case.category, case.priority) == (
            S.TRIAGED,
            cast["mentor"],
            "regulation",
            "high",
        )
        event = case.events.get()
        assert event.data == {"category": "regulation", "priority": "high", "mentor": cast["mentor"].pk}
        assert len(notified(cast["mentor"])) == 1
        assert len(notified(cast["requester"])) == 1

    def test_someone_without_the_mentor_role_cannot_be_assigned(self, make_case, cast):
        case = make_case(S.NEW)
        with pytest.raises(ValidationError):
            services.case_triage(
                case=case, actor=cast["admin"], category="idea", priority="normal", mentor=cast["verifier"]
            )
        case.refresh_from_db()
        assert (case.status, case.mentor) == (S.NEW, None)

    def test_changing_the_mentor_later_is_recorded_without_changing_the_state(self, make_case, cast):
        case = make_case(S.MENTORING)
        services.case_triage(
            case=case,
            actor=cast["admin"],
            category="evidence",
            priority="urgent",
            mentor=cast["other_mentor"],
            note="Cuti.",
        )
        case.refresh_from_db()
        event = case.events.get()
        assert (event.action, event.from_state, event.to_state, event.note) == (
            "reassign",
            S.MENTORING,
            S.MENTORING,
            "Cuti.",
        )
        assert (case.status, case.mentor, case.priority) == (S.MENTORING, cast["other_mentor"], "urgent")
        assert len(notified(cast["other_mentor"])) == 1

    def test_a_finished_case_is_not_triaged_again(self, make_case, cast):
        case = make_case(S.CLOSED)
        with pytest.raises(ValidationError):
            services.case_triage(
                case=case, actor=cast["admin"], category="idea", priority="low", mentor=cast["other_mentor"]
            )
        assert Case.objects.get(pk=case.pk).mentor == cast["mentor"]


class TestMaturity:
    def test_maturity_is_taken_when_mentoring_starts_and_when_the_case_is_resolved(self, world, make_case, cast):
        year = timezone.localdate().year
        assessment = open_assessment(world.region, cast["admin"], year=year)
        entry = enter(assessment, cast["admin"], unit=world.unit)
        rows = {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}
        assessment_services.answer_set(row=rows["16"], level=3, actor=cast["admin"])  # 3 × 3
        case = make_case(S.TRIAGED, innovation=entry.innovation, indicator_code="35")

        services.case_transition(case=case, action="start", actor=cast["mentor"])
        assert (case.maturity_year, case.maturity_before, case.maturity_after) == (year, Decimal("9"), None)

        assessment_services.answer_set(row=rows["35"], level=2, actor=cast["admin"])  # + 4 × 2
        services.case_transition(case=case, action="resolve", actor=cast["mentor"], note="Video lengkap.")
        case.refresh_from_db()
        assert (case.maturity_before, case.maturity_after, case.maturity_gain) == (
            Decimal("9"),
            Decimal("17"),
            Decimal("8"),
        )

        services.case_transition(case=case, action="reopen", actor=cast["requester"], note="Masih ada yang kurang.")
        case.refresh_from_db()
        assert case.maturity_before == Decimal("9"), "a reopened case keeps its starting point"

    def test_no_innovation_no_maturity(self, make_case, cast):
        case = make_case(S.TRIAGED)
        services.case_transition(case=case, action="start", actor=cast["mentor"])
        assert case.maturity_before is None
        assert case.maturity_year is None


class TestTransitionNotices:
    def test_the_requester_hears_what_the_mentor_did(self, make_case, cast):
        case = make_case(S.MENTORING)
        services.case_transition(case=case, action="ask", actor=cast["mentor"], note="Kirim SK 2024.")
        assert notified(cast["requester"]) == [f"Mentor meminta Anda melengkapi: {case.title}"]
        assert notified(cast["mentor"]) == []

    def test_the_mentor_hears_what_the_requester_did(self, make_case, cast):
        case = make_case(S.RESOLVED)
        services.case_transition(case=case, action="reopen", actor=cast["requester"], note="Belum tuntas.")
        assert notified(cast["mentor"]) == [f"Kasus klinik dibuka kembali: {case.title}"]

    def test_without_a_mentor_the_admins_hear(self, make_case, cast):
        case = make_case(S.NEW)
        services.case_transition(case=case, action="withdraw", actor=cast["requester"])
        assert notified(cast["admin"]) == [f"Pemohon membatalkan permintaan: {case.title}"]

    def test_triage_is_not_a_bare_transition(self, make_case, cast):
        with pytest.raises(ValidationError):
            services.case_transition(case=make_case(S.NEW), action="triage", actor=cast["admin"])


class TestReply:
    def test_a_reply_from_the_requester_hands_a_waiting_case_back_to_the_mentor(self, make_case, cast):
        case = make_case(S.WAITING)
        message = services.case_reply(
            case=case, author=cast["requester"], body=" SK 2024 terlampir. ", upload=checked(pdf_file("sk.pdf"))
        )
        case.refresh_from_db()
        assert case.status == S.MENTORING
        assert case.events.get().action == "respond"
        assert (message.body, message.original_name, message.content_type) == (
            "SK 2024 terlampir.",
            "sk.pdf",
            "application/pdf",
        )
        assert len(message.sha256) == 64 and message.file.name.startswith("clinic/")
        assert notified(cast["mentor"]) == [f"Pesan baru: {case.title}"]

    def test_an_operator_of_the_requesting_unit_answers_for_the_unit(self, make_case, cast):
        case = make_case(S.WAITING)
        services.case_reply(case=case, author=cast["unit_operator"], body="Sudah kami kirim.")
        assert Case.objects.get(pk=case.pk).status == S.MENTORING

    def test_a_message_from_the_clinic_leaves_the_case_waiting(self, make_case, cast):
        case = make_case(S.WAITING)
        services.case_reply(case=case, author=cast["mentor"], body="Masih menunggu SK 2024.")
        assert Case.objects.get(pk=case.pk).status == S.WAITING
        assert notified(cast["requester"]) == [f"Pesan baru: {case.title}"]
        assert Message.objects.filter(case=case).count() == 1


class TestSessions:
    def test_the_first_session_starts_the_mentoring_and_the_requester_is_told(self, make_case, cast):
        case = make_case(S.TRIAGED)
        starts = timezone.now() + dt.timedelta(days=2)
        session = services.session_save(
            case=case,
            actor=cast["mentor"],
            mode="online",
            starts_at=starts,
            duration_minutes=45,
            place=" https://meet.example/x ",
        )
        case.refresh_from_db()
        assert case.status == S.MENTORING
        assert case.events.get().action == "start"
        assert session.place == "https://meet.example/x"
        assert len(notified(cast["requester"])) == 1

    def test_writing_the_minutes_later_tells_nobody(self, make_case, cast):
        case = make_case(S.MENTORING)
        session = SessionFactory(case=case, created_by=cast["mentor"])
        services.session_save(
            case=case, actor=cast["mentor"], session=session, mode=session.mode, starts_at=session.starts_at,
            duration_minutes=60, notes="Disepakati menyusun SK T-0.",
        )  # fmt: skip
        assert Notification.objects.count() == 0
        assert Case.objects.get(pk=case.pk).status == S.MENTORING


class TestActionItems:
    def test_an_item_needs_an_owner(self, make_case, cast):
        with pytest.raises(ValidationError):
            services.action_item_create(
                case=make_case(S.MENTORING), actor=cast["mentor"], description="Susun SK", due_date=timezone.localdate()
            )
        assert not Action.objects.exists()

    def test_an_owner_without_an_account_is_named(self, make_case, cast):
        item = services.action_item_create(
            case=make_case(S.MENTORING),
            actor=cast["mentor"],
            description="Susun SK",
            due_date=timezone.localdate(),
            owner_name="Kabag Hukum Setda",
        )
        assert item.owner_label == "Kabag Hukum Setda"
        assert item.events.get().action == "create"

    def test_the_owner_is_told(self, make_case, cast):
        services.action_item_create(
            case=make_case(S.MENTORING), actor=cast["mentor"], description="Kirim SK 2024",
            due_date=timezone.localdate(), owner=cast["requester"],
        )  # fmt: skip
        assert notified(cast["requester"]) == ["Tindak lanjut untuk Anda: Kirim SK 2024"]

    def test_an_item_can_carry_out_a_planner_action(self, world, make_case, cast):
        assessment = open_assessment(world.region, cast["admin"], year=timezone.localdate().year)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        planned = assessment_services.planned_action_create(
            assessment=assessment, actor=cast["admin"], description="Unggah SK tim T-0", gain=Decimal("0.45"),
            innovation=innovation, indicator_code="17",
        )  # fmt: skip
        item = services.action_item_create(
            case=make_case(S.MENTORING), actor=cast["mentor"], description="Susun SK tim 2026",
            due_date=timezone.localdate(), owner=cast["requester"], planned_action=planned,
        )  # fmt: skip
        assert (item.planned_action, item.innovation, item.indicator_code) == (planned, innovation, "17")
        assert list(planned.clinic_items.all()) == [item]

    def test_completing_the_item_finishes_its_planner_action_with_the_mentor_as_actor(self, world, make_case, cast):
        assessment = open_assessment(world.region, cast["admin"], year=timezone.localdate().year)
        planned = assessment_services.planned_action_create(
            assessment=assessment, actor=cast["admin"], description="Unggah SK tim T-0", gain=Decimal("0.45"),
        )  # fmt: skip
        case = make_case(S.MENTORING)
        item = services.action_item_create(
            case=case, actor=cast["mentor"], description="Susun SK tim 2026",
            due_date=timezone.localdate(), owner=cast["requester"], planned_action=planned,
        )  # fmt: skip
        services.action_item_transition(item=item, action="finish", actor=cast["mentor"])
        planned.refresh_from_db()
        assert planned.status == Action.Status.DONE
        event = planned.events.get(action="finish")
        assert event.actor == cast["mentor"] and case.reference in event.note

    def test_a_cancelled_item_or_a_finished_planner_action_is_left_alone(self, world, make_case, cast):
        assessment = open_assessment(world.region, cast["admin"], year=timezone.localdate().year)
        planned = assessment_services.planned_action_create(
            assessment=assessment, actor=cast["admin"], description="Unggah SK", gain=Decimal("1"),
        )  # fmt: skip
        make = lambda: services.action_item_create(  # noqa: E731
            case=make_case(S.MENTORING), actor=cast["mentor"], description="x",
            due_date=timezone.localdate(), owner=cast["requester"], planned_action=planned,
        )  # fmt: skip
        services.action_item_transition(item=make(), action="cancel", actor=cast["mentor"], note="Tidak perlu")
        planned.refresh_from_db()
        assert planned.status == Action.Status.OPEN
        assessment_services.planned_action_transition(item=planned, action="cancel", actor=cast["admin"], note="batal")
        services.action_item_transition(item=make(), action="finish", actor=cast["mentor"])
        planned.refresh_from_db()
        assert planned.status == Action.Status.CANCELLED

    def test_a_planner_action_of_another_region_is_refused(self, world, make_case, cast):
        assessment = open_assessment(world.other_region, world.other_admin, year=timezone.localdate().year)
        planned = Action.objects.create(
            region=world.other_region,
            origin=Action.Origin.PLANNER,
            assessment=assessment,
            description="Lain",
            gain=Decimal("1"),
            created_by=world.other_admin,
        )
        with pytest.raises(ValidationError):
            services.action_item_create(
                case=make_case(S.MENTORING), actor=cast["mentor"], description="x",
                due_date=timezone.localdate(), owner=cast["requester"], planned_action=planned,
            )  # fmt: skip


def test_waiting_times_come_from_the_first_triage_first_held_session_and_first_resolution(make_case, cast):
    case = make_case(S.RESOLVED)
    base = timezone.now() - dt.timedelta(days=30)
    for action, days in (("triage", 1), ("resolve", 10), ("reopen", 12), ("resolve", 20)):
        event = CaseEvent.objects.create(case=case, action=action, from_state="", to_state="")
        CaseEvent.objects.filter(pk=event.pk).update(created_at=base + dt.timedelta(days=days))
    SessionFactory(case=case, starts_at=base + dt.timedelta(days=5))
    SessionFactory(case=case, starts_at=base + dt.timedelta(days=3))
    SessionFactory(case=case, starts_at=timezone.now() + dt.timedelta(days=2))  # planned, not held
    ActionItemFactory(case=case)
    times = Case.objects.with_times().get(pk=case.pk)
    assert times.triaged_at == base + dt.timedelta(days=1)
    assert times.first_session_at == base + dt.timedelta(days=3)
    assert times.resolved_at == base + dt.timedelta(days=10)
