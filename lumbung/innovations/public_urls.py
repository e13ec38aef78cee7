"""The public showcase, mounted at /publik/<region code>/."""

from django.urls import path

from . import public

app_name = "showcase"

urlpatterns = [
    path("<str:region_code>/", public.showcase, name="index"),
    path("<str:region_code>/inovasi/<int:pk>/", public.public_detail, name="detail"),
    path("<str:region_code>/peta/", public.public_map, name="map"),
    path("<str:region_code>/data.csv", public.open_data_csv, name="open-data-csv"),
    path("<str:region_code>/data.json", public.open_data_json, name="open-data-json"),
]
