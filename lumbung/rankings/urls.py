from django.urls import path

from . import views

app_name = "rankings"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("unduh.<str:fmt>", views.export, name="export"),
    path("pemda/<str:code>/", views.region_detail, name="region"),
    path("pemda/<str:code>/klinik/", views.help_case, name="help-case"),
]
