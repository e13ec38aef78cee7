from django.urls import path

from . import public, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/status/", views.event_transition, name="transition"),
    path("<int:pk>/daftar/", views.register, name="register"),
    path("<int:pk>/peserta/", views.participants, name="participants"),
    path("<int:pk>/peserta/asn/", views.add_officials, name="add-officials"),
    path("<int:pk>/peserta/tamu/", views.add_guest, name="add-guest"),
    path("<int:pk>/peserta/unit/", views.unit_staff, name="unit-staff"),
    path("<int:pk>/peserta.xlsx", views.participants_export, name="participants-export"),
    path("<int:pk>/pintu/", views.door, name="door"),
    path("<int:pk>/undangan.pdf", views.invitation_pdf, name="invitation-pdf"),
    path("<int:pk>/daftar-hadir.pdf", views.attendance_pdf, name="attendance-pdf"),
    path("<int:pk>/sertifikat/", views.certificates_issue, name="certificates-issue"),
    path("<int:pk>/foto/", views.photo_add, name="photo-add"),
    path("<int:pk>/materi/", views.material_add, name="material-add"),
    path("<int:pk>/eviden/", views.proposals, name="proposals"),
    path("<int:pk>/eviden/segarkan/", views.proposals_refresh, name="proposals-refresh"),
    path("<int:pk>/eviden/ulangi/", views.proposals_retry, name="proposals-retry"),
    path("pendaftaran/<int:pk>/", views.ticket, name="ticket"),
    path("pendaftaran/<int:pk>/tindakan/", views.registration_action, name="registration-action"),
    path("pendaftaran/<int:pk>/sertifikat.pdf", views.certificate_download, name="certificate-download"),
    path("foto/<int:pk>/", views.photo_file, name="photo-file"),
    path("foto/<int:pk>/hapus/", views.photo_delete, name="photo-delete"),
    path("materi/<int:pk>/", views.material_file, name="material-file"),
    path("materi/<int:pk>/hapus/", views.material_delete, name="material-delete"),
    path("presensi/", views.check_in, name="check-in"),
    path("presensi/<str:code>/", views.check_in_code, name="check-in-code"),
    path("sertifikat/<uuid:token>/", views.certificate_verify, name="certificate-verify"),
    path("publik/<str:region_code>/", public.event_list, name="public-list"),
    path("publik/<str:region_code>/<int:pk>/", public.event_detail, name="public-detail"),
]
