"""Search: every word must match; on PostgreSQL with Indonesian stemming and best matches first."""

import pytest
from django.db import connection

from lumbung.core.roles import Role
from lumbung.knowledge.models import Article

from .factories import ArticleFactory


@pytest.fixture
def articles(world):
    admin = world.user(Role.ADMIN)
    return {
        "guide": ArticleFactory(
            region=world.region, author=admin, title="Cara mengisi rancang bangun", summary="",
            body="Rancang bangun terdiri atas enam bagian: dasar hukum, permasalahan, isu strategis.",
        ),
        "evidence": ArticleFactory(
            region=world.region, author=admin, title="Eviden indikator 17", summary="",
            body="Unggah SK tim tiga tahun yang menyebut peran setiap orang.",
        ),
        "faq": ArticleFactory(
            region=world.region, author=admin, title="Tanya jawab SOSIS", summary="Kuota satu inovasi per perangkat daerah.",
            body="Setiap perangkat daerah wajib memiliki inovasi; rancang bangun dibahas di artikel lain.",
        ),
    }  # fmt: skip


def titles(text):
    return [article.title for article in Article.objects.search(text)]


def test_every_word_must_appear(articles):
    assert titles("SK peran") == ["Eviden indikator 17"]
    assert titles("SK sosis") == []


def test_an_empty_search_keeps_everything(articles):
    assert len(titles("   ")) == 3


def test_words_are_found_in_title_summary_and_body(articles):
    assert set(titles("rancang bangun")) == {"Cara mengisi rancang bangun", "Tanya jawab SOSIS"}
    assert titles("kuota") == ["Tanya jawab SOSIS"]


def test_postgresql_ranks_title_matches_first_and_stems_indonesian(articles):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL; the embedded database matches words as typed")
    assert titles("rancang bangun")[0] == "Cara mengisi rancang bangun"
    # "pengisian" and "mengisi" share the stem "isi".
    assert titles("pengisian") == ["Cara mengisi rancang bangun"]
    assert titles('"isu strategis" -sosis') == ["Cara mengisi rancang bangun"]
