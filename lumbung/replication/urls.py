from django.urls import path

from . import views

app_name = "replication"

urlpatterns = [
    path("", views.home, name="home"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/baru/", views.catalogue_create, name="catalogue-create"),
    path("katalog/<int:pk>/", views.catalogue_detail, name="catalogue-detail"),
    path("katalog/<int:pk>/ubah/", views.catalogue_edit, name="catalogue-edit"),
    path("katalog/<int:pk>/adopsi/", views.adopt, name="adopt"),
    path("katalog/bersama/<int:pk>/", views.shared_detail, name="shared-detail"),
    path("katalog/bersama/<int:pk>/adopsi/", views.shared_adopt, name="shared-adopt"),
    path("studi-tiru/", views.visit_list, name="visit-list"),
    path("studi-tiru/baru/", views.visit_create, name="visit-create"),
    path("studi-tiru/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("studi-tiru/<int:pk>/ubah/", views.visit_edit, name="visit-edit"),
    path("studi-tiru/<int:pk>/status/", views.visit_transition, name="visit-transition"),
    path("studi-tiru/<int:pk>/amatan/", views.observation_add, name="observation-add"),
    path("studi-tiru/<int:pk>/tindak-lanjut/", views.follow_up_add, name="follow-up-add"),
    path("tindak-lanjut/<int:pk>/status/", views.follow_up_transition, name="follow-up-transition"),
    path("catatan/", views.replication_list, name="replication-list"),
    path("catatan/baru/", views.replication_create, name="replication-create"),
    path("catatan/<int:pk>/", views.replication_detail, name="replication-detail"),
    path("catatan/<int:pk>/ubah/", views.replication_edit, name="replication-edit"),
    path("catatan/<int:pk>/status/", views.replication_transition, name="replication-transition"),
    path("catatan/<int:pk>/dokumen/", views.agreement_download, name="agreement-download"),
    path("catatan/<int:pk>/eviden/", views.evidence_attach, name="evidence-attach"),
    path("catatan/<int:pk>/kesepakatan/", views.agreement, name="agreement"),
]
