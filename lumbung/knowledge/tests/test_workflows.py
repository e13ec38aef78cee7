"""The article workflow as a table: every state × every action × every role."""

import pytest
from django.core.exceptions import PermissionDenied

from lumbung.core.roles import Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.knowledge.models import Article, ArticleEvent
from lumbung.knowledge.workflows import ARTICLE

from .factories import ArticleFactory

S = Article.Status
SOURCES = {"publish": {S.DRAFT}, "unpublish": {S.PUBLISHED}, "archive": {S.DRAFT, S.PUBLISHED}, "restore": {S.ARCHIVED}}
TARGETS = {"publish": S.PUBLISHED, "unpublish": S.DRAFT, "archive": S.ARCHIVED, "restore": S.DRAFT}
EDITORS = {"admin", "mentor", "national_admin"}
ACTORS = (
    "admin",
    "mentor",
    "verifier",
    "operator",
    "innovator",
    "judge",
    "leader",
    "citizen",
    "other_admin",
    "national_admin",
)


def people(world):
    found = {role: world.user(role) for role in ACTORS if role not in {"other_admin", "national_admin"}}
    return {**found, "other_admin": world.other_admin, "national_admin": world.national_admin}


def test_the_table_covers_every_transition():
    assert set(SOURCES) == set(TARGETS) == {t.action for t in ARTICLE.transitions}


@pytest.mark.parametrize("state", S.values)
def test_who_may_move_an_article_in_each_state(state, world):
    cast = people(world)
    for action in SOURCES:
        for actor in ACTORS:
            article = ArticleFactory(region=world.region, author=world.user(Role.ADMIN), status=state)
            allowed = state in SOURCES[action] and actor in EDITORS
            assert ARTICLE.may(cast[actor], article, action) is allowed, (state, action, actor)
            if allowed:
                event = ARTICLE.apply(article, action, actor=cast[actor])
                assert Article.objects.get(pk=article.pk).status == TARGETS[action]
                assert (event.from_state, event.to_state, event.actor) == (state, TARGETS[action], cast[actor])
            else:
                with pytest.raises((TransitionNotAllowed, PermissionDenied)):
                    ARTICLE.apply(article, action, actor=cast[actor])
                assert Article.objects.get(pk=article.pk).status == state
                assert not ArticleEvent.objects.filter(article=article).exists()
