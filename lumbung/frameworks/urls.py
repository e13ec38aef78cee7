from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<int:year>/", views.framework_detail, name="detail"),
    path("<int:year>/berkas.json", views.framework_download, name="download"),
    path("<int:year>/riwayat/", views.framework_history, name="history"),
    path("<int:year>/salin/", views.framework_copy, name="copy"),
    path("<int:year>/ubah/", views.framework_edit, name="edit"),
    path("<int:year>/predikat/", views.bands_edit, name="bands-edit"),
    path("<int:year>/tindakan/", views.framework_transition, name="transition"),
    path("<int:year>/indikator/<str:code>/ubah/", views.indicator_edit, name="indicator-edit"),
    path("<int:year>/indikator/<str:code>/dasar/<str:basis>/ubah/", views.basis_edit, name="basis-edit"),
]
