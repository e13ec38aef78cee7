"""Deny-by-default access declarations for views, and helpers that fetch objects for a user.

Every view must say who may reach it, with one of the decorators below; `AccessMiddleware`
refuses any view that did not (see docs/decisions/0004-permissions.md). Object-level rules are
`rules` permissions (each app's rules.py); fetch objects through `get_for_user` so that
"does not exist" and "not yours" look the same (404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import Http404

from .roles import Role


@dataclass(frozen=True)
class AccessRule:
    """What a view requires before it runs."""

    public: bool = False
    # Empty means "any signed-in user"; otherwise one of these roles in the active region.
    roles: frozenset[str] = frozenset()

    def allows(self, user, region) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        if not self.roles:
            return True
        return user.has_any_role(self.roles, region)


def _declare(rule: AccessRule) -> Callable:
    def decorator(view):
        view.access_rule = rule
        return view

    return decorator


class access:  # noqa: N801 - used as a namespace of decorators: @access.roles(...)
    """Decorators that declare a view's access rule."""

    @staticmethod
    def public(view):
        """Anyone, signed in or not (public showcase, login, open data)."""
        return _declare(AccessRule(public=True))(view)

    @staticmethod
    def authenticated(view):
        """Any signed-in user; the view itself limits what it shows to the user's own data."""
        return _declare(AccessRule())(view)

    @staticmethod
    def roles(*roles: Role | str) -> Callable:
        """A signed-in user holding one of `roles` in the active region."""
        if not roles:
            raise ValueError("access.roles() needs at least one role")
        return _declare(AccessRule(roles=frozenset(str(role) for role in roles)))


def rule_of(view_func) -> AccessRule | None:
    """The declared rule of a view function or class-based view, if any."""
    rule = getattr(view_func, "access_rule", None)
    if rule is None and hasattr(view_func, "view_class"):
        rule = getattr(view_func.view_class, "access_rule", None)
    return rule


def get_for_user(user, queryset: QuerySet, perm: str, **lookup) -> Model:
    """Return the object matching `lookup` if `user` has `perm` on it, else raise Http404."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not user.has_perm(perm, obj):
        raise Http404
    return obj


def require_perm(user, perm: str, obj) -> None:
    """Raise Http404 unless `user` has `perm` on `obj` (same answer as a missing object)."""
    if not user.has_perm(perm, obj):
        raise Http404


def roles_label(roles: Iterable[str]) -> str:
    return ", ".join(str(Role(role).label) for role in sorted(roles))
