"""Knowledge-base operations: write and publish articles, and generate a draft decree that
names the region's innovations (evidence for the regulation indicator) as editable Markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lumbung.assessment.evidence import document_store, evidence_attach
from lumbung.assessment.models import Document
from lumbung.core.files import store_upload
from lumbung.core.jobs import running_job, start_job
from lumbung.core.models import Job
from lumbung.core.pdf import render_pdf
from lumbung.core.tasks import task

from .models import Article, ArticleEvent, Category, Decree
from .rendering import render_markdown
from .workflows import ARTICLE


def _slug(text: str, fallback: str) -> str:
    return slugify(text)[:200].strip("-") or fallback


@transaction.atomic
def article_save(
    *,
    region,
    actor,
    title: str,
    body: str,
    kind: str = Article.Kind.GUIDE,
    summary: str = "",
    visibility: str = Article.Visibility.PUBLIC,
    category: Category | None = None,
    indicator_code: str = "",
    upload=None,
    remove_file: bool = False,
    article: Article | None = None,
) -> Article:
    """Create an article (as a draft) or update one; an upload replaces the file."""
    is_new = article is None
    article = article or Article(region=region, author=actor)
    article.title, article.slug = title.strip(), _slug(title, "artikel")
    article.body, article.summary = body, summary.strip()
    article.kind, article.visibility, article.indicator_code = kind, visibility, indicator_code
    if category is not None and category.region_id != region.pk:
        raise ValidationError(_("Kategori harus dari pemda yang sama."))
    article.category = category
    replaced = article.file.name if (remove_file or upload is not None) and article.file else ""
    if remove_file or upload is not None:
        article.file, article.original_name, article.content_type, article.size, article.sha256 = "", "", "", None, ""
    if upload is not None:
        store_upload(article, upload)
    article.full_clean()
    article.save()
    if replaced:
        # Only once the new state is committed; a failed save keeps the old file.
        transaction.on_commit(lambda: article.file.storage.delete(replaced))
    if is_new:
        ArticleEvent.objects.create(
            article=article, actor=actor, action="create", from_state="", to_state=article.status
        )
    return article


def article_transition(*, article: Article, action: str, actor, note: str = "") -> ArticleEvent:
    return ARTICLE.apply(article, action, actor=actor, note=note)


def category_save(
    *, region, name: str, description: str = "", order: int = 0, category: Category | None = None
) -> Category:
    category = category or Category(region=region)
    category.name, category.slug = name.strip(), _slug(name, "kategori")
    category.description, category.order = description.strip(), order
    category.full_clean()
    category.save()
    return category


def _short_name(region) -> str:
    """ "Lampung Barat" for "Kabupaten Lampung Barat": how a decree names its region head."""
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        if region.name.startswith(prefix):
            return region.name.removeprefix(prefix)
    return region.name


def _decree_title(region, kind: str, year: int) -> str:
    act = "Peraturan" if kind == Decree.Kind.REGULATION else "Keputusan"
    return f"{act} {region.head_title} tentang Penetapan Inovasi Daerah {region.name} Tahun {year}"


@transaction.atomic
def decree_generate(
    *,
    region,
    actor,
    kind: str,
    year: int,
    innovations,
    number: str = "",
    place: str = "",
    signed_on: dt.date | None = None,
    signer_name: str = "",
) -> Decree:
    """Write the draft from the registry: the chosen innovations, in the layout of a
    regional decree (tata naskah dinas), ready for the legal division to edit."""
    innovations = sorted(
        innovations, key=lambda innovation: (innovation.unit.name if innovation.unit_id else "", innovation.name)
    )
    # A legal document of an Indonesian region: Indonesian whatever the language of the UI.
    with translation.override("id"):
        title = _decree_title(region, kind, year)
        body = render_to_string(
            "knowledge/decree/draft.md",
            {
                "region": region,
                "short_name": _short_name(region),
                "is_regulation": kind == Decree.Kind.REGULATION,
                "year": year,
                "innovations": innovations,
                "number": number.strip(),
                "place": place.strip(),
                "signed_on": signed_on,
                "signer_name": signer_name.strip(),
            },
        )
    decree = Decree(region=region, kind=kind, year=year, title=title, body=body, created_by=actor)
    decree.full_clean()
    decree.save()
    decree.innovations.set(innovations)
    return decree


def decree_update(*, decree: Decree, title: str, body: str) -> Decree:
    decree.title, decree.body = title.strip(), body
    decree.full_clean()
    decree.save(update_fields=["title", "body", "updated_at"])
    return decree


# The index indicator a decree naming the innovations is evidence for ("regulasi inovasi daerah").
REGULATION_INDICATOR = "16"


@dataclass
class DecreeFiling:
    document: Document
    attached: list = field(default_factory=list)
    # (innovation, why it was not attached)
    refused: list = field(default_factory=list)


def decree_file_signed(*, decree: Decree, actor, upload, number: str, issued_on: dt.date) -> DecreeFiling:
    """File the signed decree in the region's evidence library and attach it to the regulation
    indicator of every innovation it names, in the assessment of the decree's year.

    An innovation that cannot take it (not eligible, assessment locked) is reported, not fatal:
    the others still get their evidence.
    """
    document = document_store(
        region=decree.region,
        actor=actor,
        title=decree.title,
        year=decree.year,
        file=upload,
        number=number,
        issued_on=issued_on,
        subject="Penetapan inovasi daerah",
        source="knowledge",
    )
    Decree.objects.filter(pk=decree.pk).update(signed_document=document)
    decree.signed_document = document
    filing = DecreeFiling(document=document)
    for innovation in decree.innovations.select_related("unit").order_by("name"):
        try:
            with transaction.atomic():
                evidence_attach(
                    document=document,
                    innovation=innovation,
                    indicator_code=REGULATION_INDICATOR,
                    year=decree.year,
                    actor=actor,
                )
        except ValidationError as error:
            filing.refused.append((innovation, " ".join(error.messages)))
        else:
            filing.attached.append(innovation)
    return filing


def decree_pdf_start(*, decree: Decree, actor) -> Job:
    """Render the decree as PDF in the background; the job page offers the download."""
    return start_job(
        task=decree_pdf,
        kind="decree_pdf",
        label=_("PDF %(title)s") % {"title": decree.title[:150]},
        owner=actor,
        region=decree.region,
        next_url=decree.get_absolute_url(),
        decree_id=decree.pk,
    )


@task()
def decree_pdf(job_id: str, decree_id: int) -> None:
    with running_job(job_id) as job:
        decree = Decree.objects.select_related("region").get(pk=decree_id)
        job.step(0, 1, _("Menyusun PDF"))
        pdf = render_pdf("knowledge/decree/pdf.html", {"decree": decree, "body": render_markdown(decree.body)})
        job.attach(f"{_slug(decree.title, 'draf-penetapan')[:80]}.pdf", pdf)
        job.step(1, 1)
