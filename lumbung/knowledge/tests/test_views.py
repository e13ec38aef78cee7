"""Knowledge pages: who reads what, editing with bad input, downloads, and query counts."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lumbung.assessment.tests.factories import pdf_file
from lumbung.core.models import StagedUpload
from lumbung.core.roles import Role
from lumbung.knowledge.models import Article, ArticleEvent, Category

from .factories import ArticleFactory, CategoryFactory

S, V = Article.Status, Article.Visibility


def listed(client, query=""):
    return {article.title for article in client.get(reverse("knowledge:index") + query).context["page_obj"]}


@pytest.fixture
def shelf(world):
    admin = world.user(Role.ADMIN)
    return {
        "public": ArticleFactory(region=world.region, author=admin, title="Publik", visibility=V.PUBLIC),
        "internal": ArticleFactory(region=world.region, author=admin, title="Internal", visibility=V.INTERNAL),
        "draft": ArticleFactory(region=world.region, author=admin, title="Draf", status=S.DRAFT),
        "archived": ArticleFactory(region=world.region, author=admin, title="Arsip", status=S.ARCHIVED),
        "elsewhere": ArticleFactory(region=world.other_region, author=world.other_admin, title="Daerah lain"),
    }


class TestReading:
    def test_a_visitor_reads_public_articles_of_every_hosted_region(self, client_for, shelf):
        assert listed(client_for()) == {"Publik", "Daerah lain"}

    def test_staff_read_their_regions_internal_articles_too(self, client_for, world, shelf):
        assert listed(client_for(world.user(Role.VERIFIER))) == {"Publik", "Internal"}

    def test_a_citizen_reads_the_public_articles_of_their_region(self, client_for, world, shelf):
        assert listed(client_for(world.user(Role.CITIZEN))) == {"Publik"}

    @pytest.mark.parametrize(
        ("key", "reader", "status"),
        [
            ("public", None, 200), ("internal", None, 404), ("internal", Role.CITIZEN, 404), ("internal", Role.OPERATOR, 200),
            ("draft", None, 404), ("draft", Role.VERIFIER, 404), ("draft", Role.MENTOR, 200), ("archived", Role.CITIZEN, 404),
            ("elsewhere", Role.ADMIN, 200), ("elsewhere", None, 200),
        ],
    )  # fmt: skip
    def test_who_opens_an_article(self, key, reader, status, client_for, world, shelf):
        article = shelf[key]
        client = client_for(world.user(reader) if reader else None)
        assert client.get(article.get_absolute_url()).status_code == status

    def test_a_wrong_slug_redirects_to_the_right_address(self, client_for, shelf):
        article = shelf["public"]
        response = client_for().get(reverse("knowledge:article", args=[article.pk, "judul-lama"]))
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url()

    def test_the_body_is_shown_sanitised(self, client_for, world):
        article = ArticleFactory(
            region=world.region, author=world.user(Role.ADMIN), body="**Tebal** <script>alert(1)</script>"
        )
        html = client_for().get(article.get_absolute_url()).content.decode()
        assert "<strong>Tebal</strong>" in html and "alert(1)" not in html

    def test_filters_by_kind_category_and_words(self, client_for, world):
        admin = world.user(Role.ADMIN)
        category = CategoryFactory(region=world.region, name="Templat dokumen")
        ArticleFactory(region=world.region, author=admin, title="Templat SK tim", kind="template", category=category)
        ArticleFactory(
            region=world.region, author=admin, title="Tanya jawab SOSIS", kind="faq", body="Sai inovasi sai OPD."
        )
        client = client_for(world.user(Role.OPERATOR))
        assert listed(client, "?jenis=template") == {"Templat SK tim"}
        assert listed(client, f"?kategori={category.pk}") == {"Templat SK tim"}
        assert listed(client, "?q=sai+opd") == {"Tanya jawab SOSIS"}

    def test_the_index_does_not_grow_a_query_per_article(self, client_for, world, django_assert_max_num_queries):
        admin = world.user(Role.ADMIN)
        category = CategoryFactory(region=world.region)
        ArticleFactory.create_batch(2, region=world.region, author=admin, category=category)
        client = client_for(world.user(Role.OPERATOR))
        with django_assert_max_num_queries(20) as small:
            client.get(reverse("knowledge:index"))
        ArticleFactory.create_batch(
            18, region=world.region, author=admin, category=CategoryFactory(region=world.region)
        )
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("knowledge:index"))


class TestFiles:
    def test_a_public_template_is_downloaded_by_anyone_and_an_internal_one_by_staff(self, client_for, world, shelf):
        for key in ("public", "internal"):
            shelf[key].file.save("templat.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
            shelf[key].original_name = "Templat SK.pdf"
            shelf[key].save()
        assert client_for().get(reverse("knowledge:article-file", args=[shelf["public"].pk])).status_code == 200
        assert client_for().get(reverse("knowledge:article-file", args=[shelf["internal"].pk])).status_code == 404
        response = client_for(world.user(Role.VERIFIER)).get(
            reverse("knowledge:article-file", args=[shelf["internal"].pk])
        )
        assert 'filename="Templat SK.pdf"' in response["Content-Disposition"]

    def test_an_article_without_a_file_has_nothing_to_download(self, client_for, shelf):
        assert client_for().get(reverse("knowledge:article-file", args=[shelf["public"].pk])).status_code == 404


def article_data(**overrides):
    return {
        "title": "Cara mengisi rancang bangun",
        "kind": "guide",
        "visibility": "public",
        "summary": "",
        "body": "## Dasar hukum\n\nTulis peraturannya.",
        "indicator_code": "",
        **overrides,
    }


class TestWriting:
    def test_a_mentor_writes_a_draft_and_publishes_it(self, client_for, world):
        client = client_for(world.user(Role.MENTOR))
        response = client.post(reverse("knowledge:article-create"), article_data())
        article = Article.objects.get()
        assert response["Location"] == article.get_absolute_url()
        assert (article.status, article.slug, article.author) == (
            S.DRAFT,
            "cara-mengisi-rancang-bangun",
            world.user(Role.MENTOR),
        )
        assert ArticleEvent.objects.get(article=article).action == "create"
        client.post(reverse("knowledge:article-action", args=[article.pk]), {"action": "publish", "note": ""})
        assert Article.objects.get().status == S.PUBLISHED

    def test_a_valid_file_survives_a_form_with_a_missing_title(self, client_for, world):
        client = client_for(world.user(Role.ADMIN))
        response = client.post(
            reverse("knowledge:article-create"), article_data(title="", file=pdf_file("Templat monev.pdf"))
        )
        assert response.status_code == 200
        assert "Bidang ini tidak boleh kosong." in response.content.decode()
        assert "## Dasar hukum" in response.content.decode()  # what was typed stays
        staged = StagedUpload.objects.get()
        client.post(reverse("knowledge:article-create"), article_data(file__staged=str(staged.pk)))
        assert Article.objects.get().original_name == "Templat monev.pdf"

    def test_a_disguised_file_is_refused(self, client_for, world):
        fake = SimpleUploadedFile("templat.docx", b"bukan arsip zip", content_type="application/msword")
        response = client_for(world.user(Role.ADMIN)).post(reverse("knowledge:article-create"), article_data(file=fake))
        assert response.status_code == 200 and not Article.objects.exists()

    def test_editing_keeps_the_history_and_can_drop_the_file(
        self, client_for, world, django_capture_on_commit_callbacks
    ):
        admin = world.user(Role.ADMIN)
        article = ArticleFactory(region=world.region, author=admin, original_name="lama.pdf")
        article.file.save("lama.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF"), save=True)
        old_name = article.file.name
        with django_capture_on_commit_callbacks(execute=True):
            client_for(admin).post(
                reverse("knowledge:article-edit", args=[article.pk]), article_data(title="Judul baru", remove_file="on")
            )
        article.refresh_from_db()
        assert (article.title, article.slug, bool(article.file)) == ("Judul baru", "judul-baru", False)
        assert not default_storage.exists(old_name)
        assert article.history.count() >= 2

    def test_a_category_of_another_region_cannot_be_chosen(self, client_for, world):
        foreign = CategoryFactory(region=world.other_region)
        response = client_for(world.user(Role.ADMIN)).post(
            reverse("knowledge:article-create"), article_data(category=foreign.pk)
        )
        assert response.status_code == 200 and not Article.objects.exists()

    @pytest.mark.parametrize("role", [Role.VERIFIER, Role.OPERATOR, Role.CITIZEN, Role.LEADER])
    def test_readers_do_not_write(self, role, client_for, world, shelf):
        client = client_for(world.user(role))
        assert client.get(reverse("knowledge:article-create")).status_code == 403
        assert client.get(reverse("knowledge:article-edit", args=[shelf["public"].pk])).status_code == 403

    def test_an_editor_of_one_region_does_not_edit_another(self, client_for, world, shelf):
        assert (
            client_for(world.user(Role.ADMIN))
            .get(reverse("knowledge:article-edit", args=[shelf["elsewhere"].pk]))
            .status_code
            == 404
        )

    def test_the_preview_is_sanitised(self, client_for, world):
        response = client_for(world.user(Role.MENTOR)).post(
            reverse("knowledge:preview"), {"body": "*a* <img src=x onerror=alert(1)>"}
        )
        assert "<em>a</em>" in response.content.decode() and "onerror" not in response.content.decode()

    def test_the_manage_list_shows_drafts_of_the_region(self, client_for, world, shelf):
        page = (
            client_for(world.user(Role.MENTOR)).get(reverse("knowledge:manage") + "?status=draft").context["page_obj"]
        )
        assert [a.title for a in page] == ["Draf"]


class TestCategories:
    def test_the_admin_adds_and_renames_categories(self, client_for, world):
        client = client_for(world.user(Role.ADMIN))
        client.post(reverse("knowledge:categories"), {"name": "Eviden indikator wajib", "description": "", "order": 1})
        category = Category.objects.get()
        assert (category.slug, category.region) == ("eviden-indikator-wajib", world.region)
        duplicate = client.post(
            reverse("knowledge:categories"), {"name": "Eviden Indikator Wajib", "description": "", "order": 2}
        )
        assert "Sudah ada kategori" in duplicate.content.decode()
        client.post(
            reverse("knowledge:category-edit", args=[category.pk]),
            {"name": "Eviden wajib", "description": "", "order": 1},
        )
        assert Category.objects.get().name == "Eviden wajib"


def test_the_manage_list_does_not_grow_a_query_per_article(client_for, world, django_assert_max_num_queries):
    admin = world.user(Role.ADMIN)
    client = client_for(world.user(Role.MENTOR))
    ArticleFactory.create_batch(2, region=world.region, author=admin, category=CategoryFactory(region=world.region))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("knowledge:manage"))
    for _ in range(6):
        ArticleFactory.create_batch(3, region=world.region, author=admin, category=CategoryFactory(region=world.region))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("knowledge:manage"))


def test_search_engines_may_read_the_public_knowledge_base(client_for):
    assert "Allow: /pengetahuan/" in client_for().get(reverse("core:robots")).content.decode()
