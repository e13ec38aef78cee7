from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/buka/", views.notification_open, name="open"),
    path("baca-semua/", views.notification_read_all, name="read-all"),
    path("pengaturan/", views.preferences, name="preferences"),
    path("whatsapp/status/", views.whatsapp_status, name="whatsapp-status"),
]
