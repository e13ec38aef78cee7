from django.core.files.base import ContentFile

from lumbung.knowledge.models import Article
from lumbung.knowledge.tests.factories import ArticleFactory, CategoryFactory, DecreeFactory
from tests.sweep import SweepCase


def cases(world):
    # A draft of region B: not public, and nobody of region A edits it.
    draft = ArticleFactory(region=world.other_region, author=world.other_admin, status=Article.Status.DRAFT)
    draft.file.save("templat.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    return {
        "knowledge:article": SweepCase.foreign(pk=draft.pk, slug=draft.slug),
        "knowledge:article-file": SweepCase.foreign(pk=draft.pk),
        "knowledge:article-edit": SweepCase.foreign(pk=draft.pk),
        "knowledge:article-action": SweepCase.foreign(pk=draft.pk),
        "knowledge:category-edit": SweepCase.foreign(pk=CategoryFactory(region=world.other_region).pk),
        "knowledge:decree": SweepCase.foreign(
            pk=DecreeFactory(region=world.other_region, created_by=world.other_admin).pk
        ),
        "knowledge:decree-pdf": SweepCase.foreign(
            pk=DecreeFactory(region=world.other_region, created_by=world.other_admin).pk
        ),
        "knowledge:decree-signed": SweepCase.foreign(
            pk=DecreeFactory(region=world.other_region, created_by=world.other_admin).pk
        ),
    }
