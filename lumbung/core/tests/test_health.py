"""/health and /health/ready, and the 503 page when the database cannot be reached."""

import json

import pytest
from django.db import OperationalError, connections
from django.test import Client


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as it does when PostgreSQL is restarting or the SQLite file is gone."""

    def refuse(self, name=None):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    def switch():
        monkeypatch.setattr(type(connections["default"]), "create_cursor", refuse)

    return switch


@pytest.mark.django_db
def test_health_reports_each_part_without_private_data(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/health")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "storage", "workers"}
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"] and body["checks"]["storage"]["ok"]
    # No worker runs in the tests and no job waits: not an error.
    assert body["checks"]["workers"]["alive"] == 0 and body["status"] == "ok"
    assert world.national_admin.email not in response.content.decode()
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert client.get("/sehat/").status_code == 200


@pytest.mark.django_db
def test_health_says_the_database_is_down(database_down):
    database_down()
    response = Client().get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert "5432" not in response.content.decode()  # the error's text (hosts, ports) is not shown
    assert body["checks"]["cache"]["ok"]
    ready = Client().get("/health/ready")
    assert ready.status_code == 503 and json.loads(ready.content)["checks"]["database"] is False


@pytest.mark.django_db
def test_pages_answer_503_in_indonesian_when_the_database_is_down(world, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(world.user("admin"))
    database_down()
    for url in ("/beranda/", "/inovasi/", "/"):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.content.decode()
        assert "Layanan sementara tidak tersedia" in page and "Traceback" not in page
        assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_other_errors_still_get_the_500_page(monkeypatch, world):
    from lumbung.core import views

    def broken(request):
        raise ValueError("bug")

    monkeypatch.setattr(views, "panels_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.user("admin"))
    response = client.get("/beranda/")
    assert response.status_code == 500 and "Terjadi kesalahan pada server" in response.content.decode()


@pytest.mark.django_db
def test_storage_is_ready_before_the_first_upload_but_not_when_read_only(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "belum" / "media")  # made by the first upload
    assert client.get("/health/ready").json()["checks"]["storage"] is True
    # A read-only folder (the tests run as root, who may write anywhere, so the check is told so).
    monkeypatch.setattr("lumbung.core.health.os.access", lambda path, mode: False)
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"] == {
        "database": True,
        "cache": True,
        "storage": False,
    }
    assert client.get("/health").json()["status"] == "degraded"
