from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lumbung.core.access import access, get_for_user
from lumbung.core.files import private_file_response
from lumbung.core.roles import Role
from lumbung.core.text import parse_id
from lumbung.core.workflow import TransitionNotAllowed

from . import services
from .forms import ArticleForm, CategoryForm, DecreeForm, DecreeGenerateForm, SignedDecreeForm
from .models import Article, Category, Decree
from .rendering import render_markdown
from .rules import EDITOR_ROLES
from .workflows import ARTICLE, EXTRA_ACTION_LABELS


def _region_of(request):
    return getattr(request, "region", None) if request.user.is_authenticated else None


@access.public
def index(request):
    """Articles the reader may see, searchable and filtered by kind and category."""
    region = _region_of(request)
    articles = Article.objects.visible_to(request.user, region)
    kind, category, query = (
        request.GET.get("jenis", ""),
        request.GET.get("kategori", ""),
        request.GET.get("q", "").strip(),
    )
    # Counted over the join the filter made: only the articles this reader may see.
    categories = Category.objects.filter(articles__in=articles).annotate(n=Count("articles")).order_by("order", "name")
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    if category_id := parse_id(category):
        articles = articles.filter(category_id=category_id)
    articles = articles.search(query).select_related("category", "region")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "kinds": Article.Kind.choices,
        "kind": kind,
        "categories": categories,
        "category": category,
        "query": query,
        "region": region,
    }
    return render(request, "knowledge/index.html", context)


def _article(request, pk, perm="knowledge.view_article") -> Article:
    articles = Article.objects.select_related("region", "category", "author")
    return get_for_user(request.user, articles, perm, pk=pk)


@access.public
def article_detail(request, pk, slug):
    article = _article(request, pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    context = {"article": article, "body": render_markdown(article.body)}
    context["can_edit"] = request.user.has_perm("knowledge.change_article", article)
    if context["can_edit"]:
        context["transitions"] = ARTICLE.available(request.user, article)
        context["events"] = ARTICLE.describe(article.events.select_related("actor"), EXTRA_ACTION_LABELS)
    return render(request, "knowledge/article_detail.html", context)


@access.public
def article_file(request, pk):
    article = _article(request, pk)
    if not article.file:
        raise Http404
    return private_file_response(article.file, article.original_name)


@access.roles(*EDITOR_ROLES)
def manage(request):
    """Every article of the region, drafts and archive included, for the people who write them."""
    status = request.GET.get("status", "")
    articles = Article.objects.editable_by(request.user, request.region).select_related("category", "author")
    if status in Article.Status.values:
        articles = articles.filter(status=status)
    articles = articles.search(request.GET.get("q", "")).order_by("-updated_at")
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "statuses": Article.Status.choices,
        "status": status,
        "query": request.GET.get("q", ""),
    }
    return render(request, "knowledge/manage.html", context)


def _save_article(request, form, article=None):
    data = form.cleaned_data
    return services.article_save(
        region=request.region if article is None else article.region,
        actor=request.user,
        article=article,
        title=data["title"],
        body=data["body"],
        kind=data["kind"],
        summary=data["summary"],
        visibility=data["visibility"],
        category=data["category"],
        indicator_code=data["indicator_code"],
        upload=data["file"],
        remove_file=data.get("remove_file", False),
    )


@access.roles(*EDITOR_ROLES)
def article_create(request):
    form = ArticleForm(request.POST or None, request.FILES or None, region=request.region, upload_owner=request.user)
    if request.method == "POST" and form.is_valid():
        article = _save_article(request, form)
        messages.success(request, _("Draf artikel disimpan. Terbitkan bila sudah siap dibaca."))
        return redirect(article)
    return render(request, "knowledge/article_form.html", {"form": form})


@access.roles(*EDITOR_ROLES)
def article_edit(request, pk):
    article = _article(request, pk, "knowledge.change_article")
    form = ArticleForm(
        request.POST or None, request.FILES or None, region=article.region, article=article, upload_owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        _save_article(request, form, article)
        messages.success(request, _("Artikel disimpan."))
        return redirect(article)
    return render(request, "knowledge/article_form.html", {"form": form, "article": article})


@require_POST
@access.roles(*EDITOR_ROLES)
def article_action(request, pk):
    article = _article(request, pk, "knowledge.change_article")
    try:
        services.article_transition(
            article=article,
            action=request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except TransitionNotAllowed:
        messages.error(request, _("Status artikel sudah berubah. Muat ulang halaman lalu coba lagi."))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Tindakan tidak diizinkan.")])))
    else:
        messages.success(request, _("Status artikel: %(status)s.") % {"status": article.get_status_display()})
    return redirect(article)


@require_POST
@access.roles(*EDITOR_ROLES)
def preview(request):
    """The sanitised HTML of a Markdown text, for the editors' preview (htmx)."""
    return render(request, "knowledge/_preview.html", {"html": render_markdown(request.POST.get("body", ""))})


@access.roles(Role.ADMIN)
def categories(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(region=request.region, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kategori ditambahkan."))
            return redirect("knowledge:categories")
    items = Category.objects.filter(region=request.region).annotate(n=Count("articles"))
    return render(request, "knowledge/categories.html", {"form": form, "categories": items})


@access.roles(Role.ADMIN)
def category_edit(request, pk):
    category = get_for_user(request.user, Category.objects.all(), "knowledge.change_category", pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(region=category.region, category=category, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kategori disimpan."))
            return redirect("knowledge:categories")
    return render(request, "knowledge/category_form.html", {"form": form, "category": category})


@access.roles(Role.ADMIN)
def decree_list(request):
    decrees = Decree.objects.filter(region=request.region).select_related("created_by").annotate(n=Count("innovations"))
    return render(request, "knowledge/decree_list.html", {"decrees": decrees})


@access.roles(Role.ADMIN)
def decree_create(request):
    form = DecreeGenerateForm(request.POST or None, region=request.region)
    if request.method == "POST" and form.is_valid():
        decree = services.decree_generate(region=request.region, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Draf dibuat dari data inovasi. Periksa dan lengkapi naskahnya."))
        return redirect(decree)
    return render(request, "knowledge/decree_generate.html", {"form": form})


def _decree(request, pk) -> Decree:
    return get_for_user(request.user, Decree.objects.select_related("region"), "knowledge.change_decree", pk=pk)


def _decree_page(request, decree, form=None, signed_form=None, status=200):
    context = {
        "decree": decree,
        "form": form or DecreeForm(instance=decree),
        "signed_form": signed_form or SignedDecreeForm(upload_owner=request.user),
        "body": render_markdown(decree.body, top_heading=3),
        "innovations": decree.innovations.select_related("unit"),
        "history": decree.history.select_related("history_user")[:10],
    }
    return render(request, "knowledge/decree_edit.html", context, status=status)


@access.roles(Role.ADMIN)
def decree_edit(request, pk):
    decree = _decree(request, pk)
    form = DecreeForm(request.POST or None, instance=decree)
    if request.method == "POST" and form.is_valid():
        services.decree_update(decree=decree, **form.cleaned_data)
        messages.success(request, _("Naskah disimpan."))
        return redirect(decree)
    return _decree_page(request, decree, form=form)


@require_POST
@access.roles(Role.ADMIN)
def decree_signed(request, pk):
    """File the signed decree as evidence of indicator 16 for every innovation it names."""
    decree = _decree(request, pk)
    form = SignedDecreeForm(request.POST, request.FILES, upload_owner=request.user)
    if not form.is_valid():
        return _decree_page(request, decree, signed_form=form, status=400)
    try:
        filing = services.decree_file_signed(
            decree=decree,
            actor=request.user,
            upload=form.cleaned_data["file"],
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _decree_page(request, decree, signed_form=form, status=400)
    messages.success(
        request,
        _("SK tersimpan di pustaka eviden dan dilampirkan ke indikator 16 untuk %(n)s inovasi.")
        % {"n": len(filing.attached)},
    )
    for innovation, reason in filing.refused:
        messages.warning(
            request, _("%(name)s tidak dilampiri: %(reason)s") % {"name": innovation.name, "reason": reason}
        )
    return redirect(decree)


@require_POST
@access.roles(Role.ADMIN)
def decree_pdf(request, pk):
    job = services.decree_pdf_start(decree=_decree(request, pk), actor=request.user)
    return redirect("core:job-detail", job.pk)
