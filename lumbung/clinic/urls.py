from django.urls import path

from . import views

app_name = "clinic"

urlpatterns = [
    path("", views.home, name="home"),
    path("ajukan/", views.case_create, name="case-create"),
    path("kasus/", views.case_list, name="case-list"),
    path("kasus.xlsx", views.case_export, name="case-export"),
    path("beban/", views.case_load, name="case-load"),
    path("statistik/", views.statistics, name="statistics"),
    path("kasus/<int:pk>/", views.case_detail, name="case-detail"),
    path("kasus/<int:pk>/triase/", views.case_triage, name="case-triage"),
    path("kasus/<int:pk>/tindakan/", views.case_action, name="case-action"),
    path("kasus/<int:pk>/pesan/", views.case_message, name="case-message"),
    path("kasus/<int:pk>/sesi/", views.session_create, name="session-create"),
    path("kasus/<int:pk>/tindak-lanjut/", views.action_create, name="action-create"),
    path("sesi/<int:pk>/", views.session_edit, name="session-edit"),
    path("tindak-lanjut/<int:pk>/tindakan/", views.action_transition, name="action-transition"),
    path("pesan/<int:pk>/berkas/", views.message_file, name="message-file"),
]
