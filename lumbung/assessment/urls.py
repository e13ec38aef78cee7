from django.urls import path

from .views import assessments, entries, library, planner, rows

app_name = "assessment"

urlpatterns = [
    path("", assessments.index, name="index"),
    path("baru/", assessments.create, name="create"),
    path("dasbor/", assessments.dashboard, name="dashboard"),
    path("hasil-resmi/", assessments.results, name="results"),
    path("<int:pk>/", assessments.detail, name="detail"),
    path("<int:pk>/tahapan/", assessments.stages, name="stages"),
    path("<int:pk>/status/", assessments.transition, name="transition"),
    path("<int:pk>/inovasi/", entries.entries, name="entries"),
    path("<int:pk>/inovasi/tambah/", entries.entry_add, name="entry-add"),
    path("<int:pk>/spd/", entries.region_rows, name="region-rows"),
    path("<int:pk>/spd/penanggung-jawab/", entries.region_units, name="region-units"),
    path("<int:pk>/matriks/", entries.matrix, name="matrix"),
    path("<int:pk>/matriks.xlsx", entries.matrix_export, name="matrix-export"),
    path("<int:pk>/verifikasi/", entries.queue, name="queue"),
    path("<int:pk>/pustaka/", library.library, name="library"),
    path("<int:pk>/pustaka/lampirkan/", library.bulk_attach, name="bulk-attach"),
    path("<int:pk>/perencana/", planner.planner, name="planner"),
    path("<int:pk>/perencana/simulasi/", planner.whatif, name="whatif"),
    path("<int:pk>/perencana/tugaskan/", planner.action_create, name="action-create"),
    path("<int:pk>/tindakan/", planner.actions, name="actions"),
    path("tindakan/<int:pk>/status/", planner.action_transition, name="action-transition"),
    path("entri/<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("entri/<int:pk>/periksa/", entries.entry_recheck, name="entry-recheck"),
    path("entri/<int:pk>/keluarkan/", entries.entry_remove, name="entry-remove"),
    path("entri/<int:pk>/paket/", entries.entry_pack, name="entry-pack"),
    path("baris/<slug:scope>/<int:pk>/", rows.row_detail, name="row-detail"),
    path("baris/<slug:scope>/<int:pk>/status/", rows.row_transition, name="row-transition"),
    path("baris/<slug:scope>/<int:pk>/unggah/", rows.row_upload, name="row-upload"),
    path("baris/<slug:scope>/<int:pk>/lampirkan/", rows.row_attach, name="row-attach"),
    path("eviden/<int:pk>/lepas/", rows.evidence_detach, name="evidence-detach"),
    path("dokumen/<int:pk>/", library.document_detail, name="document-detail"),
    path("dokumen/<int:pk>/unduh/", library.document_download, name="document-download"),
    path("dokumen/<int:pk>/ganti/", library.document_replace, name="document-replace"),
]
