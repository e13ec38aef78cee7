from django.contrib import admin
from django.urls import include, path

from lumbung.core.views import set_language

urlpatterns = [
    path("", include("lumbung.core.urls")),
    path("akun/", include("lumbung.accounts.urls")),
    path("organisasi/", include("lumbung.organisation.urls")),
    path("notifikasi/", include("lumbung.notifications.urls")),
    path("inovasi/", include("lumbung.innovations.urls")),
    path("publik/", include("lumbung.innovations.public_urls")),
    path("metodologi/", include("lumbung.frameworks.urls")),
    path("penilaian/", include("lumbung.assessment.urls")),
    path("lomba/", include("lumbung.competitions.urls")),
    path("klinik/", include("lumbung.clinic.urls")),
    path("kegiatan/", include("lumbung.events.urls")),
    path("pengetahuan/", include("lumbung.knowledge.urls")),
    path("replikasi/", include("lumbung.replication.urls")),
    path("tugas/", include("lumbung.actions.urls")),
    path("peringkat/", include("lumbung.rankings.urls")),
    path("api/v1/", include("lumbung.api.urls")),
    path("token-api/", include("lumbung.api.web_urls")),
    path("bahasa/", set_language, name="set_language"),
    path("sistem/", admin.site.urls),
]

# A database that cannot be reached answers "layanan sementara tidak tersedia" (503), not a 500.
handler500 = "lumbung.core.health.server_error"
