"""Who may read and write the knowledge base. Innovation admins and clinic mentors write
articles; admins alone generate decrees and manage categories."""

import rules

from lumbung.core.predicates import has_region_role, is_region_admin
from lumbung.core.roles import STAFF_ROLES, Role

EDITOR_ROLES = frozenset({Role.ADMIN, Role.MENTOR})


@rules.predicate
def is_published(user, article) -> bool:
    return article.status == article.Status.PUBLISHED


@rules.predicate
def is_public(user, article) -> bool:
    return article.is_public


is_region_staff = has_region_role(*STAFF_ROLES)
edits_knowledge = has_region_role(*EDITOR_ROLES)

rules.add_perm("knowledge.view_article", (is_published & (is_public | is_region_staff)) | edits_knowledge)
rules.add_perm("knowledge.change_article", edits_knowledge)
rules.add_perm("knowledge.change_category", is_region_admin)
rules.add_perm("knowledge.change_decree", is_region_admin)
