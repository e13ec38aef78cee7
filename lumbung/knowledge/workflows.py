"""The article workflow: written as a draft, published, archived when outdated."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Article, ArticleEvent

S = Article.Status

ARTICLE = StateMachine(
    state_field="status",
    event_model=ArticleEvent,
    event_object_field="article",
    transitions=[
        Transition("publish", {S.DRAFT}, S.PUBLISHED, _("Terbitkan"), "knowledge.change_article"),
        Transition(
            "unpublish", {S.PUBLISHED}, S.DRAFT, _("Tarik ke draf"), "knowledge.change_article", style="secondary"
        ),
        Transition(
            "archive",
            {S.DRAFT, S.PUBLISHED},
            S.ARCHIVED,
            _("Arsipkan"),
            "knowledge.change_article",
            style="secondary",
            confirm=_("Arsipkan artikel ini? Pembaca tidak dapat melihatnya lagi."),
        ),
        Transition(
            "restore", {S.ARCHIVED}, S.DRAFT, _("Pulihkan ke draf"), "knowledge.change_article", style="secondary"
        ),
    ],
)

EXTRA_ACTION_LABELS = {"create": _("Menulis artikel")}
