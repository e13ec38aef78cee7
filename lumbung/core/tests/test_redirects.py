import pytest
from django.test import RequestFactory
from django.urls import reverse

from lumbung.core.redirects import redirect_local


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/organisasi/?halaman=2", "/organisasi/?halaman=2"),
        ("https://evil.example/", None), ("//evil.example/x", None), ("abc", None), ("", None), (None, None),
        ("/\\evil.example", None),
    ],
)  # fmt: skip
def test_only_paths_of_this_site_are_followed(target, location):
    request = RequestFactory().post("/", HTTP_HOST="testserver")
    response = redirect_local(request, target, "notifications:list")
    assert response.status_code == 302
    assert response["Location"] == (location or reverse("notifications:list"))
