"""Pages for API tokens, mounted at /token-api/."""

from django.urls import path

from . import web

app_name = "api-tokens"

urlpatterns = [
    path("", web.my_tokens, name="mine"),
    path("pemda/", web.region_tokens, name="region"),
    path("<int:pk>/cabut/", web.token_revoke, name="revoke"),
]
