"""Lampung Barat's study visits to Banyuwangi, Wonogiri and Situbondo, a catalogue of other regions'
innovations (award winners and what the delegations saw), Smart Kampung adopted as a local draft,
and two regions that replicated SIHAKO with their agreements filed as indicator 31 evidence."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from lumbung.actions.models import Action
from lumbung.core.demo import Demo
from lumbung.events.demo import assessment_year, demo_pdf
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.organisation.models import Official, Region

from . import services
from .models import CatalogueItem, Replication, ReplicationHistory, StudyVisit, StudyVisitHistory

F = Innovation.Form
SRC = CatalogueItem.Source

# (origin code, name, affair, form, digital, year, source, award, summary, prerequisites)
CATALOGUE = [
    ("35.10", "Smart Kampung", "kominfo", F.PUBLIC_SERVICE, True, 2016, SRC.IGA, "Kabupaten Terinovatif IGA 2018",
     "Desa terhubung internet dengan layanan administrasi kependudukan, perizinan dan pengaduan langsung dari kantor desa.",
     "Jaringan internet di kantor desa, operator desa terlatih, integrasi dengan Disdukcapil dan DPMPTSP."),
    ("35.10", "Lahir Procot Pulang Bawa Akta", "adminduk", F.PUBLIC_SERVICE, False, 2015, SRC.KIPP, "Top 99 KIPP 2016",
     "Bayi yang lahir di fasilitas kesehatan langsung mendapat akta kelahiran dan kartu identitas anak sebelum pulang.",
     "Kerja sama Disdukcapil dengan rumah sakit dan puskesmas; petugas registrasi di fasilitas kesehatan."),
    ("35.10", "Rantang Kasih", "sosial", F.PUBLIC_SERVICE, False, 2015, SRC.IGA, "",
     "Makanan bergizi diantar setiap hari kepada warga lanjut usia miskin yang hidup sendiri, dimasak oleh warung warga.",
     "Data lansia miskin terverifikasi, warung mitra, anggaran makan harian."),
    ("35.10", "Mal Pelayanan Publik Banyuwangi", "penanaman-modal", F.PUBLIC_SERVICE, False, 2017, SRC.KIPP, "Top 40 KIPP 2017",
     "Ratusan jenis layanan pemerintah pusat, daerah dan BUMN dalam satu gedung dengan antrean tunggal.", ""),
    ("35.10", "Siswa Asuh Sebaya", "pendidikan", F.OTHER_AFFAIRS, False, 2011, SRC.KIPP, "Top 99 KIPP 2015",
     "Siswa mampu menyisihkan uang saku untuk membantu biaya sekolah teman sekelas yang kurang mampu.", ""),
    ("35.10", "Jemput Bola Bayar Pajak Desa", "keuangan", F.GOVERNANCE, True, 2019, SRC.IGA, "",
     "Petugas membawa mesin pembayaran ke balai desa pada hari pasar sehingga warga tidak perlu ke kota.", ""),
    ("33.12", "Gerakan Wonogiri Sehat Tanpa Stunting", "kesehatan", F.PUBLIC_SERVICE, True, 2021, SRC.IGA, "Kabupaten Sangat Inovatif IGA 2022",
     "Setiap balita berisiko dipantau oleh kader dengan aplikasi, dan bantuan gizi diberikan oleh dunia usaha setempat.",
     "Kader posyandu dengan ponsel, data balita dari e-PPGBM, mitra CSR."),
    ("33.12", "Pelayanan Adminduk Keliling Pekon", "adminduk", F.PUBLIC_SERVICE, False, 2020, SRC.IGA, "",
     "Mobil pelayanan kependudukan mendatangi desa terpencil sesuai jadwal yang diumumkan lewat radio.", ""),
    ("33.12", "Sistem Informasi Desa Terpadu", "pmd", F.GOVERNANCE, True, 2019, SRC.JIPPNAS, "",
     "Satu aplikasi desa untuk profil penduduk, surat keterangan, dan laporan keuangan desa.", ""),
    ("33.12", "Lumbung Pangan Keluarga", "pangan", F.OTHER_AFFAIRS, False, 2022, SRC.VISIT, "",
     "Pekarangan keluarga ditanami sayur dan ternak kecil dengan pendampingan penyuluh pertanian.", ""),
    ("35.12", "Sakera: Sistem Aplikasi Keuangan Desa", "pmd", F.GOVERNANCE, True, 2020, SRC.IGA, "",
     "Perencanaan dan pelaporan dana desa dengan pemeriksaan otomatis terhadap pagu dan kode rekening.", ""),
    ("35.12", "Puskesmas Keliling Pesisir", "kesehatan", F.PUBLIC_SERVICE, False, 2021, SRC.VISIT, "",
     "Perahu puskesmas melayani pulau dan pesisir yang jauh dari fasilitas kesehatan.", ""),
    ("35.12", "Bedah Rumah Swadaya Pesisir", "perumahan", F.OTHER_AFFAIRS, False, 2019, SRC.IGA, "",
     "Rumah tidak layak huni diperbaiki dengan dana desa, zakat dan tenaga gotong royong warga.", ""),
    ("35.12", "Lapor Kades", "trantibum", F.PUBLIC_SERVICE, True, 2022, SRC.VISIT, "",
     "Warga melaporkan gangguan ketertiban dan bencana lewat WhatsApp yang diteruskan ke kepala desa dan Satpol PP.", ""),
    ("32.11", "Sistem Informasi Penanganan Stunting Terintegrasi", "kesehatan", F.GOVERNANCE, True, 2019, SRC.IGA, "Kabupaten Terinovatif IGA 2021",
     "Data stunting per desa dari posyandu, puskesmas dan dinas dipadukan untuk menentukan intervensi.", ""),
    ("32.11", "Tahu Sumedang Go Digital", "koperasi-ukm", F.OTHER_AFFAIRS, True, 2021, SRC.JIPPNAS, "",
     "Pelatihan dan lokapasar bersama untuk perajin tahu agar menjual langsung ke pembeli.", ""),
    ("34.01", "Bela Beli Kulon Progo", "perdagangan", F.OTHER_AFFAIRS, False, 2013, SRC.KIPP, "Top 25 KIPP 2014",
     "Gerakan membeli produk lokal: seragam batik, air minum daerah, dan beras petani untuk ASN.", ""),
    ("34.01", "Tomira: Toko Milik Rakyat", "koperasi-ukm", F.OTHER_AFFAIRS, False, 2015, SRC.KIPP, "Top 99 KIPP 2016",
     "Minimarket waralaba dikelola koperasi warga dan wajib menjual produk UMKM setempat.", ""),
    ("73.03", "Brigade Siaga Bencana", "trantibum", F.PUBLIC_SERVICE, False, 2009, SRC.KIPP, "Top 99 KIPP 2014",
     "Ambulans, dokter, pemadam dan tim SAR siaga 24 jam dengan satu nomor panggilan gratis.", ""),
    ("73.71", "Home Care Dottoro'ta", "kesehatan", F.PUBLIC_SERVICE, False, 2015, SRC.KIPP, "Top 35 KIPP 2016",
     "Tim dokter dan perawat datang ke rumah warga yang memanggil melalui call center.", ""),
    ("73.71", "Lorong Garden", "lingkungan-hidup", F.OTHER_AFFAIRS, False, 2016, SRC.IGA, "",
     "Lorong permukiman padat ditanami sayur dan tanaman hias oleh warga dengan sistem hidroponik.", ""),
    ("35.78", "Surabaya Single Window", "penanaman-modal", F.PUBLIC_SERVICE, True, 2013, SRC.KIPP, "Top 99 KIPP 2015",
     "Permohonan perizinan investasi daring dengan pelacakan status dan tenggat layanan.", ""),
    ("35.78", "Broadband Learning Center", "pendidikan", F.OTHER_AFFAIRS, True, 2010, SRC.JIPPNAS, "",
     "Ruang belajar komputer dan internet gratis di kampung untuk pelajar, UMKM dan ibu rumah tangga.", ""),
    ("33.74", "Lapor Hendi", "kominfo", F.GOVERNANCE, True, 2014, SRC.KIPP, "Top 35 KIPP 2016",
     "Aduan warga masuk ke satu kanal dan dipantau langsung oleh wali kota dengan tenggat penyelesaian.", ""),
    ("33.74", "Kampung Tematik", "perumahan", F.OTHER_AFFAIRS, False, 2016, SRC.IGA, "",
     "Setiap kelurahan menata satu kampung dengan tema potensi lokalnya untuk mengurangi kawasan kumuh.", ""),
    ("33.14", "Unit Pelayanan Terpadu Penanggulangan Kemiskinan", "sosial", F.PUBLIC_SERVICE, False, 2012, SRC.KIPP, "Top 99 KIPP 2014",
     "Satu pintu pengaduan dan rujukan bagi warga miskin: kesehatan, pendidikan dan bantuan sosial.", ""),
    ("51.03", "Badung Mal Pelayanan Publik", "penanaman-modal", F.PUBLIC_SERVICE, False, 2018, SRC.IGA, "",
     "Layanan perizinan, kependudukan dan perbankan dalam satu gedung dengan jam layanan diperpanjang.", ""),
    ("51.01", "Jaminan Kesehatan Jembrana", "kesehatan", F.PUBLIC_SERVICE, False, 2003, SRC.JIPPNAS, "",
     "Asuransi kesehatan daerah untuk seluruh warga sebelum adanya JKN.", ""),
    ("35.79", "Sistem Informasi Pertanian Among Tani", "pertanian", F.PUBLIC_SERVICE, True, 2018, SRC.IGA, "",
     "Petani mencatat musim tanam dan mendapat informasi harga serta jadwal penyuluhan lewat aplikasi.", ""),
    ("32.73", "Bandung Command Center", "kominfo", F.GOVERNANCE, True, 2015, SRC.IGA, "",
     "Pusat pemantauan kota: lalu lintas, aduan warga dan kebencanaan dalam satu ruang kendali.", ""),
    ("61.71", "Pontianak Sungai Bersih", "lingkungan-hidup", F.OTHER_AFFAIRS, False, 2019, SRC.JIPPNAS, "",
     "Parit dan sungai kota dibersihkan bergiliran oleh warga dengan insentif bank sampah.", ""),
    ("32.04", "Si Bedas Layanan Desa", "pmd", F.PUBLIC_SERVICE, True, 2022, SRC.IGA, "",
     "Surat keterangan desa diajukan lewat ponsel dan ditandatangani elektronik oleh kepala desa.", ""),
]  # fmt: skip


def _catalogue(demo: Demo, admin) -> dict[str, CatalogueItem]:
    regions = {region.code: region for region in Region.objects.filter(code__in={row[0] for row in CATALOGUE})}
    affairs = {affair.code: affair for affair in GovernmentAffair.objects.all()}
    items = {}
    for code, name, affair, form, digital, year, source, award, summary, prerequisites in CATALOGUE:
        item = CatalogueItem(
            source_region=regions[code], name=name, affair=affairs.get(affair), form=form, is_digital=digital, year=year,
            source=source, award=award, summary=summary, prerequisites=prerequisites,
            continuity=CatalogueItem.Continuity.RUNNING if year >= 2015 else CatalogueItem.Continuity.UNKNOWN,
        )  # fmt: skip
        items[name] = services.catalogue_item_save(item=item, region=demo.region, actor=admin)
    return items


def load(demo: Demo) -> None:
    admin = demo.users["admin"]
    items = _catalogue(demo, admin)
    officials = demo.random.sample(list(Official.objects.filter(region=demo.region).order_by("pk")), 20)
    units = demo.shared["units"]
    today = timezone.localdate()
    _visit(
        demo, admin, code="35.10", title="Studi tiru desa digital dan layanan kependudukan",
        start=today - dt.timedelta(days=410), days=3, leader=officials[0], delegation=officials[1:6],
        hosts="Dinas Komunikasi, Informatika dan Persandian; Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyuwangi",
        findings="Smart Kampung berhasil karena operator desa dibayar dari dana desa dan layanan Disdukcapil benar-benar "
        "terhubung. Lahir Procot bergantung pada petugas registrasi di puskesmas. Keduanya dapat direplikasi di pekon "
        "yang sudah memiliki jaringan; mulai dari Kecamatan Balik Bukit.",
        observed=[(items["Smart Kampung"], True, "Cocok untuk pekon yang sudah terjangkau jaringan."),
                  (items["Lahir Procot Pulang Bawa Akta"], True, "Perlu kerja sama Disdukcapil dengan RSUD Alimuddin Umar."),
                  (items["Rantang Kasih"], False, "Biaya harian tinggi untuk APBD kita.")],
        follow_ups=[("Menyusun kajian replikasi Smart Kampung di 5 pekon", units["Diskominfo"], -200, "finish"),
                    ("Koordinasi Disdukcapil dan RSUD tentang akta kelahiran di fasilitas kesehatan", units["Disdukcapil"], -150, "finish"),
                    ("Menganggarkan operator pekon dalam APBPekon", units["DPMP"], -60, "cancel")],
        close=True,
    )  # fmt: skip
    _visit(
        demo, admin, code="33.12", title="Studi tiru percepatan penurunan stunting berbasis kader",
        start=today - dt.timedelta(days=190), days=2, leader=officials[6], delegation=officials[7:11],
        hosts="Dinas Kesehatan dan Bappeda Kabupaten Wonogiri",
        findings="Kader posyandu mencatat pengukuran balita di ponsel; dinas menerima data per desa setiap minggu dan "
        "mengarahkan bantuan CSR. Kunci keberhasilan: satu data balita dan rapat bulanan lintas perangkat daerah.",
        observed=[(items["Gerakan Wonogiri Sehat Tanpa Stunting"], True, "Kader kita sudah memakai e-PPGBM; tinggal jalur CSR."),
                  (items["Pelayanan Adminduk Keliling Pekon"], False, "Lampung Barat sudah punya layanan keliling."),
                  (items["Lumbung Pangan Keluarga"], True, "")],
        follow_ups=[("Uji coba pemantauan balita berisiko oleh kader di 3 pekon", units["Dinkes"], 20, "start"),
                    ("Forum CSR untuk bantuan gizi balita", units["Bappeda"], -10, ""),
                    ("Pelatihan kader tentang pekarangan pangan keluarga", units["DKP"], 45, "")],
    )  # fmt: skip
    _visit(
        demo, admin, code="35.12", title="Studi tiru pengelolaan keuangan desa dan layanan pesisir",
        start=today - dt.timedelta(days=40), days=2, leader=officials[11], delegation=officials[12:15],
        hosts="Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Situbondo",
        findings="Sakera memeriksa rencana dana desa terhadap pagu dan kode rekening sebelum diajukan, sehingga revisi "
        "berkurang. Lapor Kades berjalan dengan WhatsApp biasa dan piket Satpol PP.",
        observed=[(items["Sakera: Sistem Aplikasi Keuangan Desa"], True, "Bandingkan dengan Siskeudes yang dipakai pekon."),
                  (items["Lapor Kades"], True, "Murah, bisa segera diuji di Kecamatan Suoh."),
                  (items["Puskesmas Keliling Pesisir"], False, "Kondisi geografis berbeda (Lampung Barat di pegunungan).")],
        follow_ups=[("Kajian penerapan Lapor Kades bersama Satpol PP", units["Satpol PP"], 30, ""),
                    ("Membandingkan Sakera dengan Siskeudes", units["DPMP"], 60, "")],
    )  # fmt: skip
    _visit(
        demo, admin, code="73.03", title="Studi tiru layanan kegawatdaruratan terpadu",
        start=today + dt.timedelta(days=35), days=3, leader=officials[16], delegation=officials[17:19],
        hosts="BPBD dan Dinas Kesehatan Kabupaten Bantaeng", findings="", observed=[], follow_ups=[],
    )  # fmt: skip
    _adopt(demo, items["Smart Kampung"], units["Diskominfo"])
    _replicated_by_others(demo, admin)


def _visit(
    demo, admin, *, code, title, start, days, leader, delegation, hosts, findings, observed, follow_ups, close=False
):
    visit = StudyVisit(destination=Region.objects.get(code=code), title=title, start_date=start,
                       end_date=start + dt.timedelta(days=days - 1), leader=leader, hosts=hosts, findings=findings)  # fmt: skip
    services.visit_save(visit=visit, region=demo.region, actor=admin, delegation=[leader, *delegation])
    for item, worth, note in observed:
        services.observation_add(visit=visit, actor=admin, item=item, note=note, worth_replicating=worth)
    created = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=21), dt.time(10)))
    StudyVisitHistory.objects.filter(visit=visit).update(created_at=created)
    if start > timezone.localdate():
        return
    services.visit_transition(visit=visit, action="complete", actor=admin)
    reported = timezone.make_aware(dt.datetime.combine(visit.end_date + dt.timedelta(days=4), dt.time(14)))
    StudyVisitHistory.objects.filter(visit=visit, action="complete").update(created_at=reported)
    for description, unit, due_in, action in follow_ups:
        follow_up = Action(
            description=description, unit=unit, due_date=timezone.localdate() + dt.timedelta(days=due_in)
        )
        follow_up = services.follow_up_add(visit=visit, actor=admin, follow_up=follow_up)
        if action:
            note = "Anggaran operator belum tersedia di APBPekon tahun ini." if action == "cancel" else ""
            services.follow_up_transition(follow_up=follow_up, action=action, actor=admin, note=note)
    if close:
        services.visit_transition(visit=visit, action="close", actor=admin)


def _adopt(demo, item: CatalogueItem, unit) -> None:
    """The Diskominfo operator adopts Smart Kampung as "Smart Pekon"; the draft waits for its profile."""
    operator = demo.users["operator"]
    replication = services.catalogue_item_adopt(
        item=item, actor=operator, unit=unit, name="Smart Pekon Lampung Barat", main_affair=item.affair
    )
    replication.started_on = timezone.localdate() - dt.timedelta(days=120)
    replication.notes = "Uji coba direncanakan di Pekon Way Mengaku, Sebarus dan Padang Cahya."
    replication.save(update_fields=["started_on", "notes"])


def _replicated_by_others(demo, admin) -> None:
    """SIHAKO, the coffee-price service, was taken up by two neighbouring regencies."""
    sihako = Innovation.objects.filter(region=demo.region, name__startswith="SIHAKO").first()
    if sihako is None:
        return
    year = assessment_year()
    today = timezone.localdate()
    for code, number, day in [("18.06", "180/45/PKS/IV.10/%s", min(dt.date(year, 2, 12), today)),
                              ("18.13", "180/71/PKS/IV.10/%s", min(dt.date(year, 5, 20), today))]:  # fmt: skip
        partner = Region.objects.get(code=code)
        replication = Replication(
            direction=Replication.Direction.OUTBOUND, innovation=sihako, partner_region=partner, started_on=day,
            agreement_kind=Replication.Agreement.PKS, agreement_number=number % year, agreement_date=day,
            notes=f"{partner.name} menerapkan SIHAKO untuk petani kopi robusta di wilayahnya.",
        )  # fmt: skip
        letter = demo_pdf(
            f"pks-sihako-{code}.pdf", "PERJANJIAN KERJA SAMA REPLIKASI INOVASI SIHAKO",
            [f"Nomor: {number % year}", f"Antara Pemerintah Kabupaten Lampung Barat dan Pemerintah {partner.name}.",
             "Pihak Pertama memberikan hak menggunakan aplikasi, panduan dan pendampingan SIHAKO kepada Pihak Kedua."],
        )  # fmt: skip
        services.replication_save(replication=replication, region=demo.region, actor=admin, uploaded=letter)
        services.replication_transition(replication=replication, action="activate", actor=admin)
        try:
            services.replication_attach_evidence(replication=replication, year=year, actor=admin)
        except ValidationError as error:
            # The assessment refused it (for example SIHAKO is outside the year's window): keep the reason.
            ReplicationHistory.objects.create(
                replication=replication, actor=admin, action="attach_refused", from_state=replication.status,
                to_state=replication.status, note=" ".join(error.messages),
            )  # fmt: skip
