"""The knowledge base of the Lampung Barat demo: guides, FAQ and templates written as Markdown
files in data/demo-articles, and a draft decree generated from the demo registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.innovations.models import Innovation

from . import services
from .models import Article, ArticleEvent

ARTICLES = Path(__file__).parent / "data" / "demo-articles"

CATEGORIES = [
    ("Memulai inovasi", "Dari ide sampai profil inovasi yang lengkap."),
    ("Eviden indikator wajib", "Dokumen untuk indikator 16, 17, 32, 33 dan 35."),
    ("Program SOSIS dan PM Indah", "Kuota inovasi perangkat daerah dan pejabat eselon."),
    ("Klinik inovasi", "Pendampingan dan cara kerja tim inovasi."),
    ("Templat dokumen", "Kerangka SK, surat, dan laporan yang tinggal dilengkapi."),
]


def read_article(path: Path) -> tuple[dict, str]:
    """A demo article file: "key: value" lines, a line "---", then the Markdown body."""
    header, _separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
    return meta, body.strip() + "\n"


def load(demo: Demo) -> None:
    region, admin, mentor = demo.region, demo.user("admin"), demo.user("mentor")
    categories = {
        name: services.category_save(region=region, name=name, description=description, order=order)
        for order, (name, description) in enumerate(CATEGORIES, start=1)
    }
    now = timezone.now()
    for index, path in enumerate(sorted(ARTICLES.glob("*.md"))):
        meta, body = read_article(path)
        author = mentor if meta["kind"] == Article.Kind.FAQ else admin
        article = services.article_save(
            region=region,
            actor=author,
            title=meta["title"],
            body=body,
            kind=meta["kind"],
            summary=meta.get("summary", ""),
            visibility=meta["visibility"],
            category=categories[meta["category"]],
            indicator_code=meta.get("indicator", ""),
        )
        services.article_transition(article=article, action="publish", actor=admin)
        # Written over the past months, so lists and history look lived-in.
        written = now - dt.timedelta(days=150 - index * 9, hours=demo.random.randint(0, 8))
        Article.objects.filter(pk=article.pk).update(created_at=written, updated_at=written + dt.timedelta(days=2))
        ArticleEvent.objects.filter(article=article, action="create").update(created_at=written)
        ArticleEvent.objects.filter(article=article, action="publish").update(created_at=written + dt.timedelta(days=2))
    published = Innovation.objects.filter(region=region, status=Innovation.Status.PUBLISHED).select_related(
        "unit", "main_affair"
    )
    if published.exists():
        services.decree_generate(
            region=region,
            actor=admin,
            kind="decree",
            year=timezone.localdate().year,
            innovations=list(published),
            place="Liwa",
        )
