"""The bare view of `make loadtest` exists only when LUMBUNG_BARE_VIEW asks for it."""

import importlib

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve


def _reload_urls() -> None:
    import config.urls
    import lumbung.core.urls

    importlib.reload(lumbung.core.urls)
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_setting_is_off_by_default():
    assert settings.LUMBUNG_BARE_VIEW is False


@pytest.mark.django_db
def test_absent_from_a_normal_deployment(client):
    with pytest.raises(Resolver404):
        resolve("/_bare/")
    assert client.get("/_bare/").status_code == 404


@pytest.mark.django_db
def test_mounted_through_the_whole_middleware_stack_when_asked(client):
    try:
        with override_settings(LUMBUNG_BARE_VIEW=True):
            _reload_urls()
            response = client.get("/_bare/")
            assert response.status_code == 200
            assert response.content == b"ok"
            # The middleware ran: the language middleware's header is on the response.
            assert response["Content-Language"] == "id"
    finally:
        _reload_urls()
    with pytest.raises(Resolver404):
        resolve("/_bare/")
