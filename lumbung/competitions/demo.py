"""Lampung Barat's competitions: last year's unit competition, finished (screening, two scored
rounds with a harsh and a lenient judge, results, certificates, winners in the registry), and
this year's citizen competition, open for proposals."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from lumbung.accounts.models import RoleAssignment, User
from lumbung.core.demo import Demo
from lumbung.core.roles import Role
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.organisation.models import Assignment, Echelon

from . import documents, judges, results, services
from .allocation import allocate
from .models import (
    Certificate,
    Competition,
    CompetitionEvent,
    Entry,
    EntryEvent,
    JudgeAssignment,
    Panel,
    Score,
    ScoreCard,
    ScoreCardEvent,
    Track,
)
from .phases import PhaseKind
from .workflows import COMPETITION

# (key, e-mail, name, what they do, bias on the 1-5 scale: harsh < 0 < lenient)
# Printed by load_demo beside the accounts app's logins.
LOGINS = [(Role.JUDGE, "juri.marzuki@lambar.test", "juri yang keras (lihat efek nilai-z)")]
JUDGES = [
    ("judge", "", "", "Akademisi Universitas Lampung", 0.0),
    ("judge_lenient", "juri.yulianti@lambar.test", "Prof. Dr. Yulianti Harahap, M.Si.", "Akademisi", 0.7),
    ("judge_harsh", "juri.marzuki@lambar.test", "Ir. Marzuki Effendi, M.T.", "Praktisi", -1.0),
    ("judge_official", "juri.dinkes@lambar.test", "", "ASN Dinas Kesehatan", 0.2),
    ("judge_media", "juri.wahyu@lambar.test", "Wahyu Pratama, S.Sos.", "Jurnalis", -0.2),
]


@dataclass(frozen=True)
class Story:
    unit: str
    title: str
    affair: str
    problem: str
    idea: str
    how: str
    result: str
    quality: float
    # Why the administrative check failed; empty when it passed.
    failed: str = ""


UNIT_STORIES = [
    Story("Diskominfo", "Lambar Satu Data: portal data terpadu perangkat daerah", "kominfo",
          "data sektoral tersebar di 30 perangkat daerah dalam format berbeda sehingga perencanaan lambat",
          "satu portal dengan standar metadata dan walidata di setiap perangkat daerah",
          "walidata mengunggah data setiap triwulan, Diskominfo memeriksa dan menerbitkannya",
          "412 set data terbit dan waktu penyusunan RKPD turun dari 6 menjadi 3 minggu", 0.85),
    Story("Dinkes", "SIGAP Bumil: pemantauan ibu hamil risiko tinggi lewat WhatsApp", "kesehatan",
          "kematian ibu masih terjadi karena ibu hamil risiko tinggi terlambat dirujuk",
          "bidan desa melapor tanda bahaya lewat WhatsApp yang terhubung dengan dasbor puskesmas",
          "setiap laporan memicu kunjungan bidan dalam 24 jam dan rujukan bila perlu",
          "1.184 ibu hamil dipantau dan tidak ada kematian ibu di 6 kecamatan uji coba", 0.9),
    Story("PKM Liwa", "Posyandu Remaja Digital Liwa", "kesehatan",
          "remaja enggan datang ke posyandu sehingga anemia dan merokok tidak terpantau",
          "kelas remaja daring dan luring dengan kartu sehat digital",
          "kader remaja menjadwalkan pemeriksaan dan mengirim pengingat",
          "cakupan pemeriksaan remaja naik dari 21% menjadi 64%", 0.7),
    Story("Disdukcapil", "Si DUTA Pekon: layanan adminduk jemput bola ke pekon", "adminduk",
          "warga pekon terpencil menempuh 3 jam perjalanan untuk mengurus KTP dan akta",
          "petugas keliling dengan perangkat rekam KTP-el dan cetak dokumen di balai pekon",
          "jadwal kunjungan diumumkan lewat aparat pekon dan media sosial",
          "9.870 dokumen terbit di 131 pekon dalam satu tahun", 0.8),
    Story("DPMPTSP", "Izin Kilat: perizinan UMKM satu hari jadi", "penanaman_modal",
          "pelaku UMKM menunggu hingga dua minggu untuk izin usaha sederhana",
          "pendampingan OSS di gerai dan verifikasi dokumen di tempat",
          "petugas mendampingi pengisian OSS dan menerbitkan NIB saat itu juga",
          "2.315 NIB terbit, 87% pada hari yang sama", 0.75),
    Story("Disdikbud", "Gerakan Literasi Sekolah Sekala Bekhak", "pendidikan",
          "kemampuan membaca siswa kelas awal di bawah rata-rata provinsi",
          "pojok baca kelas dengan buku cerita lokal berbahasa Lampung dan Indonesia",
          "guru memberi 15 menit membaca setiap pagi dan mencatat kemajuan",
          "nilai asesmen literasi naik 11 poin di 42 sekolah", 0.65),
    Story("Dinas PUPR", "LAPOR JALAN: aduan jalan rusak berbasis peta", "pupr",
          "aduan jalan rusak tercecer di media sosial dan sulit ditindaklanjuti",
          "formulir aduan dengan titik koordinat dan foto yang masuk ke antrean bidang bina marga",
          "setiap aduan diverifikasi, dijadwalkan, dan statusnya dapat dilihat warga",
          "318 titik diperbaiki dengan waktu tanggap rata-rata 9 hari", 0.6),
    Story("DLH", "Bank Sampah Pekon Terintegrasi", "lingkungan_hidup",
          "sampah rumah tangga dibakar atau dibuang ke sungai",
          "bank sampah di setiap pekon yang terhubung dengan pengepul dan UPTD persampahan",
          "warga menabung sampah terpilah dan menerima saldo setiap bulan",
          "46 ton sampah terpilah per bulan dan 27 bank sampah aktif", 0.55),
    Story("Distan", "Klinik Tani Kopi Robusta Lampung Barat", "pertanian",
          "produktivitas kopi robusta rendah karena tanaman tua dan hama",
          "klinik keliling penyuluh dengan demplot sambung pucuk",
          "penyuluh membuka konsultasi mingguan dan kunjungan kebun",
          "produktivitas petani binaan naik dari 0,8 menjadi 1,3 ton per hektare", 0.5),
    Story("BPBD", "Pekon Tangguh Gempa Liwa", "trantibum",
          "warga Liwa tinggal di jalur sesar aktif tetapi belum terlatih menghadapi gempa",
          "tim siaga pekon dengan peta evakuasi dan simulasi rutin",
          "BPBD melatih relawan yang lalu melatih warga setiap semester",
          "18 pekon memiliki rencana kontinjensi dan jalur evakuasi", 0.45),
    Story("RSUD AU", "Antrean Online Poliklinik RSUD Alimuddin Umar", "kesehatan",
          "pasien antre sejak subuh untuk mendapatkan nomor poliklinik",
          "pendaftaran daring lewat WhatsApp dan situs dengan estimasi jam dilayani",
          "nomor antrean dikirim sehari sebelumnya dan papan antrean tampil di ruang tunggu",
          "waktu tunggu rata-rata turun dari 3 jam menjadi 55 menit", 0.78),
    Story("Dispar", "Paket Wisata Digital Danau Ranau", "pariwisata",
          "kunjungan wisata belum tercatat dan paket wisata sulit ditemukan",
          "katalog paket wisata daring bersama kelompok sadar wisata",
          "pokdarwis mengunggah paket dan harga, Dispar memverifikasi",
          "belum ada data kunjungan setelah penerapan", 0.3,
          failed="Surat pernyataan kepala perangkat daerah tidak dilampirkan dan inovasi belum diterapkan."),
    Story("Kec. Balik Bukit", "PATEN Keliling Kecamatan Balik Bukit", "pemerintahan_umum",
          "warga pekon jauh dari kantor kecamatan untuk layanan administrasi",
          "layanan administrasi terpadu kecamatan yang berkeliling",
          "jadwal bergilir ke pekon setiap pekan",
          "masih tahap rencana", 0.3,
          failed="Masih berupa gagasan; ketentuan lomba mensyaratkan inovasi sudah diterapkan minimal enam bulan."),
]  # fmt: skip

# (key, e-mail, name, track, institution, title, affair, quality, village)
CITIZENS = [
    ("citizen_rahmat", "rahmat.hidayat@warga.test", "Rahmat Hidayat", Track.CITIZENS, "",
     "Jadwal Angkut Sayur Petani Sekincau", "pertanian", "Pekon Way Empulau Ulu"),
    ("citizen_nanda", "nanda.putri@warga.test", "Nanda Putri", Track.STUDENTS, "SMA Negeri 1 Liwa",
     "Robot Penyiram Kebun Kopi Tenaga Surya", "pertanian", "Kelurahan Way Mengaku"),
    ("citizen_arif", "arif.saputra@warga.test", "Arif Saputra (Karang Taruna Suoh)", Track.CITIZENS, "",
     "Wisata Edukasi Kawah Nirwana Suoh", "pariwisata", "Pekon Suoh"),
    ("citizen_maya", "maya.lestari@warga.test", "Maya Lestari", Track.STUDENTS, "Universitas Lampung",
     "Peta Digital UMKM Kuliner Liwa", "koperasi_ukm", "Kelurahan Pasar Liwa"),
    ("citizen_sugeng", "sugeng.wibowo@warga.test", "Sugeng Wibowo", Track.CITIZENS, "",
     "Pupuk Organik dari Limbah Kulit Kopi", "lingkungan_hidup", "Pekon Hujung"),
]  # fmt: skip

PHRASES = {
    "high": ["Data dampak kuat dan terukur.", "Mudah ditiru perangkat daerah lain.", "Kolaborasi dengan pekon sangat baik."],
    "mid": ["Perlu data sebelum-sesudah yang lebih rinci.", "Keberlanjutan anggaran belum jelas.", "Jangkauan masih terbatas."],
    "low": ["Belum terlihat unsur barunya.", "Bukti penerapan kurang.", "Perlu pendampingan klinik inovasi."],
}  # fmt: skip


def _when(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def _affair(code: str) -> GovernmentAffair | None:
    return GovernmentAffair.objects.filter(code=code).first() or GovernmentAffair.objects.order_by("order").first()


def _answers(competition: Competition, story: Story) -> dict[str, str]:
    texts = [
        f"{story.title} menjawab masalah {story.problem}. Hasilnya: {story.result}.",
        f"Selama ini {story.problem}. Masalah ini dirasakan langsung oleh warga dan menjadi perhatian "
        f"pimpinan daerah karena berdampak pada mutu layanan publik di Kabupaten Lampung Barat.",
        f"Kebaruan inovasi ini adalah {story.idea}. Cara seperti ini belum pernah diterapkan di Lampung Barat "
        f"dan disesuaikan dengan kondisi pekon yang tersebar di wilayah pegunungan.",
        f"Cara kerjanya: {story.how}. Setiap tahap memiliki penanggung jawab dan dicatat untuk monitoring.",
        f"Sampai saat ini {story.result}. Warga memberi tanggapan positif melalui survei kepuasan masyarakat.",
        "Inovasi didukung anggaran rutin, surat keputusan kepala perangkat daerah, dan panduan kerja, "
        "sehingga dapat dilanjutkan dan ditiru oleh perangkat daerah atau pekon lain.",
    ]
    return {section.key: text for section, text in zip(competition.sections.all(), texts, strict=False)}


def _judges(demo: Demo) -> dict[str, User]:
    dinkes = demo.shared["units"]["Dinkes"]
    official = (
        Assignment.objects.filter(
            unit=dinkes, echelon=Echelon.III_A, is_acting=False, end_date__isnull=True, official__user__isnull=True
        )
        .select_related("official")
        .first()
    )
    people = {}
    for key, email, name, _what, _bias in JUDGES:
        if key == "judge":
            people[key] = demo.user("judge")
            continue
        extra = {}
        if key == "judge_official" and official is not None:
            name, extra = official.official.name, {"official": official.official}
        user = User.objects.create_user(email, demo.password, full_name=name, email_verified_at=timezone.now(), **extra)
        RoleAssignment.objects.create(user=user, role=Role.JUDGE, region=demo.region)
        people[key] = user
    return people


def load(demo: Demo) -> None:
    admin = demo.user("admin")
    units = demo.shared["units"]
    rubrics = {
        code: services.rubric_from_preset(region=demo.region, actor=admin, code=code)
        for code in ("kipp", "iga-presentasi")
    }
    people = _judges(demo)
    signatory = Assignment.objects.filter(unit=units["BRIDA"], echelon=Echelon.II_B).select_related("official").first()
    _finished_unit_competition(demo, admin, units, rubrics, people, signatory)
    _open_citizen_competition(demo, admin, units, rubrics, people, signatory)


def _signatory(signatory) -> dict:
    if signatory is None:
        return {}
    return {
        "signatory_name": signatory.official.name,
        "signatory_position": "Kepala Badan Riset dan Inovasi Daerah",
        "signatory_nip": signatory.official.nip,
    }


# Last year's competition, finished -------------------------------------------------------------


def _finished_unit_competition(demo, admin, units, rubrics, people, signatory) -> None:
    competition = services.competition_create(
        region=demo.region, actor=admin,
        data={
            "title": "Lomba Inovasi Perangkat Daerah 2025", "year": 2025, "tracks": [Track.UNITS],
            "description": (
                "Lomba tahunan untuk menjaring inovasi terbaik perangkat daerah, puskesmas, sekolah, dan "
                "kecamatan se-Kabupaten Lampung Barat sebagai bahan Indeks Inovasi Daerah dan IGA."
            ),
            "eligibility": (
                "Inovasi sudah diterapkan minimal enam bulan, diusulkan oleh operator perangkat daerah, dan "
                "dilampiri surat pernyataan kepala perangkat daerah."
            ),
            "organiser": units["BRIDA"], "aggregation": Competition.Aggregation.ZSCORE, "judges_per_entry": 3,
            "winners_per_track": 3, "honourable_per_track": 3, **_signatory(signatory),
        },
        submission_opens=_when(2025, 6, 2, 8), submission_closes=_when(2025, 7, 31, 23, 59),
        screening_closes=_when(2025, 8, 15, 16),
    )  # fmt: skip
    desk = services.round_save(
        competition=competition, actor=admin,
        data={"kind": PhaseKind.DESK, "name": "Penilaian proposal", "opens_at": _when(2025, 8, 18, 8),
              "closes_at": _when(2025, 9, 12, 16), "rubric": rubrics["kipp"], "weight": 40, "advance_count": 6},
    )  # fmt: skip
    presentation = services.round_save(
        competition=competition, actor=admin,
        data={"kind": PhaseKind.PRESENTATION, "name": "Presentasi kepala perangkat daerah",
              "opens_at": _when(2025, 9, 22, 8), "closes_at": _when(2025, 10, 3, 16),
              "rubric": rubrics["iga-presentasi"], "weight": 60, "advance_count": None},
    )  # fmt: skip
    # The call went out before its deadline; publish_problems() would refuse a past deadline now.
    COMPETITION.apply(competition, "publish", actor=admin)
    Competition.objects.filter(pk=competition.pk).update(published_at=_when(2025, 5, 26))
    operators = {demo.user("operator").pk: "Diskominfo", demo.user("operator_health").pk: "Dinkes"}
    sent = []
    for number, story in enumerate(UNIT_STORIES, start=1):
        unit = units[story.unit]
        entrant = next((demo.users[key] for key in ("operator", "operator_health")
                        if operators[demo.users[key].pk] == story.unit), admin)  # fmt: skip
        submitted = _when(2025, 7, 1 + number, 10 + number % 6)
        sent.append((_sent_entry(competition, story, number, unit, entrant, submitted), story))
    _screen(competition, sent, admin, first=desk)
    panel_desk = _panel(desk, "Panel penilaian proposal", list(people.values()), people["judge"])
    _judge_round(demo, desk, panel_desk, people)
    competition.__dict__.pop("round_list", None)
    desk = competition.round_of_kind(PhaseKind.DESK)
    standing = results.round_standing(desk)
    results.round_advance(round_=desk, actor=admin, entry_ids=results.default_advancers(standing))
    panel_presentation = _panel(
        presentation, "Panel presentasi",
        [people[k] for k in ("judge", "judge_lenient", "judge_harsh", "judge_official")], people["judge_lenient"],
    )  # fmt: skip
    _judge_round(demo, presentation, panel_presentation, people)
    competition.__dict__.pop("round_list", None)
    results.results_publish(competition=competition, actor=admin, note="Ditetapkan dalam rapat pleno dewan juri.")
    Competition.objects.filter(pk=competition.pk).update(results_published_at=_when(2025, 10, 10, 14))
    _backdate(competition)
    for entry in competition.entries.filter(result__prize__in=["winner", "honourable"]).select_related("result"):
        Certificate.objects.create(
            competition=competition, entry=entry, kind=Certificate.Kind.AWARD, recipient_name=entry.entrant_name,
            award_title=documents._award_title(entry, Certificate.Kind.AWARD), issued_at=_when(2025, 10, 10, 14),
        )  # fmt: skip
        documents.certificate_issue(entry=entry, kind=Certificate.Kind.AWARD)
    documents.winners_convert(competition=competition, actor=admin, unit=units["BRIDA"])


def _sent_entry(competition, story: Story, number: int, unit, entrant, submitted: dt.datetime) -> Entry:
    entry = Entry.objects.create(
        competition=competition, track=Track.UNITS, number=number, title=story.title, entrant=entrant, unit=unit,
        entrant_name=unit.name, phone="0728-21000", affair=_affair(story.affair), answers=_answers(competition, story),
        publish_consent=True, status=Entry.Status.SUBMITTED, submitted_at=submitted,
        receipt_code=f"L{competition.pk}-{number:04d}-DEMO{number:02d}",
        innovation=Innovation.objects.filter(region=competition.region, unit=unit).order_by("pk").first(),
    )  # fmt: skip
    entry.content_sha256 = hashlib.sha256(repr(sorted(entry.answers.items())).encode()).hexdigest()
    entry.save(update_fields=["content_sha256"])
    EntryEvent.objects.create(entry=entry, actor=entrant, action="create", to_state=Entry.Status.DRAFT)
    EntryEvent.objects.create(entry=entry, actor=entrant, action="submit", from_state=Entry.Status.DRAFT,
                              to_state=Entry.Status.SUBMITTED, data={"receipt": entry.receipt_code})  # fmt: skip
    EntryEvent.objects.filter(entry=entry).update(created_at=submitted)
    return entry


def _screen(competition, sent: list[tuple[Entry, Story]], admin, *, first) -> None:
    for entry, story in sent:
        failed = story.failed
        status = Entry.Status.INELIGIBLE if failed else Entry.Status.ELIGIBLE
        Entry.objects.filter(pk=entry.pk).update(status=status, reached_round=None if failed else first)
        EntryEvent.objects.create(entry=entry, actor=admin, action="fail" if failed else "pass",
                                  from_state=Entry.Status.SUBMITTED, to_state=status, note=failed)  # fmt: skip
    EntryEvent.objects.filter(entry__competition=competition, action__in=["pass", "fail"]).update(
        created_at=_when(2025, 8, 12, 11)
    )


def _panel(round_, name, members, lead) -> Panel:
    panel = Panel.objects.create(round=round_, name=name, lead=lead)
    panel.members.set(members)
    return panel


def _judge_round(demo, round_, panel, people) -> None:
    """Assign with the real conflict and balancing rules, then score as these judges would."""
    competition = round_.competition
    entries = list(Entry.objects.in_round(round_).select_related("unit").order_by("number"))
    members = list(panel.members.all())
    conflicted = judges.recusals(round_, entries, members)
    allocation = allocate(
        [str(e.pk) for e in entries], {str(panel.pk): [str(m.pk) for m in members]}, competition.judges_per_entry,
        {(str(e), str(j)) for e, j in conflicted},
    )  # fmt: skip
    bias = {people[key].pk: value for key, *_rest, value in JUDGES}
    quality = {story.title: story.quality for story in UNIT_STORIES}
    criteria = list(round_.rubric.criteria.all())
    scored_at = round_.closes_at - dt.timedelta(days=2)
    for entry in entries:
        for judge_id, _panel in allocation.assigned.get(str(entry.pk), []):
            assignment = JudgeAssignment.objects.create(
                round=round_, entry=entry, judge_id=int(judge_id), panel=panel, assigned_by=demo.user("admin")
            )
            card = ScoreCard.objects.create(
                assignment=assignment, status=ScoreCard.Status.SUBMITTED, submitted_at=scored_at
            )
            level = quality[entry.title]
            Score.objects.bulk_create(
                Score(card=card, criterion=criterion, value=_score(demo, level, bias[int(judge_id)]),
                      comment=_remark(demo, level) if index == 0 else "")
                for index, criterion in enumerate(criteria)
            )  # fmt: skip
            ScoreCardEvent.objects.create(card=card, actor_id=int(judge_id), action="submit",
                                          from_state=ScoreCard.Status.DRAFT, to_state=ScoreCard.Status.SUBMITTED)  # fmt: skip
    ScoreCardEvent.objects.filter(card__assignment__round=round_).update(created_at=scored_at)


def _score(demo, quality: float, bias: float) -> int:
    return max(1, min(5, round(1 + 4 * quality + bias + demo.random.gauss(0, 0.45))))


def _remark(demo, quality: float) -> str:
    band = "high" if quality >= 0.75 else "mid" if quality >= 0.5 else "low"
    return demo.random.choice(PHRASES[band])


def _backdate(competition) -> None:
    """Events of last year's competition carry last year's dates."""
    when = {
        "create": _when(2025, 5, 20), "publish": _when(2025, 5, 26), "round": _when(2025, 5, 21),
        "advance": _when(2025, 9, 15, 10), "publish_results": _when(2025, 10, 10, 14),
    }  # fmt: skip
    for action, moment in when.items():
        CompetitionEvent.objects.filter(competition=competition, action=action).update(created_at=moment)
    competition.rounds.exclude(advanced_at=None).update(advanced_at=when["advance"])
    EntryEvent.objects.filter(entry__competition=competition, action="eliminate").update(
        created_at=_when(2025, 9, 15, 10)
    )


# This year's citizen competition, open ---------------------------------------------------------


def _open_citizen_competition(demo, admin, units, rubrics, people, signatory) -> None:
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    competition = services.competition_create(
        region=demo.region, actor=admin,
        data={
            "title": "Lomba Inovasi Masyarakat Lampung Barat 2026", "year": 2026,
            "tracks": [Track.CITIZENS, Track.STUDENTS],
            "description": (
                "Punya gagasan atau karya yang memudahkan hidup warga pekon? Kirimkan inovasi Anda. Pemenang "
                "mendapat pembinaan Klinik Inovasi BRIDA dan inovasinya dicatat sebagai inovasi daerah."
            ),
            "eligibility": (
                "Warga Lampung Barat perorangan atau kelompok (umum), serta pelajar SMA/SMK dan mahasiswa. Inovasi "
                "sudah diuji coba atau diterapkan, bukan plagiat, dan belum pernah menang lomba sejenis."
            ),
            "organiser": units["BRIDA"], "blind": True, "aggregation": Competition.Aggregation.ZSCORE,
            "judges_per_entry": 3, "winners_per_track": 3, "honourable_per_track": 2, **_signatory(signatory),
        },
        submission_opens=now - dt.timedelta(days=20), submission_closes=now + dt.timedelta(days=25),
        screening_closes=now + dt.timedelta(days=32),
    )  # fmt: skip
    desk = services.round_save(
        competition=competition, actor=admin,
        data={"kind": PhaseKind.DESK, "name": "Penilaian proposal", "opens_at": now + dt.timedelta(days=33),
              "closes_at": now + dt.timedelta(days=50), "rubric": rubrics["kipp"], "weight": 40, "advance_count": 5},
    )  # fmt: skip
    services.round_save(
        competition=competition, actor=admin,
        data={"kind": PhaseKind.FIELD, "name": "Verifikasi lapangan", "opens_at": now + dt.timedelta(days=55),
              "closes_at": now + dt.timedelta(days=62), "rubric": rubrics["iga-presentasi"], "weight": 60},
    )  # fmt: skip
    services.competition_transition(competition=competition, action="publish", actor=admin)
    judges.panel_save(
        round_=desk, actor=admin, name="Panel masyarakat",
        members=[people[k] for k in ("judge", "judge_lenient", "judge_media")], lead=people["judge"],
    )  # fmt: skip
    for index, (_key, email, name, track, institution, title, affair, village) in enumerate(CITIZENS, start=1):
        citizen = User.objects.create_user(
            email, demo.password, full_name=name, email_verified_at=timezone.now(), phone=f"0812{7000000 + index:07d}"
        )
        RoleAssignment.objects.create(user=citizen, role=Role.CITIZEN, region=demo.region)
        story = Story("", title, affair, f"warga {village} kesulitan", title.lower(), "diuji coba bersama warga",
                      "diuji coba oleh 40 keluarga", 0.5)  # fmt: skip
        submitted = now - dt.timedelta(days=18 - index * 3)
        entry = Entry.objects.create(
            competition=competition, track=track, number=index, title=title, entrant=citizen, entrant_name=name,
            institution=institution, phone=citizen.phone, affair=_affair(affair), answers=_answers(competition, story),
            publish_consent=True, status=Entry.Status.SUBMITTED, submitted_at=submitted,
            receipt_code=f"L{competition.pk}-{index:04d}-DEMO{index:02d}",
        )  # fmt: skip
        EntryEvent.objects.create(entry=entry, actor=citizen, action="submit", from_state=Entry.Status.DRAFT,
                                  to_state=Entry.Status.SUBMITTED, data={"receipt": entry.receipt_code})  # fmt: skip
    # The demo citizen has a draft going, to continue writing after signing in.
    services.entry_start(
        competition=competition, actor=demo.user("citizen"), track=Track.CITIZENS,
        title="Kebun Gizi Pekon untuk Cegah Stunting",
    )  # fmt: skip
