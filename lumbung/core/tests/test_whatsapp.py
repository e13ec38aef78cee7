from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from lumbung.core.whatsapp import whatsapp_number, whatsapp_url


@pytest.mark.parametrize(
    ("phone", "url"),
    [
        ("0812-7900-1234", "https://wa.me/6281279001234"), ("+62 812 7900 1234", "https://wa.me/6281279001234"),
        ("81279001234", "https://wa.me/6281279001234"), ("(0728) 21", ""), ("0728 212345", ""), ("", "https://wa.me/"),
    ],
)  # fmt: skip
def test_a_phone_number_becomes_a_whatsapp_link(phone, url):
    assert whatsapp_url(phone) == url


def test_a_landline_gets_no_link_even_with_a_message():
    assert whatsapp_url("0728 212345", "Halo") == ""


@given(st.text(max_size=300))
def test_the_message_arrives_unchanged(text):
    url = whatsapp_url("0812 7900 1234", text)
    assert url.startswith("https://wa.me/6281279001234")
    sent = parse_qs(urlsplit(url).query, keep_blank_values=True).get("text", [""])[0]
    assert sent == text


@given(st.text(alphabet="0123456789 +-()", max_size=20))
def test_a_number_is_mobile_indonesian_or_nothing(phone):
    number = whatsapp_number(phone)
    assert number == "" or (number.startswith("628") and number.isdigit())


def test_the_share_tag_carries_the_public_address(settings):
    settings.SITE_URL = "https://inovasi.lampungbaratkab.go.id/"
    rendered = Template('{% load lumbung %}{% whatsapp_share "Inovasi Lampung Barat" "/etalase/1/" %}').render(
        Context()
    )
    text = parse_qs(urlsplit(rendered.replace("&amp;", "&")).query)["text"][0]
    assert text == "Inovasi Lampung Barat\nhttps://inovasi.lampungbaratkab.go.id/etalase/1/"
