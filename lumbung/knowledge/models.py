"""The knowledge base: guides, FAQ and templates written in Markdown, public or internal, and
draft decrees generated from the innovation registry."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import STAFF_ROLES

# PostgreSQL's Snowball stemmer for Bahasa Indonesia: "mengisi" finds "isi" and "pengisian".
SEARCH_CONFIG = "indonesian"


class Category(models.Model):
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, related_name="knowledge_categories"
    )
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kategori pengetahuan")
        verbose_name_plural = _("kategori pengetahuan")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "slug"],
                name="knowledge_category_unique_slug",
                violation_error_message=_("Sudah ada kategori dengan nama serupa."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user, region):
        """Published articles a reader may open; mirrors `knowledge.view_article`.

        Signed-in people read their region's articles (internal ones only as staff); visitors
        read the public articles of every region that uses the application.
        """
        articles = self.published()
        if user.is_authenticated and region is not None:
            articles = articles.filter(region=region)
            if user.has_any_role(STAFF_ROLES, region):
                return articles
            return articles.filter(visibility=Article.Visibility.PUBLIC)
        return articles.filter(visibility=Article.Visibility.PUBLIC, region__is_hosted=True)

    def editable_by(self, user, region):
        from .rules import EDITOR_ROLES

        if region is None or not user.has_any_role(EDITOR_ROLES, region):
            return self.none()
        return self.filter(region=region)

    def search(self, text: str):
        """Full-text search on PostgreSQL (Indonesian stemming, best matches first); a plain
        every-word-appears search elsewhere (the embedded SQLite database)."""
        text = text.strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config=SEARCH_CONFIG)
                + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
                + SearchVector("body", weight="C", config=SEARCH_CONFIG)
            )
            query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
            return self.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query).order_by("-rank")
        matches = Q()
        for word in text.split():
            matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return self.filter(matches)


class Article(TimeStampedModel):
    class Kind(models.TextChoices):
        GUIDE = "guide", _("Panduan")
        FAQ = "faq", _("Tanya jawab")
        TEMPLATE = "template", _("Templat")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Publik")
        INTERNAL = "internal", _("Internal (ASN dan perangkat daerah)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")
        ARCHIVED = "archived", _("Arsip")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, related_name="knowledge_articles"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(
        _("ringkasan"),
        max_length=300,
        blank=True,
        help_text=_("Satu atau dua kalimat untuk daftar dan hasil pencarian."),
    )
    body = models.TextField(_("isi (Markdown)"))
    visibility = models.CharField(
        _("dapat dibaca"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    indicator_code = models.CharField(
        _("indikator terkait"),
        max_length=8,
        blank=True,
        help_text=_("Artikel ini muncul di kasus klinik dengan indikator yang sama."),
    )
    file = models.FileField(_("berkas unduhan"), upload_to=upload_path("knowledge"), blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["status", "file", "content_type", "size", "sha256"])

    class Meta:
        verbose_name = _("artikel pengetahuan")
        verbose_name_plural = _("artikel pengetahuan")
        ordering = ["title"]
        indexes = [models.Index(fields=["region", "status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.pk, self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class ArticleEvent(WorkflowEvent):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat artikel")
        verbose_name_plural = _("riwayat artikel")


class Decree(TimeStampedModel):
    """A draft decree naming the region's innovations (evidence for the regulation indicator),
    generated from the registry as Markdown and then edited by the admin."""

    class Kind(models.TextChoices):
        DECREE = "decree", _("Keputusan Kepala Daerah (SK)")
        REGULATION = "regulation", _("Peraturan Kepala Daerah (Perkada)")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("bentuk"), max_length=12, choices=Kind.choices, default=Kind.DECREE)
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("naskah (Markdown)"))
    innovations = models.ManyToManyField(
        "innovations.Innovation", verbose_name=_("inovasi yang ditetapkan"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )

    # The signed decree, once filed in the evidence library (indicator 16 of each innovation).
    signed_document = models.ForeignKey(
        "assessment.Document",
        verbose_name=_("SK yang sudah ditandatangani"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("draf penetapan inovasi")
        verbose_name_plural = _("draf penetapan inovasi")
        ordering = ["-year", "-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:decree", args=[self.pk])
