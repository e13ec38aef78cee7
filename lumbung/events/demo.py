"""Lampung Barat's events: a past bimtek whose attendance became indicator 20 evidence, a
socialisation in a pekon whose photos became indicator 25 evidence, a workshop running now (the
demo innovator can check in with the code on their ticket), an open bimtek, a public socialisation
tomorrow (on the public listing, with colleagues registered by a unit operator) and a draft."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.core.files import inspect_upload
from lumbung.frameworks.models import Framework
from lumbung.innovations.models import Innovation, TeamMember
from lumbung.organisation.models import Official

from . import services
from .models import Event, EventHistory, EvidenceProposal, Registration, RegistrationHistory

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
BRIDA = "BRIDA"
SIGNATORY = ("Ir. Arief Budiman, M.Si.", "Kepala Badan Riset dan Inovasi Daerah", "197405122000031004")


# Files the demo needs: photos with a banner and simple PDFs, drawn here so the demo stays offline.


def demo_photo(name: str, banner: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A 1200×800 JPEG: a hall in `colour` with a banner reading `banner`."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 90, 1120, 330), fill=(250, 250, 245), outline=(11, 93, 75), width=8)
    font = ImageFont.truetype(str(FONT), 38) if FONT.exists() else ImageFont.load_default()
    for line, text in enumerate(banner.split("\n")):
        draw.text((120, 130 + line * 60), text, fill=(11, 68, 58), font=font)
    for seat in range(12):  # rows of participants, roughly
        x = 110 + seat * 85
        draw.ellipse((x, 520, x + 50, 570), fill=(60, 45, 40))
        draw.rectangle((x - 5, 570, x + 55, 700), fill=(30 + seat * 10, 80, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return checked(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"), ("image",))


def demo_pdf(name: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    from weasyprint import HTML

    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = (
        f'<html lang="id"><body style="font-family: DejaVu Sans; font-size: 11pt"><h1>{title}</h1>{body}</body></html>'
    )
    return checked(SimpleUploadedFile(name, HTML(string=html).write_pdf(), content_type="application/pdf"), ("pdf",))


def checked(upload, kinds):
    upload.upload_info = inspect_upload(upload, kinds=kinds)
    return upload


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _backdate_history(event: Event, moments: dict[str, dt.datetime]) -> None:
    for action, moment in moments.items():
        EventHistory.objects.filter(event=event, action=action).update(created_at=moment)


def load(demo: Demo) -> None:
    admin = demo.users["admin"]
    brida = demo.shared["units"][BRIDA]
    year = assessment_year()
    _ensure_assessment(demo, year)
    innovations = list(Innovation.objects.filter(region=demo.region).prefetch_related("team"))
    owners = _team_officials(innovations)
    _past_bimtek(demo, admin, brida, year, owners)
    _past_socialisation(demo, admin, year, owners)
    _running_workshop(demo, admin, brida)
    _open_bimtek(demo, admin, brida)
    _public_socialisation_tomorrow(demo, admin, brida)
    _draft(demo, admin, brida)


def assessment_year() -> int:
    """The latest methodology year that has begun (2026 while the 2027 one is a draft)."""
    today = timezone.localdate()
    framework = Framework.objects.filter(year__lte=today.year).order_by("-year").first()
    return framework.year if framework else today.year


def _ensure_assessment(demo, year: int) -> None:
    """Evidence is attached to the year's assessment; the assessment demo normally opens it, and
    this opens it (through the assessment's own service) when it has not."""
    from lumbung.assessment.models import Assessment
    from lumbung.assessment.services import assessment_create

    framework = Framework.objects.filter(year=year).first()
    if framework is None or Assessment.objects.filter(region=demo.region, year=year).exists():
        return
    assessment_create(
        region=demo.region, year=year, framework=framework, actor=demo.users["admin"],
        collection_starts=dt.date(year, 6, 1), collection_ends=dt.date(year, 8, 22),
    )  # fmt: skip


def _team_officials(innovations: list[Innovation]) -> list[Official]:
    """Officials on teams of implemented innovations, owners first: the people a bimtek invites."""
    members = TeamMember.objects.filter(
        innovation__in=[i for i in innovations if i.stage == Innovation.Stage.IMPLEMENTATION], official__isnull=False
    ).select_related("official")
    ordered = sorted(members, key=lambda m: (m.role != TeamMember.Role.OWNER, m.innovation_id))
    seen, officials = set(), []
    for member in ordered:
        if member.official_id not in seen:
            seen.add(member.official_id)
            officials.append(member.official)
    return officials


def _create(demo, admin, organiser, **fields) -> Event:
    defaults = {
        "signatory_name": SIGNATORY[0], "signatory_position": SIGNATORY[1], "signatory_nip": SIGNATORY[2],
        "organiser": organiser,
    }  # fmt: skip
    return services.event_create(event=Event(**defaults, **fields), region=demo.region, actor=admin)


def _check_in_everyone(demo, event: Event, registrations, start: dt.datetime, absent: int) -> None:
    """Most check in with their code or QR between 45 minutes before and 10 minutes after the start;
    a few are marked by the committee; `absent` never come."""
    present = registrations[: len(registrations) - absent]
    for index, registration in enumerate(present):
        moment = start - dt.timedelta(minutes=demo.random.randint(-10, 45))
        if index % 7 == 6:
            services.registration_transition(registration=registration, action="check_in", actor=event.created_by)
            Registration.objects.filter(pk=registration.pk).update(attended_at=moment)
        else:
            method = Registration.Method.QR if index % 3 == 0 else Registration.Method.CODE
            services.check_in(code=registration.code, method=method, moment=moment)
        RegistrationHistory.objects.filter(registration=registration, action="check_in").update(created_at=moment)


def _confirm_and_attach(demo, event: Event, year: int) -> None:
    """The admin confirms every proposal and the evidence is attached; proposals the assessment
    refuses (an innovation outside the year's window) keep the reason, as they would in real use."""
    admin = demo.users["admin"]
    proposals = list(event.proposals.select_related("innovation"))
    services.proposals_decide(event=event, proposals=proposals, action="confirm", actor=admin, year=year, attach=False)
    for proposal in proposals:
        proposal.refresh_from_db()
        proposal.event = event
        try:
            services.proposal_attach(proposal=proposal, actor=admin)
        except ValidationError as error:
            EvidenceProposal.objects.filter(pk=proposal.pk).update(last_error=" ".join(error.messages))


def _past_bimtek(demo, admin, brida, year: int, owners: list[Official]) -> None:
    day = min(dt.date(year, 3, 10), timezone.localdate() - dt.timedelta(days=30))
    start = _aware(day, 8, 30)
    event = _create(
        demo, admin, brida, kind=Event.Kind.BIMTEK,
        title=f"Bimtek Penyusunan Profil dan Eviden Inovasi Daerah Tahun {year}",
        description="Bimbingan teknis bagi pemilik dan tim inovasi perangkat daerah: menulis rancang bangun, "
        "menyiapkan data dukung 20 indikator satuan inovasi, dan mengunggahnya sebelum penjaringan IGA dibuka.",
        speakers="Dr. Hasanudin Siregar (Tim Penilai IGA)\nTim BRIDA Kabupaten Lampung Barat",
        venue="Aula Sekretariat Daerah Kabupaten Lampung Barat, Liwa", starts_at=start,
        ends_at=_aware(day, 15, 30), capacity=40, letter_number=f"005/087/IV.10/{year}",
        letter_date=day - dt.timedelta(days=7),
    )  # fmt: skip
    invited = owners[:16] + list(Official.objects.filter(region=demo.region).exclude(pk__in=[o.pk for o in owners])[:4])
    registrations, _skipped = services.registration_add_officials(event=event, officials=invited, actor=admin)
    services.event_transition(event=event, action="open", actor=admin)
    services.event_transition(event=event, action="start", actor=admin)
    _check_in_everyone(demo, event, registrations, start, absent=3)
    services.material_add(
        event=event, actor=admin, title="Paparan: indikator satuan inovasi dan data dukungnya",
        uploaded=demo_pdf("paparan-indikator-sid.pdf", "Indikator Satuan Inovasi 2026", [
            "Dua puluh indikator, bobot dan parameter setiap indikator.",
            "Data dukung yang diterima: SK, surat tugas, undangan, daftar hadir, sertifikat, dokumentasi.",
        ]),
    )  # fmt: skip
    for number, caption in enumerate(["Pembukaan oleh Sekretaris Daerah", "Praktik menyusun rancang bangun"]):
        services.photo_add(
            event=event, actor=admin, caption=caption, is_evidence=False,
            uploaded=demo_photo(f"bimtek-{number}.jpg", f"BIMTEK INOVASI DAERAH {year}\nBRIDA Lampung Barat", (196, 214, 206)),
        )  # fmt: skip
    services.event_transition(event=event, action="finish", actor=admin)
    for registration in event.registrations.attended():
        services.certificate_issue(registration=registration, actor=admin)
    _confirm_and_attach(demo, event, year)
    _backdate_history(event, {"create": start - dt.timedelta(days=14), "open": start - dt.timedelta(days=7),
                              "start": start - dt.timedelta(minutes=50), "finish": _aware(day, 15, 40)})  # fmt: skip


def _past_socialisation(demo, admin, year: int, owners: list[Official]) -> None:
    day = min(dt.date(year, 4, 14), timezone.localdate() - dt.timedelta(days=20))
    start = _aware(day, 9)
    event = _create(
        demo, admin, demo.shared["units"][BRIDA], kind=Event.Kind.SOCIALISATION, audience=Event.Audience.PUBLIC,
        title="Sosialisasi Inovasi Daerah bagi Aparatur Pekon dan Masyarakat Kecamatan Balik Bukit",
        description="Mengenalkan inovasi yang sudah berjalan di Lampung Barat kepada aparatur pekon, kader, dan "
        "pemuda, serta menjaring gagasan inovasi dari masyarakat.",
        speakers="Camat Balik Bukit\nPemilik inovasi SIHAKO dan Posyandu Remaja Pekon",
        venue="Balai Pekon Way Mengaku, Kecamatan Balik Bukit", starts_at=start, ends_at=_aware(day, 12),
        letter_number=f"005/112/IV.10/{year}", letter_date=day - dt.timedelta(days=5),
    )  # fmt: skip
    staff, _skipped = services.registration_add_officials(event=event, officials=owners[:6], actor=admin)
    services.event_transition(event=event, action="open", actor=admin)
    citizen = services.registration_self(
        event=event, user=demo.users["citizen"], affiliation="Kader PKK Pekon Way Mengaku"
    )
    guests = [
        services.registration_add_guest(event=event, actor=admin, name=name, affiliation=where)
        for name, where in [("Sapri", "Kelompok Tani Sumber Rezeki"), ("Rudi Hartono", "Karang Taruna Way Mengaku"),
                            ("Hj. Siti Aminah", "PKK Kecamatan Balik Bukit"), ("Yulianti", "Kader Posyandu Pekon Padang Cahya")]
    ]  # fmt: skip
    services.event_transition(event=event, action="start", actor=admin)
    _check_in_everyone(demo, event, [*staff, citizen, *guests], start, absent=1)
    featured = Innovation.objects.filter(region=demo.region, name__startswith="SIHAKO").first()
    photos = [
        ("Peserta sosialisasi di Balai Pekon Way Mengaku", f"SOSIALISASI INOVASI DAERAH {year}\nKecamatan Balik Bukit", None, True),
        ("Paparan SIHAKO dengan banner inovasinya", "SIHAKO\nHarga kopi harian lewat WhatsApp", featured, True),
        ("Makan siang bersama", "", None, False),
    ]  # fmt: skip
    for number, (caption, banner, innovation, evidence) in enumerate(photos):
        services.photo_add(
            event=event, actor=admin, caption=caption, is_evidence=evidence, innovation=innovation,
            uploaded=demo_photo(f"sosialisasi-{number}.jpg", banner, (221, 205, 170)),
        )  # fmt: skip
    services.event_transition(event=event, action="finish", actor=admin)
    _confirm_and_attach(demo, event, year)
    _backdate_history(event, {"create": start - dt.timedelta(days=10), "open": start - dt.timedelta(days=5),
                              "start": start - dt.timedelta(minutes=30), "finish": _aware(day, 12, 10)})  # fmt: skip


def _running_workshop(demo, admin, brida) -> None:
    """Running now, over three days, so the demo innovator can check in with their code today."""
    today = timezone.localdate()
    event = _create(
        demo, admin, brida, kind=Event.Kind.WORKSHOP,
        title="Lokakarya Pendampingan Unggah Data Dukung IGA",
        description="Pendampingan langsung per perangkat daerah: memeriksa data dukung, memperbaiki berkas yang "
        "ditolak verifikator, dan mengunggahnya ke pustaka eviden.",
        speakers="Tim BRIDA Kabupaten Lampung Barat", venue="Ruang Rapat BRIDA, Jl. Raden Intan No. 1, Liwa",
        starts_at=_aware(today - dt.timedelta(days=1), 8), ends_at=_aware(today + dt.timedelta(days=1), 16),
        check_in_opens_at=_aware(today - dt.timedelta(days=1), 7), check_in_closes_at=_aware(today + dt.timedelta(days=1), 16),
        capacity=30,
    )  # fmt: skip
    services.event_transition(event=event, action="open", actor=admin)
    for key in ("innovator", "operator", "operator_health"):
        services.registration_self(event=event, user=demo.users[key])
    services.event_transition(event=event, action="start", actor=admin)


def _open_bimtek(demo, admin, brida) -> None:
    start = _aware(timezone.localdate() + dt.timedelta(days=12), 8, 30)
    event = _create(
        demo, admin, brida, kind=Event.Kind.BIMTEK,
        title="Bimtek Penulisan Rancang Bangun Inovasi Angkatan II",
        description="Untuk pejabat eselon III dan IV yang wajib memiliki inovasi (PM Indah) dan belum menyusun "
        "rancang bangunnya.",
        speakers="Lestari Wibowo, M.Si. (mentor klinik inovasi)", venue="Aula BRIDA, Liwa", starts_at=start,
        ends_at=start + dt.timedelta(hours=7), capacity=40,
    )  # fmt: skip
    services.event_transition(event=event, action="open", actor=admin)
    services.registration_self(event=event, user=demo.users["verifier"])


def _public_socialisation_tomorrow(demo, admin, brida) -> None:
    """Open to everyone and listed publicly; the demo citizen signed up, Diskominfo's operator
    registered colleagues, and tonight's reminder run (send_event_reminders) reaches them."""
    start = _aware(timezone.localdate() + dt.timedelta(days=1), 9)
    event = _create(
        demo, admin, brida, kind=Event.Kind.SOCIALISATION, audience=Event.Audience.PUBLIC,
        title="Sosialisasi Layanan Inovasi untuk Warga Pekon Way Mengaku",
        description="Pengenalan inovasi layanan yang bisa dipakai warga: Posyandu Kebun, Pekon Digital dan "
        "pengaduan lewat WhatsApp. Terbuka untuk warga, kader, aparatur pekon dan ASN.",
        speakers="Tim BRIDA Kabupaten Lampung Barat\nCamat Balik Bukit",
        venue="Balai Pekon Way Mengaku, Kecamatan Balik Bukit", starts_at=start,
        ends_at=start + dt.timedelta(hours=3), capacity=80,
    )  # fmt: skip
    services.event_transition(event=event, action="open", actor=admin)
    services.registration_self(event=event, user=demo.users["citizen"], affiliation="Kelompok Wanita Tani Melati")
    operator = demo.users["operator"]
    colleagues = services.operated_staff(user=operator, region=demo.region).order_by("name")[:3]
    services.registration_add_officials(event=event, officials=colleagues, actor=operator)


def _draft(demo, admin, brida) -> None:
    start = _aware(timezone.localdate() + dt.timedelta(days=45), 9)
    _create(
        demo, admin, brida, kind=Event.Kind.SOCIALISATION, audience=Event.Audience.PUBLIC,
        title=f"Sosialisasi SOSIS dan PM Indah {start.year}", venue="Gedung Serba Guna Liwa", starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
    )  # fmt: skip
