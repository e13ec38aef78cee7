import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from lumbung.api.models import ApiToken
from lumbung.api.services import token_create
from lumbung.core.roles import Role


def make_token(user, region, *, scope=ApiToken.Scope.WRITE, kind=ApiToken.Kind.PERSONAL, days=30, actor=None):
    token, raw = token_create(
        user=user, region=region, name="Uji", scope=scope, kind=kind,
        expires_at=timezone.now() + dt.timedelta(days=days), actor=actor or user,
    )  # fmt: skip
    return token, raw


class ApiClient(Client):
    """A test client that sends a token (and a language) on every request."""

    def __init__(self, raw=None, language=None, **kwargs):
        super().__init__(**kwargs)
        self.raw = raw
        self.language = language

    def request(self, **request):
        if self.raw:
            request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.raw}")
        if self.language:
            request.setdefault("HTTP_ACCEPT_LANGUAGE", self.language)
        return super().request(**request)


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def token_for():
    def build(user, region, **kwargs):
        _token, raw = make_token(user, region, **kwargs)
        return ApiClient(raw)

    return build


@pytest.fixture
def anonymous():
    return ApiClient()
