"""A URLconf for the access tests: the project's URLs plus views with each kind of declaration."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls
from lumbung.core.access import access
from lumbung.core.roles import Role


def undeclared(request):
    return HttpResponse("rahasia")


@access.public
def open_to_all(request):
    return HttpResponse("terbuka")


@access.authenticated
def signed_in(request):
    return HttpResponse("masuk")


@access.roles(Role.VERIFIER, Role.ADMIN)
def reviewers(request):
    return HttpResponse("pemeriksa")


urlpatterns = [
    path("uji/tanpa-aturan/", undeclared),
    path("uji/publik/", open_to_all),
    path("uji/masuk/", signed_in),
    path("uji/pemeriksa/", reviewers),
    *project_urls,
]
