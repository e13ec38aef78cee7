from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/status/", views.transition, name="transition"),
]
