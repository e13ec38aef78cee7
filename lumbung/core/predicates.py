"""Named `rules` predicates shared by the apps' rules.py. Objects passed in carry `region_id`
and, for unit-owned data, `unit` (a Unit)."""

import rules

from .roles import Role


def has_region_role(*roles: Role | str):
    """A predicate: the user holds one of `roles` in the object's region."""
    wanted = frozenset(str(role) for role in roles)

    @rules.predicate(name=f"has_region_role({','.join(sorted(wanted))})")
    def predicate(user, obj) -> bool:
        region_id = getattr(obj, "region_id", None)
        return bool(region_id) and user.is_authenticated and user.has_any_role(wanted, region_id)

    return predicate


@rules.predicate
def operates_object_unit(user, obj) -> bool:
    """The user is an operator of the object's unit or of a unit above it."""
    unit = getattr(obj, "unit", None)
    return user.is_authenticated and user.operates_unit(unit)


@rules.predicate
def is_national_admin(user) -> bool:
    return user.is_authenticated and user.is_national_admin


is_region_admin = has_region_role(Role.ADMIN)
is_region_staff_reviewer = has_region_role(Role.ADMIN, Role.VERIFIER)
