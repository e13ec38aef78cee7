"""Clinic cases of the Lampung Barat demo: three open cases worth opening (a citizen's idea, an
operator gathering evidence for indicator 17, a question about indicator 33) and a year of
finished cases behind the throughput and waiting-time figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from lumbung.accounts.models import RoleAssignment, User
from lumbung.actions.models import Action, ActionEvent
from lumbung.core.demo import Demo
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation

from . import services
from .models import Case, CaseEvent, Message, Session

S = Case.Status
MENTOR_2_EMAIL = "mentor2@lambar.test"
# Printed by load_demo beside the accounts app's logins.
LOGINS = [(Role.MENTOR, MENTOR_2_EMAIL, "mentor kedua klinik (beban kasus)")]


@dataclass
class Story:
    """One case as it happened: what was asked, and when each step was taken (days after the request)."""

    requester: User
    title: str
    description: str
    category: str
    days_ago: float
    steps: list[tuple[str, float, str]] = field(default_factory=list)  # (action, day, note)
    mentor: User | None = None
    priority: str = Case.Priority.NORMAL
    unit: object = None
    innovation: Innovation | None = None
    indicator_code: str = ""
    mode: str = Case.Mode.ANY
    sessions: list[tuple[float, str, str, str]] = field(default_factory=list)  # (day, mode, place, notes)
    messages: list[tuple[User, float, str]] = field(default_factory=list)
    actions: list[tuple[str, User | None, str, int, str]] = field(
        default_factory=list
    )  # (text, owner, name, due in days from today, status)
    maturity: tuple[Decimal, Decimal] | None = None  # of a finished case: (when mentoring started, when resolved)


# Each action moves the case to this state; the admin triages, the rest is the mentor's or the requester's.
TARGETS = {
    "triage": S.TRIAGED,
    "start": S.MENTORING,
    "ask": S.WAITING,
    "respond": S.MENTORING,
    "resolve": S.RESOLVED,
    "close": S.CLOSED,
    "decline": S.DECLINED,
}


def _actor(story: Story, action: str, admin: User) -> User:
    if action in {"triage", "decline"}:
        return admin
    if action in {"respond", "close"}:
        return story.requester
    return story.mentor


def _tell(demo: Demo, story: Story, admin: User) -> Case:
    now = timezone.now()
    requested = now - dt.timedelta(days=story.days_ago)
    case = Case.objects.create(
        region=demo.region,
        requester=story.requester,
        unit=story.unit,
        innovation=story.innovation,
        indicator_code=story.indicator_code,
        title=story.title,
        description=story.description,
        category=story.category,
        preferred_mode=story.mode,
        contact_phone=story.requester.phone,
        priority=story.priority,
        mentor=story.mentor,
    )
    state = S.NEW
    events = [CaseEvent(case=case, actor=story.requester, action="request", from_state="", to_state=state)]
    moments = [requested]
    for action, day, note in story.steps:
        target = TARGETS[action]
        events.append(
            CaseEvent(
                case=case,
                actor=_actor(story, action, admin),
                action=action,
                from_state=state,
                to_state=target,
                note=note,
            )
        )
        moments.append(requested + dt.timedelta(days=day))
        state = target
    for event, moment in zip(CaseEvent.objects.bulk_create(events), moments, strict=True):
        CaseEvent.objects.filter(pk=event.pk).update(created_at=moment)
    updates = {"status": state, "created_at": requested, "updated_at": moments[-1]}
    if story.innovation and state in Case.ACTIVE_STATES:
        # An open case starts from the innovation's maturity as the assessment has it now.
        year = timezone.localdate().year
        updates.update(maturity_year=year, maturity_before=services.innovation_maturity_now(story.innovation, year))
    elif story.maturity and story.innovation:
        before, after = story.maturity
        updates.update(maturity_year=requested.year, maturity_before=before, maturity_after=after)
    Case.objects.filter(pk=case.pk).update(**updates)
    for day, mode, place, notes in story.sessions:
        Session.objects.create(
            case=case,
            mode=mode,
            starts_at=requested + dt.timedelta(days=day),
            place=place,
            notes=notes,
            created_by=story.mentor,
        )
    for author, day, body in story.messages:
        message = Message.objects.create(case=case, author=author, body=body)
        Message.objects.filter(pk=message.pk).update(created_at=requested + dt.timedelta(days=day))
    planned = None
    if story.innovation and story.indicator_code:
        planned = (
            Action.objects.filter(
                origin=Action.Origin.PLANNER, innovation=story.innovation, indicator_code=story.indicator_code
            )
            .pending()
            .first()
        )
    for text, owner, owner_name, due_in, status in story.actions:
        item = Action.objects.create(
            region=case.region,
            origin=Action.Origin.CLINIC,
            case=case,
            description=text,
            owner=owner,
            owner_name=owner_name,
            due_date=timezone.localdate() + dt.timedelta(days=due_in),
            innovation=story.innovation,
            indicator_code=story.indicator_code,
            planned_action=planned if status == Action.Status.OPEN else None,
            status=status,
            created_by=story.mentor,
        )
        ActionEvent.objects.create(
            item=item, actor=story.mentor, action="create", from_state="", to_state=Action.Status.OPEN
        )
        if status == Action.Status.DONE:
            ActionEvent.objects.create(
                item=item,
                actor=owner or story.mentor,
                action="finish",
                from_state=Action.Status.OPEN,
                to_state=status,
            )
    return case


def _second_mentor(demo: Demo) -> User:
    """The head of BRIDA's innovation division (an invented person) mentors beside the demo mentor."""
    user = User.objects.create_user(
        MENTOR_2_EMAIL,
        demo.password,
        full_name="Sugeng Alamsyah, S.T.",
        phone="081279004512",
        email_verified_at=timezone.now(),
    )
    RoleAssignment.objects.create(user=user, role=Role.MENTOR, region=demo.region)
    demo.users["mentor_2"] = user
    return user


def _featured(demo: Demo, units, mentor: User, innovation: Innovation | None) -> list[Story]:
    citizen, operator, health = demo.user("citizen"), demo.user("operator"), demo.user("operator_health")
    return [
        Story(
            requester=citizen,
            title="Ide bank sampah pekon: tukar sampah plastik dengan token listrik",
            description=(
                "Di Pekon Way Mengaku sampah plastik banyak dibakar warga. Saya ingin mengusulkan bank sampah "
                "yang menukar plastik dengan token listrik atau pulsa, dikelola karang taruna. Saya belum tahu "
                "harus mulai dari mana dan dinas mana yang bisa diajak."
            ),
            category=Case.Category.IDEA,
            days_ago=12,
            mentor=mentor,
            mode=Case.Mode.ON_SITE,
            steps=[
                ("triage", 1, "Ide warga yang bagus; ajak DLH sejak awal."),
                ("start", 3, "Sesi pertama dijadwalkan."),
            ],
            sessions=[
                (
                    5,
                    Session.Mode.ON_SITE,
                    "Balai Pekon Way Mengaku",
                    "Membahas masalah sampah plastik, calon pengelola (karang taruna), dan pembeli plastik di Liwa. "
                    "Disepakati membuat uraian masalah dan sasaran satu halaman.",
                ),
                (16, Session.Mode.ONLINE, "https://meet.google.com/lbr-klin-ik1", ""),
            ],
            messages=[
                (citizen, 0.2, "Terima kasih. Saya bisa ditemui di balai pekon setiap Sabtu pagi."),
                (mentor, 2, "Baik Bu Dewi, kita bertemu Sabtu ini pukul 09.00 di Balai Pekon Way Mengaku."),
                (
                    mentor,
                    6,
                    "Terima kasih atas pertemuannya. Ditunggu uraian masalah satu halaman sebelum sesi daring berikutnya.",
                ),
            ],
            actions=[
                (
                    "Tulis uraian masalah, sasaran, dan calon pengelola (satu halaman)",
                    citizen,
                    "",
                    4,
                    Action.Status.OPEN,
                ),
                ("Pertemukan pemohon dengan UPTD Pengelolaan Persampahan DLH", mentor, "", 9, Action.Status.OPEN),
            ],
        ),
        Story(
            requester=operator,
            title="Eviden indikator 17: SK tim tiga tahun untuk inovasi Diskominfo",
            description=(
                "SK tim inovasi kami hanya ada untuk 2025 dan tidak menyebut peran tiap orang. Untuk indikator 17 "
                "diminta SK T-2, T-1 dan T-0 dengan peran. Mohon bantuan format SK dan urutan pengurusannya."
            ),
            category=Case.Category.EVIDENCE,
            days_ago=20,
            mentor=mentor,
            priority=Case.Priority.HIGH,
            unit=units["Diskominfo"],
            innovation=innovation,
            indicator_code="17",
            mode=Case.Mode.ONLINE,
            steps=[
                ("triage", 0.5, "Prioritas tinggi: batas input IID makin dekat."),
                ("start", 2, ""),
                ("ask", 9, "Mohon kirim SK 2024 dan 2025 yang ada, serta daftar nama tim saat ini."),
            ],
            sessions=[
                (
                    3,
                    Session.Mode.ONLINE,
                    "https://meet.google.com/lbr-klin-ik2",
                    "Memeriksa SK 2025: jumlah 14 orang (tingkat 2) tetapi peran tidak disebut. Disepakati menerbitkan "
                    "SK T-0 yang menyebut peran dan mencari surat tugas 2024.",
                )
            ],
            messages=[
                (operator, 0.1, "Kami hanya menemukan SK 2025 di arsip Sekretariat."),
                (mentor, 3.2, "Templat SK tim dengan kolom peran ada di basis pengetahuan. Silakan disesuaikan."),
                (mentor, 9, "Mohon kirim SK 2024 dan 2025 yang ada, serta daftar nama tim saat ini."),
            ],
            actions=[
                ("Cari surat tugas tim tahun 2024 di arsip Sekretariat", operator, "", 3, Action.Status.OPEN),
                (
                    "Susun draf SK tim 2026 yang menyebut peran tiap orang",
                    None,
                    "Kasubbag Umum dan Kepegawaian Diskominfo",
                    -2,
                    Action.Status.OPEN,
                ),
                ("Periksa draf SK sebelum diajukan ke Kepala Dinas", mentor, "", 8, Action.Status.OPEN),
                ("Kirim SK 2025 yang ada ke mentor", operator, "", -8, Action.Status.DONE),
            ],
        ),
        Story(
            requester=health,
            title="Indikator 33: dasar pengukuran manfaat untuk layanan posyandu keliling",
            description=(
                "Inovasi kami melayani 23 pekon. Apakah lebih baik memakai jumlah penerima (orang) atau cakupan "
                "pekon sasaran (persen)? Data penerima ada di buku register, belum direkap."
            ),
            category=Case.Category.INDICATOR,
            days_ago=1.5,
            unit=units["Dinkes"],
            indicator_code="33",
            messages=[(health, 0.1, "Kalau perlu, kami bisa kirim foto buku register.")],
        ),
    ]


HISTORY_TITLES = [
    ("Menyusun rancang bangun inovasi layanan KTP keliling", Case.Category.IDEA),
    ("Memilih tingkat indikator 28 kemudahan proses", Case.Category.INDICATOR),
    ("Draf Perbup inovasi pelayanan perizinan", Case.Category.REGULATION),
    ("Video inovasi (indikator 35) belum memuat unsur dampak", Case.Category.EVIDENCE),
    ("Eviden dukungan anggaran tiga tahun (indikator 18)", Case.Category.EVIDENCE),
    ("Ide aplikasi antrean puskesmas", Case.Category.IDEA),
    ("Replikasi inovasi Lapor Kades dari daerah lain", Case.Category.IDEA),
    ("Eviden sosialisasi di media massa (indikator 25)", Case.Category.EVIDENCE),
    ("Memahami pembagi minimum dan jumlah inovasi", Case.Category.INDICATOR),
    ("SK penetapan inovasi sekolah", Case.Category.REGULATION),
    ("Pedoman teknis daring (indikator 26)", Case.Category.EVIDENCE),
    ("Ide pemetaan lahan kopi robusta", Case.Category.IDEA),
    ("Kemanfaatan dengan dasar efisiensi belanja", Case.Category.INDICATOR),
    ("Penyelesaian pengaduan (indikator 29)", Case.Category.EVIDENCE),
]


def _history(demo: Demo, units, mentors: list[User], innovations: list[Innovation]) -> list[Story]:
    """Finished cases over the past year, with waits that vary the way real ones do."""
    rng = demo.random
    requesters = [demo.user("innovator"), demo.user("operator"), demo.user("operator_health"), demo.user("citizen")]
    stories = []
    unit_of = {demo.user("operator").pk: units["Diskominfo"], demo.user("operator_health").pk: units["Dinkes"]}
    for index, (title, category) in enumerate(HISTORY_TITLES):
        requester = requesters[index % len(requesters)]
        days_ago = 340 - index * 22 - rng.randint(0, 10)
        triage, start = rng.choice([0.2, 0.5, 1, 1, 2, 3, 5]), rng.randint(1, 6)
        resolve = start + rng.randint(4, 30)
        declined = index == 6
        steps = [("triage", triage, "")]
        if declined:
            steps.append(("decline", triage + 1, "Sudah ditangani lewat program replikasi; silakan ikuti studi tiru."))
        else:
            steps += [
                ("start", triage + start, ""),
                ("resolve", triage + resolve, "Eviden lengkap dan sudah diunggah."),
            ]
            if index % 3:
                steps.append(("close", triage + resolve + rng.randint(1, 5), ""))
        innovation = innovations[index % len(innovations)] if innovations and category != Case.Category.IDEA else None
        stories.append(
            Story(
                requester=requester,
                title=title,
                description="Mohon pendampingan untuk kebutuhan ini sebelum batas input IID.",
                category=category,
                days_ago=days_ago,
                steps=steps,
                mentor=mentors[index % len(mentors)],
                unit=unit_of.get(requester.pk),
                innovation=innovation,
                sessions=[]
                if declined
                else [(triage + start, rng.choice(Session.Mode.values), "Ruang Rapat BRIDA", "Sesi pendampingan.")],
                maturity=(Decimal(rng.randint(40, 70)), Decimal(rng.randint(71, 95))) if innovation else None,
            )
        )
    return stories


def load(demo: Demo) -> None:
    units, admin, mentor = demo.shared["units"], demo.user("admin"), demo.user("mentor")
    mentors = [mentor, _second_mentor(demo)]
    innovations = list(Innovation.objects.filter(region=demo.region).select_related("unit").order_by("pk")[:10])
    diskominfo = next((i for i in innovations if i.unit_id == units["Diskominfo"].pk), None)
    for story in _featured(demo, units, mentor, diskominfo) + _history(demo, units, mentors, innovations):
        _tell(demo, story, admin)
