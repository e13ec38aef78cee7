from django.urls import path

from . import society_views, views

app_name = "innovations"

urlpatterns = [
    path("", views.innovation_list, name="list"),
    path("ekspor.xlsx", views.innovation_export_xlsx, name="export-xlsx"),
    path("ekspor.csv", views.innovation_export_csv, name="export-csv"),
    path("baru/", views.innovation_create, name="create"),
    path("serupa/", views.innovation_similar, name="similar"),
    path("<int:pk>/", views.innovation_detail, name="detail"),
    path("<int:pk>/ubah/", views.innovation_edit, name="edit"),
    path("<int:pk>/tindakan/", views.innovation_transition, name="transition"),
    path("<int:pk>/kembalikan/", views.innovation_return, name="return"),
    path("<int:pk>/keberlanjutan/", views.innovation_running, name="running"),
    path("<int:pk>/tim/", views.team_add, name="team-add"),
    path("tim/<int:member_pk>/hapus/", views.team_remove, name="team-remove"),
    path("<int:pk>/lampiran/", views.attachment_add, name="attachment-add"),
    path("lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment-download"),
    path("lampiran/<int:attachment_pk>/hapus/", views.attachment_delete, name="attachment-delete"),
    path("<int:pk>/cetak/", views.innovation_print, name="print"),
    path("<int:pk>/profil.pdf", views.innovation_pdf, name="pdf"),
    path("masyarakat/", society_views.citizen_mine, name="citizen-mine"),
    path("masyarakat/baru/", society_views.citizen_create, name="citizen-create"),
    path("masyarakat/<int:pk>/ubah/", society_views.citizen_edit, name="citizen-edit"),
    path("<int:pk>/etalase/", society_views.showcase_media, name="showcase-media"),
    path("<int:pk>/adopsi/", society_views.adopt, name="adopt"),
    path("<int:pk>/foto/", society_views.photo, name="photo"),
    path("program/", views.programme_list, name="programme-list"),
    path("program/baru/", views.programme_create, name="programme-create"),
    path("program/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("program/<int:pk>/ubah/", views.programme_edit, name="programme-edit"),
    path("program/<int:pk>/ekspor.xlsx", views.programme_export, name="programme-export"),
    path("program/<int:pk>/ingatkan/", views.programme_remind, name="programme-remind"),
    path("program/<int:pk>/surat/", views.programme_letters, name="programme-letters"),
]
