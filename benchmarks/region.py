"""One region of the national data set grown to 1,000 entered innovations (× 20 answer rows),
coherent enough for the real pages: the demo's units of Lampung Barat, an admin, a verifier, a
leader and a unit operator, innovations in every review state (most of them published, so the
showcase and open data are full), evidence in the library attached to most rows, rows waiting
for a verdict (the verification queue), rejections with reasons, row history, the year's stages,
official results of past years and a few actions assigned from the planner.

Small things go through the project's own services (units, roles, stages, results, planned
actions); the thousands of innovations, entries, rows, documents and events are bulk
INSERT ... SELECT statements, so the region builds in seconds. Used by `make loadtest` (all of
it) and `make bench` (the region index summary at 1,000 innovations).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from benchmarks.dataset import YEAR, insert_select

REGION_CODE = "18.04"  # Kabupaten Lampung Barat, the demo's region
TARGET = 1000
# Innovations of the region that are not entered in the assessment (drafts, returned, on trial).
NOT_ENTERED = (("initiative", "draft", 40), ("trial", "returned", 15), ("trial", "submitted", 25))

# Words of the generated names: 10 × 20 × 10 distinct names, searchable ("posyandu", "pajak" ...).
PREFIXES = ("Gerakan", "Layanan", "Sistem Informasi", "Aplikasi", "Klinik", "Sekolah", "Pojok", "Rumah", "Kampung",
            "Gerai")  # fmt: skip
TOPICS = ("Posyandu Digital", "Gizi Balita", "Perizinan Daring", "Pajak Daerah", "Kopi Robusta", "Sampah Plastik",
          "Adminduk Keliling", "Literasi Anak", "Ibu Hamil Sehat", "Air Bersih", "Pasar Pekon", "Bibit Unggul",
          "Pengaduan Warga", "Arsip Elektronik", "Lansia Tangguh", "Jalan Mantap", "Wisata Danau Ranau",
          "Tanggap Bencana", "Beasiswa Pekon", "UMKM Naik Kelas")  # fmt: skip
PLACES = ("Liwa", "Sekincau", "Way Tenong", "Sumber Jaya", "Balik Bukit", "Batu Brak", "Suoh", "Belalau", "Kenali",
          "Fajar Bulan")  # fmt: skip
PEOPLE = ("Agus Salim", "Rina Marlina", "Hendra Saputra", "Siti Aminah", "Dedi Kurniawan", "Yuliana Putri",
          "Bambang Irawan", "Nurul Hidayah", "Fajar Ramadhan", "Lestari Handayani")  # fmt: skip
# (key, e-mail, full name, role, unit short name or "")
ACCOUNTS = (
    ("admin", "admin@beban.test", "Admin Inovasi (uji beban)", "admin", ""),
    ("verifier", "verifikator@beban.test", "Verifikator (uji beban)", "verifier", ""),
    ("leader", "pimpinan@beban.test", "Pimpinan Daerah (uji beban)", "leader", ""),
    ("operator", "operator@beban.test", "Operator Diskominfo (uji beban)", "operator", "Diskominfo"),
)
DOCUMENT_LINK = "https://jdih.lampungbaratkab.go.id/eviden/"


@dataclass
class BigRegion:
    region: object
    assessment: object
    users: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + str(value).replace("'", "''") + "'" for value in values) + "]"


def _pick(values, index: str) -> str:
    return f"({_array(values)})[1 + ({index}) % {len(values)}]"


def grow_region(*, actor, code: str = REGION_CODE, target: int = TARGET) -> BigRegion:
    """Replace the national rows of region `code` with `target` entered innovations and
    everything around them; the region becomes hosted (public showcase)."""
    from django.db import connection, transaction

    from lumbung.assessment.models import Assessment
    from lumbung.organisation.models import Region

    with transaction.atomic():
        region = Region.objects.get(code=code)
        Region.objects.filter(pk=region.pk).update(is_hosted=True)
        region.is_hosted = True
        assessment = Assessment.objects.select_related("framework").get(region=region, year=YEAR)
        with connection.cursor() as cursor:
            _clear(cursor, region)
        big = BigRegion(region=region, assessment=assessment)
        big.units = _units(region, actor)
        big.users = _users(region, big.units, actor)
        with connection.cursor() as cursor:
            _innovations(cursor, big, target)
            _entries(cursor, big)
            _answers(cursor, big)
            _evidence(cursor, big)
            _events(cursor, big)
        _region_rows(big)
        _calendar(big)
    return big


def _clear(cursor, region) -> None:
    """The region's innovations of the national data set make way for the grown set."""
    cursor.execute(
        "DELETE FROM assessment_answer WHERE entry_id IN (SELECT e.id FROM assessment_entry e"
        " JOIN innovations_innovation i ON i.id = e.innovation_id WHERE i.region_id = %s)",
        [region.pk],
    )
    cursor.execute(
        "DELETE FROM assessment_entry WHERE innovation_id IN (SELECT id FROM innovations_innovation"
        " WHERE region_id = %s)",
        [region.pk],
    )
    cursor.execute("DELETE FROM innovations_innovation WHERE region_id = %s", [region.pk])


def _units(region, actor) -> dict:
    """The demo's units of Lampung Barat (organisation/demo.py), through the unit service."""
    from lumbung.organisation.demo import UNITS
    from lumbung.organisation.models import Unit
    from lumbung.organisation.services import unit_create

    units = {unit.short_name: unit for unit in Unit.objects.filter(region=region)}
    for short_name, name, kind, parent in UNITS:
        if short_name not in units:
            units[short_name] = unit_create(
                region=region, actor=actor, name=name, kind=kind, short_name=short_name, parent=units.get(parent)
            )
    return units


def _users(region, units, actor) -> dict:
    from django.utils import timezone

    from lumbung.accounts.models import User
    from lumbung.accounts.services import role_grant

    users = {}
    for key, email, name, role, unit in ACCOUNTS:
        # No password: the load test signs them in with a session made on the server side.
        user = User.objects.create_user(email, None, full_name=name, email_verified_at=timezone.now())
        role_grant(user=user, role=role, region=region, unit=units.get(unit), granted_by=actor)
        users[key] = user
    return users


def _innovations(cursor, big: BigRegion, target: int) -> None:
    from lumbung.innovations.models import GovernmentAffair, Innovation, TeamMember, Theme, search_document

    region, users = big.region, big.users
    framework = big.assessment.framework
    unit_ids = [unit.pk for unit in sorted(big.units.values(), key=lambda unit: unit.pk)]
    affairs = list(GovernmentAffair.objects.order_by("order").values_list("pk", flat=True))
    themes = list(Theme.objects.filter(year=YEAR).values_list("pk", flat=True))
    total = target + sum(count for _stage, _status, count in NOT_ENTERED)
    # g = 1..target: entered (implementation), in review states; most of them published.
    entered_status = _pick(["published"] * 12 + ["substance_verified"] * 2 + ["documents_verified"] * 2
                           + ["submitted"] * 3 + ["resubmitted"], "g")  # fmt: skip
    stage = [f"CASE WHEN g <= {target} THEN 'implementation'"]
    status = [f"CASE WHEN g <= {target} THEN {entered_status}"]
    upper = target
    for stage_name, status_name, count in NOT_ENTERED:
        upper += count
        stage.append(f"WHEN g <= {upper} THEN '{stage_name}'")
        status.append(f"WHEN g <= {upper} THEN '{status_name}'")
    topic, place = _pick(TOPICS, "g / 10"), _pick(PLACES, "g / 200")
    name = f"{_pick(PREFIXES, 'g')} || ' ' || {topic} || ' ' || {place}"
    # One entered innovation in 25 was implemented before the window: entered, but not eligible.
    window_from = framework.implementation_from or dt.date(YEAR - 2, 1, 1)
    implemented = (
        f"CASE WHEN g <= {target} AND g % 25 = 0 THEN DATE '{window_from:%Y-%m-%d}' - 900 + (g % 200)"
        f" WHEN g <= {target} THEN DATE '{window_from:%Y-%m-%d}' + 14 + (g * 7) % 690 ELSE NULL END"
    )
    # Innovations at the trial stage (entered ones passed through it) have a trial date.
    drafts = NOT_ENTERED[0][2]
    trial = f"CASE WHEN g <= {target} THEN ({implemented}) - 120 WHEN g > {target + drafts} THEN DATE '2025-06-01' END"
    unit = f"(ARRAY{unit_ids})[1 + g % {len(unit_ids)}]"
    values = {
        "region_id": str(region.pk), "unit_id": unit, "name": name,
        "stage": " ".join(stage) + " END", "status": " ".join(status) + " END",
        "initiator_kind": _pick(["unit", "unit", "civil_servant", "region_head", "citizen"], "g"),
        "initiator_name": _pick(PEOPLE, "g + 3"), "is_digital": "g % 3 <> 0",
        "form": _pick(["public_service", "governance", "other_affairs"], "g"),
        "theme_id": f"(ARRAY{themes})[1 + g % {len(themes)}]" if themes else "NULL",
        "main_affair_id": f"(ARRAY{affairs})[1 + g % {len(affairs)}]",
        "implementation_date": implemented, "trial_date": trial,
        "legal_basis": f"'Peraturan Bupati Lampung Barat Nomor ' || (1 + g % 40) || ' Tahun 2025 tentang ' || {name}",
        "problem": f"'Warga ' || {place} || ' menempuh perjalanan jauh dan menunggu lama untuk urusan ' || lower({topic})"
                   " || '; datanya dicatat manual sehingga sering terlambat dan sulit dipantau.'",
        "strategic_issue": f"'Pemerataan layanan ' || lower({topic}) || ' sampai ke pekon terjauh di ' || {place} || '.'",
        "method": f"'Layanan ' || lower({topic}) || ' dibawa ke pekon dengan jadwal tetap dan pencatatan daring.'",
        "novelty": "'Pertama di Lampung Barat: petugas, warga dan perangkat daerah melihat data yang sama.'",
        "workflow": "'Warga mendaftar lewat kader pekon, petugas memverifikasi, hasilnya dikirim lewat WhatsApp.'",
        "goals": f"'Mempercepat dan mendekatkan layanan ' || lower({topic}) || ' bagi warga ' || {place} || '.'",
        "benefits": "'Waktu layanan turun dari beberapa hari menjadi satu hari; warga tidak perlu ke ibu kota kabupaten.'",
        "results": "'Jumlah warga yang terlayani naik setiap triwulan sejak inovasi diterapkan.'",
        "latitude": "CASE WHEN g % 10 < 7 THEN -5.03 + ((g * 37) % 200 - 100) / 1000.0 END",
        "longitude": "CASE WHEN g % 10 < 7 THEN 104.07 + ((g * 53) % 200 - 100) / 1000.0 END",
        "is_running": "TRUE", "running_confirmed_year": str(YEAR),
        "created_by_id": f"CASE WHEN g % 4 = 0 THEN {users['operator'].pk} ELSE {users['admin'].pk} END",
        "created_at": "now() - ((g * 13) % 400 + 60) * interval '1 day'",
        "updated_at": "now() - ((g * 7) % 90) * interval '1 day' - g * interval '1 minute'",
    }  # fmt: skip
    cursor.execute(insert_select(Innovation, f"generate_series(1, {total}) g", values))
    Innovation.objects.filter(region=region).update(search_vector=search_document())
    through = Innovation.related_affairs.through._meta.db_table
    cursor.execute(
        f"INSERT INTO {through} (innovation_id, governmentaffair_id) SELECT i.id, (ARRAY{affairs})[1 + (i.id * 7) % "
        f"{len(affairs)}] FROM innovations_innovation i WHERE i.region_id = {region.pk} AND i.id % 3 = 0 "
        f"AND i.main_affair_id <> (ARRAY{affairs})[1 + (i.id * 7) % {len(affairs)}]",
    )
    for role, offset in (("owner", 0), ("initiator", 5)):
        cursor.execute(
            insert_select(
                TeamMember,
                f"innovations_innovation i WHERE i.region_id = {region.pk}",
                {"innovation_id": "i.id", "name": _pick(PEOPLE, f"i.id + {offset}"), "role": f"'{role}'",
                 "added_at": "i.created_at"},
            ),
        )  # fmt: skip


def _entries(cursor, big: BigRegion) -> None:
    from lumbung.assessment.models import Entry

    framework = big.assessment.framework
    window_from = framework.implementation_from or dt.date(YEAR - 2, 1, 1)
    eligible = f"i.implementation_date >= DATE '{window_from:%Y-%m-%d}'"
    reasons = (
        f"CASE WHEN {eligible} THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('code', 'too_old',"
        f" 'params', jsonb_build_object('date', i.implementation_date::text, 'start', '{window_from:%Y-%m-%d}'))) END"
    )
    cursor.execute(
        insert_select(
            Entry,
            f"innovations_innovation i WHERE i.region_id = {big.region.pk} AND i.stage = 'implementation'",
            {"assessment_id": str(big.assessment.pk), "innovation_id": "i.id", "is_eligible": eligible,
             "eligibility_reasons": reasons, "checked_at": "now() - interval '30 days'",
             "entered_by_id": str(big.users["admin"].pk), "entered_at": "now() - interval '30 days'"},
        ),
    )  # fmt: skip


# Per row, two pseudo-random numbers 0..99 from the ids (the set is the same on every build).
H = "((e.id * 7919 + x.id * 104729) % 100)"
V = "((e.id * 31 + x.id * 17 + e.id / 7) % 100)"
TIER = "(e.innovation_id % 3)"  # strong, medium and weak innovations
REASONS = ("wrong_document", "level_not_supported", "wrong_year", "name_missing", "not_signed", "incomplete",
           "unreadable", "link_broken")  # fmt: skip


def _answers(cursor, big: BigRegion) -> None:
    from lumbung.assessment.models import Answer

    users, diskominfo = big.users, big.units["Diskominfo"]
    missing = f"{H} < CASE WHEN x.is_mandatory THEN 4 + 4 * {TIER} ELSE 15 + 15 * {TIER} END"
    # Claimed 28 %, accepted 60 %, rejected 8 %, resubmitted after a rejection 4 %.
    status = (
        f"CASE WHEN {missing} THEN 'missing' WHEN {V} < 60 THEN 'accepted' WHEN {V} < 68 THEN 'rejected'"
        f" WHEN {V} < 72 THEN 'resubmitted' ELSE 'claimed' END"
    )
    judged = f"NOT ({missing}) AND {V} < 68"
    cursor.execute(
        insert_select(
            Answer,
            f"assessment_entry e JOIN innovations_innovation i ON i.id = e.innovation_id"
            f" CROSS JOIN frameworks_indicator x WHERE e.assessment_id = {big.assessment.pk}"
            f" AND x.framework_id = {big.assessment.framework_id} AND x.aspect = 'innovation'",
            {"entry_id": "e.id", "scoring_assessment_id": "e.assessment_id", "indicator_id": "x.id",
             "level": f"CASE WHEN {missing} THEN 0 WHEN {H} % 10 < 6 - 2 * {TIER} THEN 3 ELSE 1 + {H} % 2 END",
             "status": status,
             "verdict_reason": f"CASE WHEN {judged} AND {V} >= 60 THEN {_pick(REASONS, 'e.id + x.id')} ELSE '' END",
             "verdict_note": f"CASE WHEN {judged} AND {V} >= 60 THEN 'Eviden belum mendukung parameter yang diklaim;"
                             " lengkapi lalu ajukan ulang.' ELSE '' END",
             "verified_by_id": f"CASE WHEN {judged} THEN {users['verifier'].pk} END",
             "verified_at": f"CASE WHEN {judged} THEN now() - ((e.id + x.id) % 20) * interval '1 day' END",
             "updated_by_id": f"CASE WHEN {missing} THEN NULL WHEN i.unit_id = {diskominfo.pk}"
                              f" THEN {users['operator'].pk} ELSE {users['admin'].pk} END",
             "updated_at": "now() - ((e.id * 7 + x.id * 3) % 50) * interval '1 day' - e.id * interval '1 second'"},
        )
    )  # fmt: skip


def _document_years(framework) -> dict[int, int]:
    """The latest year each innovation row accepts for its evidence (as the demo files them)."""
    from lumbung.assessment.evidence import allowed_evidence_years

    years = {}
    for indicator in framework.indicators.filter(aspect="innovation"):
        row = SimpleNamespace(assessment=SimpleNamespace(year=YEAR), indicator=indicator)
        years[indicator.pk] = max(allowed_evidence_years(row), default=YEAR)
    return years


def _evidence(cursor, big: BigRegion) -> None:
    """A library document per answered row (one Perbup and one RKPD serve every innovation),
    attached to it; one answered row in twenty has no evidence yet (a gap)."""
    from lumbung.assessment.demo import ROWS
    from lumbung.assessment.evidence import document_store
    from lumbung.assessment.models import Document, EvidenceLink

    admin, assessment = big.users["admin"], big.assessment
    shared = {
        "16": document_store(
            region=big.region, actor=admin, year=YEAR - 1, number="Nomor 18 Tahun 2025",
            title="Peraturan Bupati Lampung Barat Nomor 18 Tahun 2025 tentang Inovasi Daerah",
            link=f"{DOCUMENT_LINK}perbup-18-2025",
        ),
        "21": document_store(
            region=big.region, actor=admin, year=YEAR,
            title=f"RKPD Kabupaten Lampung Barat Tahun {YEAR}: program inovasi daerah", link=f"{DOCUMENT_LINK}rkpd",
        ),
    }  # fmt: skip
    titles = {code: title for code, kind, title in ROWS if not kind.startswith(("shared:", "same:"))}
    years = _document_years(assessment.framework)
    title = "CASE x.code " + " ".join(
        f"WHEN '{code}' THEN replace(replace('{pattern}', '{{name}}', i.name), '{{unit}}', u.short_name)"
        for code, pattern in titles.items()
    ) + " ELSE 'Dokumen pendukung indikator ' || x.code || ' ' || i.name END"  # fmt: skip
    year = "CASE x.id " + " ".join(f"WHEN {pk} THEN {value}" for pk, value in years.items()) + f" ELSE {YEAR} END"
    rows = (
        "assessment_answer a JOIN assessment_entry e ON e.id = a.entry_id"
        " JOIN innovations_innovation i ON i.id = e.innovation_id JOIN organisation_unit u ON u.id = i.unit_id"
        f" JOIN frameworks_indicator x ON x.id = a.indicator_id WHERE e.assessment_id = {assessment.pk}"
        " AND a.status <> 'missing' AND (a.entry_id + a.indicator_id * 3) % 20 <> 0"
    )
    cursor.execute(
        insert_select(
            Document,
            f"{rows} AND x.code NOT IN ('16', '21')",
            {"region_id": str(big.region.pk), "title": f"left({title}, 255)", "year": year, "kind": "'link'",
             "link": f"'{DOCUMENT_LINK}' || a.id", "uploaded_by_id": "a.updated_by_id",
             "uploaded_at": "a.updated_at - interval '1 day'"},
        )
    )  # fmt: skip
    cursor.execute(
        insert_select(
            EvidenceLink,
            f"assessment_document d JOIN assessment_answer a ON d.link = '{DOCUMENT_LINK}' || a.id"
            f" WHERE d.region_id = {big.region.pk} AND a.scoring_assessment_id = {assessment.pk}",
            {"document_id": "d.id", "answer_id": "a.id", "attached_by_id": "a.updated_by_id",
             "attached_at": "d.uploaded_at"},
        )
    )  # fmt: skip
    for code, document in shared.items():
        cursor.execute(
            insert_select(
                EvidenceLink,
                f"{rows} AND x.code = '{code}'",
                {"document_id": str(document.pk), "answer_id": "a.id", "attached_by_id": "a.updated_by_id",
                 "attached_at": "a.updated_at - interval '1 day'"},
            )
        )  # fmt: skip


def _events(cursor, big: BigRegion) -> None:
    """Each row's history: the claim, the verdict, and the resubmission after a rejection."""
    from lumbung.assessment.models import AnswerEvent

    rows = (
        f"assessment_answer a JOIN assessment_entry e ON e.id = a.entry_id WHERE e.assessment_id = {big.assessment.pk}"
    )
    verifier = big.users["verifier"].pk
    steps = (
        ("claim", "a.updated_by_id", "'missing'", "'claimed'", "''", "a.updated_at - interval '3 days'",
         "a.status <> 'missing'"),
        ("accept", str(verifier), "'claimed'", "'accepted'", "''", "a.verified_at", "a.status = 'accepted'"),
        ("reject", str(verifier), "'claimed'", "'rejected'", "a.verdict_note", "a.verified_at",
         "a.status IN ('rejected', 'resubmitted')"),
        ("resubmit", "a.updated_by_id", "'rejected'", "'resubmitted'", "'Berkas sudah diperbaiki.'", "a.updated_at",
         "a.status = 'resubmitted'"),
    )  # fmt: skip
    for action, actor, before, after, note, at, condition in steps:
        cursor.execute(
            insert_select(
                AnswerEvent,
                f"{rows} AND {condition}",
                {"answer_id": "a.id", "actor_id": actor, "action": f"'{action}'", "from_state": before,
                 "to_state": after, "note": note, "created_at": f"coalesce({at}, a.updated_at)"},
            )
        )  # fmt: skip


def _region_rows(big: BigRegion) -> None:
    """The SPD rows get their responsible units (as in the demo) and the demo's verdicts: some
    accepted, some still waiting for the verifier, one rejected."""
    from lumbung.assessment import services
    from lumbung.assessment.demo import SPD, SPD_UNITS
    from lumbung.assessment.models import RegionAnswer

    assessment, verifier = big.assessment, big.users["verifier"]
    rows = {row.indicator.code: row for row in assessment.region_answers.select_related("indicator")}
    units = {row.pk: big.units[SPD_UNITS[code]] for code, row in rows.items() if SPD_UNITS.get(code) in big.units}
    services.region_rows_assign(assessment=assessment, units=units, actor=big.users["admin"])
    for code, _value, verdict, _title in SPD:
        if code not in rows:
            continue
        status = {"accept": "accepted", "pending": "claimed", "bare": "claimed"}.get(verdict, "rejected")
        judged = status in ("accepted", "rejected")
        RegionAnswer.objects.filter(pk=rows[code].pk).update(
            status=status,
            level=max(rows[code].level, 1),
            verified_by=verifier if judged else None,
            verdict_reason="wrong_year" if status == "rejected" else "",
        )


def _calendar(big: BigRegion) -> None:
    """This year's stages around today (collection closes in three weeks, as in the demo), the
    official results of past years and the planner's top steps assigned to units."""
    from django.utils import timezone

    from lumbung.assessment import services
    from lumbung.assessment.demo import RESULTS

    today, admin = timezone.localdate(), big.users["admin"]
    days = dt.timedelta
    services.assessment_update_stages(
        assessment=big.assessment, actor=admin,
        collection_starts=today - days(70), collection_ends=today + days(21),
        validation_starts=today + days(22), validation_ends=today + days(55),
        presentation_starts=today + days(70), presentation_ends=today + days(72),
        field_check_starts=today + days(80), field_check_ends=today + days(92),
    )  # fmt: skip
    for year, iid, rank, predicate, notes in RESULTS:
        services.official_result_save(
            region=big.region, year=year, actor=admin, iid=iid, rank=rank, rank_scope="Kabupaten",
            predicate=predicate, notes=notes,
        )  # fmt: skip


def assign_planned_actions(big: BigRegion) -> int:
    """The planner's four best steps assigned to units (one finished, one in progress); needs
    the region's figures, so it runs after the recomputation."""
    from django.utils import timezone

    from lumbung.assessment import services
    from lumbung.assessment.planning import action_target, describe, plan_for

    plan, data = plan_for(big.assessment)
    today, admin = timezone.localdate(), big.users["admin"]
    for index, action in enumerate(plan.actions[:4]):
        _row, innovation, unit = action_target(action, data)
        item = services.planned_action_create(
            assessment=big.assessment, actor=admin, description=describe(action, data), gain=action.gain,
            kind=action.kind, innovation=innovation, indicator_code=action.row_code, unit=unit or big.units["BRIDA"],
            due_date=today + dt.timedelta(days=-3 if index == 3 else 14 + 7 * index),
        )  # fmt: skip
        if index < 2:
            services.planned_action_transition(item=item, action=("finish", "start")[index], actor=admin)
    return min(len(plan.actions), 4)
