"""Menu entries and home-page panels, declared by each app in its own nav.py.

register_menu(MenuItem(_("Inovasi"), "innovations:list", roles={Role.ADMIN, ...}, order=20))
register_panel(HomePanel("innovations/panels/mine.html", roles={Role.INNOVATOR}, context=my_context))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    # Empty: any signed-in user. Otherwise one of these roles in the active region.
    roles: frozenset[str] = frozenset()
    order: int = 100
    public: bool = False

    def __init__(self, label, url_name, *, roles=(), order=100, public=False):
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "url_name", url_name)
        object.__setattr__(self, "roles", frozenset(str(r) for r in roles))
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "public", public)

    def visible_to(self, user, region) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_any_role(self.roles, region)

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class HomePanel:
    """A block on the signed-in home page for users with one of `roles`."""

    template: str
    roles: frozenset[str]
    # context(request) -> dict; keep it to a few queries, it runs on every home page view.
    context: Callable = field(default=lambda request: {})
    order: int = 100


MENU: list[MenuItem] = []
PANELS: list[HomePanel] = []
# What the public front door (core.views.landing) shows, handed in by the apps (organisation names the
# hosted regions): core stays below them and imports none.
LANDING: list[Callable] = []


def register_menu(*items: MenuItem) -> None:
    MENU.extend(items)
    MENU.sort(key=lambda item: item.order)


def register_panel(*panels: HomePanel) -> None:
    PANELS.extend(panels)
    PANELS.sort(key=lambda panel: panel.order)


def register_landing(*contexts: Callable) -> None:
    """`context(request) -> dict` for the public landing page."""
    LANDING.extend(contexts)


def landing_context(request) -> dict:
    context: dict = {}
    for build in LANDING:
        context.update(build(request))
    return context


def menu_for(user, region) -> list[MenuItem]:
    return [item for item in MENU if item.visible_to(user, region) and item.url]


def panels_for(request) -> list[tuple[HomePanel, dict]]:
    user, region = request.user, getattr(request, "region", None)
    return [
        (panel, panel.context(request)) for panel in PANELS if user.has_any_role({str(r) for r in panel.roles}, region)
    ]
