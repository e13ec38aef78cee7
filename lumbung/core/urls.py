from django.conf import settings
from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("beranda/", views.home, name="home"),
    path("sehat/", health.health, name="health"),
    path("health", health.health, name="health-check"),
    path("health/ready", health.health_ready, name="health-ready"),
    path("robots.txt", views.robots, name="robots"),
    path("tugas/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("tugas/<uuid:job_id>/unduh/", views.job_download, name="job-download"),
    path("impor/<slug:kind>/unggah/", views.import_upload, name="import-upload"),
    path("impor/<slug:kind>/templat.xlsx", views.import_template, name="import-template"),
    path("impor/<int:batch_id>/", views.import_detail, name="import-detail"),
    path("impor/<int:batch_id>/konfirmasi/", views.import_confirm_view, name="import-confirm"),
    path("impor/<int:batch_id>/batal/", views.import_cancel, name="import-cancel"),
    path("impor/<int:batch_id>/lanjutkan/", views.import_resume_view, name="import-resume"),
]

if settings.LUMBUNG_BARE_VIEW:
    # The yardstick of `make loadtest`: the whole middleware stack and a tiny response; it is
    # mounted only when the load test asks for it, never in a normal deployment.
    urlpatterns.append(path("_bare/", views.bare, name="bare"))
