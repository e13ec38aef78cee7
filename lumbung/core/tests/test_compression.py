"""Pages travel gzipped to browsers that accept it; downloads travel as they are."""

import gzip
import io

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from lumbung.core.middleware import PageCompressionMiddleware
from lumbung.core.spreadsheets import XLSX_CONTENT_TYPE

PAGE = "<html><body>" + "Inovasi Daerah Lampung Barat " * 50 + "</body></html>"


def _through(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return PageCompressionMiddleware(lambda _request: response)(request)


def test_a_page_is_gzipped_and_decompresses_to_itself():
    response = _through(HttpResponse(PAGE))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == PAGE
    assert len(response.content) < len(PAGE) / 4
    assert "Accept-Encoding" in response["Vary"]


def test_nothing_is_gzipped_for_a_browser_that_does_not_ask():
    response = _through(HttpResponse(PAGE), accept="identity")
    assert not response.has_header("Content-Encoding") and response.content.decode() == PAGE


@pytest.mark.parametrize("content_type", [XLSX_CONTENT_TYPE, "application/pdf", "application/zip", "image/png"])
def test_files_that_are_compressed_already_are_left_alone(content_type):
    body = b"PK" + b"\x00" * 5000
    response = _through(HttpResponse(body, content_type=content_type))
    assert not response.has_header("Content-Encoding") and response.content == body


def test_a_streamed_download_keeps_its_length():
    response = _through(FileResponse(io.BytesIO(b"%PDF-1.7 " * 1000), filename="eviden.pdf"))
    assert not response.has_header("Content-Encoding") and response["Content-Length"] == "9000"


@pytest.mark.django_db
def test_the_sign_in_page_arrives_gzipped(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(response.content).decode()
