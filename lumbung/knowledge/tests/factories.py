"""Factories for knowledge articles, categories and decree drafts."""

import factory
from factory.django import DjangoModelFactory

from lumbung.knowledge.models import Article, Category, Decree
from tests.factories import RegionFactory, UserFactory


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Eviden indikator {n}")
    slug = factory.Sequence(lambda n: f"eviden-indikator-{n}")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Cara mengisi rancang bangun {n}")
    slug = factory.Sequence(lambda n: f"cara-mengisi-rancang-bangun-{n}")
    summary = "Enam bagian rancang bangun dan contoh isinya."
    body = "## Dasar hukum\n\nTuliskan **peraturan** yang menjadi dasar inovasi."
    status = Article.Status.PUBLISHED
    author = factory.SubFactory(UserFactory)


class DecreeFactory(DjangoModelFactory):
    class Meta:
        model = Decree

    region = factory.SubFactory(RegionFactory)
    year = 2026
    title = "Keputusan Bupati tentang Penetapan Inovasi Daerah Tahun 2026"
    body = "# KEPUTUSAN BUPATI\n\n| No. | Nama Inovasi |\n|--:|---|\n| 1 | Sikesal |"
    created_by = factory.SubFactory(UserFactory)
