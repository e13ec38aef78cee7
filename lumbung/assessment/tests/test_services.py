"""Answers, verdicts, entries, the lock, document versions and the figures they produce."""

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lumbung.assessment import evidence, services
from lumbung.assessment.models import Assessment, Document, Entry, EvidenceLink, RejectReason, RowStatus
from lumbung.frameworks.engine import InnovationInput, compute
from lumbung.frameworks.specs import spec_for

from .factories import DocumentFactory, InnovationFactory, enter, pdf_file

D = Decimal


def attach(row, admin, world, **kwargs):
    document = DocumentFactory(region=world.region, uploaded_by=admin, **kwargs)
    return evidence.evidence_link(document=document, row=row, actor=admin)


def fresh(assessment):
    return Assessment.objects.get(pk=assessment.pk)


class TestAnswers:
    def test_claiming_a_level_moves_the_row_and_the_claimed_figures(self, rows, operator, assessment):
        services.answer_set(row=rows["35"], level=3, actor=operator)  # video: 4 × 3
        assert rows["35"].status == RowStatus.CLAIMED
        event = rows["35"].events.get()
        assert (event.action, event.data["level"]) == ("claim", [0, 3])
        figures = fresh(assessment).figures
        assert rows["35"].entry.maturities() == {"claimed": D("12"), "expected": D("12"), "verified": D("0")}
        assert (D(figures["claimed"]["maturity_sum"]), D(figures["verified"]["maturity_sum"])) == (12, 0)

    def test_revising_keeps_the_state_and_records_the_change(self, rows, operator):
        services.answer_set(row=rows["17"], level=1, actor=operator)
        services.answer_set(row=rows["17"], level=2, actor=operator, note="SK tim diperbarui")
        assert rows["17"].status == RowStatus.CLAIMED
        assert list(rows["17"].events.values_list("action", flat=True)) == ["claim", "revise"]

    def test_saving_the_same_answer_twice_writes_one_event(self, rows, operator):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        services.answer_set(row=rows["17"], level=2, actor=operator)
        assert rows["17"].events.count() == 1

    def test_a_measured_value_gives_the_level_by_the_thresholds(self, assessment, admin):
        row = assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="3")
        services.answer_set(row=row, measured_value=D("8.17"), actor=admin)
        assert row.level == 3
        services.answer_set(row=row, measured_value=D("-12.5"), actor=admin)
        assert row.level == 2 and row.measured_value == D("-12.5")

    def test_indicator_33_needs_a_basis_and_measures_on_it(self, rows, operator, assessment):
        row = rows["33"]
        with pytest.raises(ValidationError) as error:
            services.answer_set(row=row, measured_value=D("350"), actor=operator)
        assert "basis" in error.value.error_dict
        basis = row.indicator.bases.get(code="a")
        services.answer_set(row=row, basis=basis, measured_value=D("350"), actor=operator)
        assert row.level == 2 and row.basis == basis

    def test_a_value_on_a_choice_row_is_refused(self, rows, operator):
        with pytest.raises(ValidationError):
            services.answer_set(row=rows["16"], measured_value=D("3"), actor=operator)

    def test_emptying_a_claimed_row_withdraws_it(self, rows, operator):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        services.answer_set(row=rows["17"], level=0, actor=operator)
        assert rows["17"].status == RowStatus.MISSING

    def test_an_accepted_row_cannot_be_emptied_but_can_be_amended(self, rows, operator, verifier, admin, world):
        row = rows["17"]
        services.answer_set(row=row, level=2, actor=operator)
        attach(row, admin, world)
        services.row_transition(row=row, action="accept", actor=verifier)
        with pytest.raises(ValidationError):
            services.answer_set(row=row, level=0, actor=operator)
        services.answer_set(row=row, level=3, actor=operator, note="Jumlah SDM bertambah")
        assert row.status == RowStatus.CLAIMED and row.level == 3
        assert row.events.filter(action="amend").exists()


class TestVerdicts:
    def test_accepting_needs_evidence(self, rows, operator, verifier):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        with pytest.raises(ValidationError) as error:
            services.row_transition(row=rows["17"], action="accept", actor=verifier)
        assert error.value.code == "no_evidence"

    def test_rejecting_needs_a_standard_reason_and_other_needs_a_note(self, rows, operator, verifier):
        services.answer_set(row=rows["17"], level=2, actor=operator)
        with pytest.raises(ValidationError):
            services.row_transition(row=rows["17"], action="reject", actor=verifier)
        with pytest.raises(ValidationError):
            services.row_transition(row=rows["17"], action="reject", actor=verifier, reason=RejectReason.OTHER)
        services.row_transition(
            row=rows["17"], action="reject", actor=verifier, reason=RejectReason.NOT_SIGNED, note="Belum ada TTE"
        )
        row = rows["17"]
        assert (row.status, row.verdict_reason, row.verdict_note, row.verified_by) == (
            RowStatus.REJECTED, "not_signed", "Belum ada TTE", verifier,
        )  # fmt: skip
        assert row.events.get(action="reject").data == {"reason": "not_signed"}

    def test_the_unit_resubmits_and_the_verifier_accepts(self, rows, operator, verifier, admin, world, assessment):
        row = rows["16"]
        services.answer_set(row=row, level=3, actor=operator)
        services.row_transition(row=row, action="reject", actor=verifier, reason=RejectReason.WRONG_DOCUMENT)
        attach(row, admin, world)
        services.row_transition(row=row, action="resubmit", actor=operator, note="SK diganti")
        services.row_transition(row=row, action="accept", actor=verifier)
        assert row.status == RowStatus.ACCEPTED
        assert [e.action for e in row.events.order_by("id")] == ["claim", "reject", "attach", "resubmit", "accept"]
        assert row.entry.maturities()["verified"] == D("9")
        assert D(fresh(assessment).figures["verified"]["maturity_sum"]) == 9


class TestLock:
    def test_after_locking_nothing_changes(self, rows, operator, admin, assessment, world):
        row = rows["17"]
        services.answer_set(row=row, level=2, actor=operator)
        link = attach(row, admin, world)
        services.assessment_transition(assessment=assessment, action="lock", actor=admin)
        row.entry.assessment.refresh_from_db()
        document = DocumentFactory(region=world.region, uploaded_by=admin)
        attempts = [
            lambda: services.answer_set(row=row, level=3, actor=operator),
            lambda: services.row_transition(row=row, action="withdraw", actor=operator),
            lambda: evidence.evidence_link(document=document, row=row, actor=admin),
            lambda: evidence.evidence_detach(link=link, actor=admin),
            lambda: services.entry_add(assessment=row.entry.assessment, innovation=InnovationFactory(region=world.region), actor=admin),
            lambda: evidence.evidence_attach(document=document, innovation=row.entry.innovation, indicator_code="17", year=2026, actor=admin),
        ]  # fmt: skip
        for attempt in attempts:
            with pytest.raises(ValidationError) as error:
                attempt()
            assert error.value.code == "locked"
        row.refresh_from_db()
        assert (row.level, row.status, row.evidence_links.count()) == (2, RowStatus.CLAIMED, 1)

    def test_unlocking_needs_a_note_and_reopens(self, assessment, admin):
        services.assessment_transition(assessment=assessment, action="lock", actor=admin)
        with pytest.raises(ValidationError):
            services.assessment_transition(assessment=assessment, action="unlock", actor=admin)
        services.assessment_transition(assessment=assessment, action="unlock", actor=admin, note="Perbaikan data SPD")
        assert assessment.is_open
        assert list(assessment.events.values_list("action", flat=True)) == ["create", "lock", "unlock"]


class TestEntries:
    def test_an_ineligible_innovation_is_kept_with_its_reasons_and_not_counted(self, assessment, admin, world):
        entry = enter(assessment, admin, unit=world.unit, stage="trial", implementation_date=None)
        assert not entry.is_eligible
        assert entry.reasons() == [
            "Tahapan inovasi belum penerapan; hanya inovasi yang sudah diterapkan yang dinilai.",
            "Waktu penerapan belum diisi pada profil inovasi.",
        ]
        assert fresh(assessment).figures["claimed"]["innovation_count"] == 0

    def test_a_third_entry_of_the_same_innovation_is_not_eligible(self, world, admin):
        from .factories import open_assessment

        innovation = InnovationFactory(region=world.region, unit=world.unit, implementation_date=dt.date(2023, 3, 1),
                                       development_date=dt.date(2024, 6, 1))  # fmt: skip
        for year in (2024, 2025):
            earlier = open_assessment(world.region, admin, year=year)
            assert services.entry_add(assessment=earlier, innovation=innovation, actor=admin).is_eligible
        third = services.entry_add(
            assessment=open_assessment(world.region, admin, year=2026), innovation=innovation, actor=admin
        )
        assert not third.is_eligible
        assert third.reasons() == ["Sudah diikutkan 2 kali (2024, 2025); batasnya 2 kali."]

    def test_recheck_after_the_profile_is_corrected(self, assessment, admin, world):
        entry = enter(assessment, admin, unit=world.unit, implementation_date=dt.date(2021, 1, 1))
        assert not entry.is_eligible
        entry.innovation.implementation_date = dt.date(2024, 9, 1)
        entry.innovation.save()
        services.entry_recheck(entry=entry, actor=admin)
        assert entry.is_eligible and fresh(assessment).figures["claimed"]["innovation_count"] == 1

    def test_another_regions_innovation_is_refused(self, assessment, admin, world):
        with pytest.raises(ValidationError):
            services.entry_add(
                assessment=assessment, innovation=InnovationFactory(region=world.other_region), actor=admin
            )

    def test_an_entry_with_work_cannot_be_removed(self, entry, rows, operator, admin):
        services.answer_set(row=rows["17"], level=1, actor=operator)
        with pytest.raises(ValidationError):
            services.entry_remove(entry=entry, actor=admin)
        services.answer_set(row=rows["17"], level=0, actor=operator)
        services.entry_remove(entry=entry, actor=admin)
        assert not Entry.objects.filter(pk=entry.pk).exists()


class TestDocumentVersions:
    def test_replacing_moves_open_rows_and_keeps_accepted_ones(self, entry, rows, operator, verifier, admin, world):
        old = evidence.document_store(
            region=world.region, actor=admin, title="SK Tim Inovasi", year=2026, file=pdf_file()
        )
        for code in ("17", "23"):
            services.answer_set(row=rows[code], level=2, actor=operator)
            evidence.evidence_link(document=old, row=rows[code], actor=operator)
        services.row_transition(row=rows["17"], action="accept", actor=verifier)
        new = evidence.document_replace(
            document=old, actor=admin, file=pdf_file("sk-revisi.pdf", salt="revisi"), note="TTE"
        )
        assert new.replaces == old and not Document.objects.get(pk=old.pk).is_current
        assert EvidenceLink.objects.get(answer=rows["17"]).document == old
        assert EvidenceLink.objects.get(answer=rows["23"]).document == new
        event = rows["23"].events.get(action="replace_evidence")
        assert event.data == {"from": old.pk, "to": new.pk}

    def test_a_replaced_document_cannot_be_replaced_again_or_attached(self, rows, admin, world):
        old = evidence.document_store(region=world.region, actor=admin, title="SK", year=2026, file=pdf_file())
        evidence.document_replace(document=old, actor=admin, file=pdf_file(salt="2"))
        with pytest.raises(ValidationError):
            evidence.document_replace(document=old, actor=admin, file=pdf_file(salt="3"))
        with pytest.raises(ValidationError):
            evidence.evidence_link(document=Document.objects.get(pk=old.pk), row=rows["17"], actor=admin)

    def test_a_version_identical_to_a_library_file_is_refused(self, admin, world):
        first = evidence.document_store(region=world.region, actor=admin, title="A", year=2026, file=pdf_file())
        second = evidence.document_store(
            region=world.region, actor=admin, title="B", year=2026, file=pdf_file(salt="b")
        )
        with pytest.raises(ValidationError) as error:
            evidence.document_replace(document=second, actor=admin, file=pdf_file())
        assert error.value.code == "duplicate" and Document.objects.count() == 2 and first.pk


class TestBulkAttach:
    def test_all_or_nothing(self, assessment, admin, world, rows):
        other = enter(assessment, admin, unit=world.unit)
        other_row = other.answers.select_related("indicator", "entry__assessment", "entry__innovation").get(
            indicator__code="35"
        )
        document = DocumentFactory(region=world.region, uploaded_by=admin)
        with pytest.raises(ValidationError) as error:
            evidence.evidence_link_many(documents=[document], rows=[rows["17"], other_row], actor=admin)
        assert "35" in error.value.messages[0]
        assert EvidenceLink.objects.count() == 0
        created = evidence.evidence_link_many(documents=[document], rows=[rows["17"], rows["20"]], actor=admin)
        assert created == 2 and EvidenceLink.objects.count() == 2


class TestFigures:
    def test_figures_match_the_engine_on_the_projected_levels(self, assessment, admin, operator, verifier, world):
        """Six basic-service innovations, some rows accepted: both projections equal compute()."""
        entries = [
            enter(assessment, admin, unit=world.unit, main_affair=affair)
            for affair in _affairs("pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial")
        ]
        levels = {}
        for index, entry in enumerate(entries):
            for row in entry.answers.select_related("indicator", "entry__assessment"):
                level = (index + int(row.indicator.number)) % 4
                if level:
                    basis = row.indicator.bases.first() if row.indicator.code == "33" else None
                    # A measured row keeps a number beside a level chosen by hand (any number will do here).
                    number = Decimal(1) if (basis or row.indicator).thresholds else None
                    services.answer_set(row=row, level=level, basis=basis, measured_value=number, actor=operator)
                accepted = level == 3 and row.indicator.code != "35"  # 35 wants a video
                if accepted:
                    attach(row, admin, world)
                    services.row_transition(row=row, action="accept", actor=verifier)
                levels[(entry.pk, row.indicator.code)] = (level, accepted)
        spd_row = assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="8")
        services.answer_set(row=spd_row, level=3, actor=admin)
        spec = spec_for(assessment.framework)
        for projection, counts in (
            ("claimed", lambda level, ok: level),
            ("verified", lambda level, ok: level if ok else 0),
        ):
            expected = compute(
                spec,
                {"8": 3 if projection == "claimed" else 0},
                [
                    InnovationInput(str(e.pk), frozenset({e.innovation.main_affair.code}),
                                    {code: counts(*levels[(e.pk, code)]) for (pk, code) in levels if pk == e.pk})
                    for e in entries
                ],
            )  # fmt: skip
            figures = fresh(assessment).figures[projection]
            assert D(figures["iid"]) == expected.iid
            assert figures["predicate"] == expected.predicate
            assert D(figures["count_score"]) == expected.count_score
            assert figures["basic_services_covered"] == 6

    def test_recompute_year_gives_the_same_figures(self, assessment, rows, operator):
        from lumbung.assessment.scoring import recompute_year

        services.answer_set(row=rows["35"], level=2, actor=operator)
        before = fresh(assessment).figures
        Assessment.objects.filter(pk=assessment.pk).update(figures={})
        assert recompute_year(year=2026) == 1
        assert fresh(assessment).figures == before


def _affairs(*codes):
    from .factories import affair

    return [affair(code) for code in codes]


class TestNotifications:
    def test_a_rejection_tells_the_units_operators(self, rows, operator, verifier, world):
        from lumbung.notifications.models import Notification
        from tests.factories import user_with_role

        bystander = user_with_role("operator", world.region, world.sibling_unit)
        services.answer_set(row=rows["17"], level=2, actor=operator)
        services.row_transition(row=rows["17"], action="reject", actor=verifier, reason="not_signed", note="Belum TTE")
        notice = Notification.objects.get(recipient=operator)
        assert notice.title == "Indikator 17 Sistem Antrean Puskesmas Daring tidak sesuai"
        assert "Belum TTE" in notice.body and notice.url.endswith(f"/baris/inovasi/{rows['17'].pk}/")
        assert not Notification.objects.filter(recipient=bystander).exists()

    def test_an_assigned_action_tells_the_unit(self, assessment, admin, operator, world):
        from lumbung.notifications.models import Notification

        services.planned_action_create(
            assessment=assessment, actor=admin, description="Unggah SOP", gain=1, unit=world.unit
        )
        assert Notification.objects.get(recipient=operator).body == "Unggah SOP"


def test_figures_follow_an_edited_methodology(client, assessment, rows, operator, admin):
    """Weights edited in the app: the overview recomputes before it shows the figures."""
    from django.core.management import call_command

    services.answer_set(row=rows["35"], level=3, actor=operator)  # 4 × 3 = 12 of 111
    framework = assessment.framework
    framework.indicators.filter(code="35").update(weight=5)
    framework.revision = uuid.uuid4()
    framework.save(update_fields=["revision"])
    client.force_login(admin)
    client.get(f"/penilaian/{assessment.pk}/")
    assert D(fresh(assessment).figures["claimed"]["maturity_sum"]) == 15
    call_command("iga_recompute", "2026", stdout=io.StringIO())
    assert fresh(assessment).figures["revision"] == str(framework.revision)
