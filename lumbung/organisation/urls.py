from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("perangkat-daerah/baru/", views.unit_create, name="unit-create"),
    path("perangkat-daerah/ekspor.xlsx", views.unit_export, name="unit-export"),
    path("perangkat-daerah/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("perangkat-daerah/<int:pk>/ubah/", views.unit_edit, name="unit-edit"),
    path("perangkat-daerah/<int:pk>/pindah/", views.unit_move, name="unit-move"),
    path("perangkat-daerah/<int:pk>/nonaktifkan/", views.unit_deactivate, name="unit-deactivate"),
    path("perangkat-daerah/<int:pk>/aktifkan/", views.unit_reactivate, name="unit-reactivate"),
    path("perangkat-daerah/<int:pk>/pejabat/", views.unit_holders, name="unit-holders"),
    path("perangkat-daerah/<int:pk>/riwayat/", views.unit_history, name="unit-history"),
    path("pejabat/", views.official_list, name="official-list"),
    path("pejabat/baru/", views.official_create, name="official-create"),
    path("pejabat/ekspor.xlsx", views.official_export, name="official-export"),
    path("pejabat/<int:pk>/", views.official_detail, name="official-detail"),
    path("pejabat/<int:pk>/ubah/", views.official_edit, name="official-edit"),
    path("pejabat/<int:pk>/jabatan/", views.assignment_start, name="assignment-start"),
    path("pejabat/<int:pk>/mutasi/", views.official_rotate, name="official-rotate"),
    path("pejabat/<int:pk>/riwayat/", views.official_history, name="official-history"),
    path("jabatan/<int:pk>/akhiri/", views.assignment_end, name="assignment-end"),
    path("pemda/", views.region_list, name="region-list"),
]
