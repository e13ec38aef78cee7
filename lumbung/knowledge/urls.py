from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("artikel/<int:pk>/<slug:slug>/", views.article_detail, name="article"),
    path("<int:pk>/berkas/", views.article_file, name="article-file"),
    path("kelola/", views.manage, name="manage"),
    path("tulis/", views.article_create, name="article-create"),
    path("<int:pk>/ubah/", views.article_edit, name="article-edit"),
    path("<int:pk>/tindakan/", views.article_action, name="article-action"),
    path("pratinjau/", views.preview, name="preview"),
    path("kategori/", views.categories, name="categories"),
    path("kategori/<int:pk>/", views.category_edit, name="category-edit"),
    path("penetapan/", views.decree_list, name="decrees"),
    path("penetapan/buat/", views.decree_create, name="decree-create"),
    path("penetapan/<int:pk>/", views.decree_edit, name="decree"),
    path("penetapan/<int:pk>/pdf/", views.decree_pdf, name="decree-pdf"),
    path("penetapan/<int:pk>/ditandatangani/", views.decree_signed, name="decree-signed"),
]
