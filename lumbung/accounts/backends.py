"""Signing in and finding the signed-in user on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import RoleAssignment


class RolesModelBackend(ModelBackend):
    """Django's model backend that finds the user of a session together with their roles.

    Every signed-in page needs both (the access rules, the menu, the region), which took two
    queries on every request; here one query reads the user's active roles with the user joined,
    and only a user without a role is read on their own.
    """

    def get_user(self, user_id):
        assignments = list(
            RoleAssignment.objects.filter(user_id=user_id, is_active=True, region__deactivated_at__isnull=True)
            .select_related("user", "unit", "region")
        )  # fmt: skip
        if assignments:
            user = assignments[0].user
            for assignment in assignments:
                assignment.user = user
        else:
            try:
                user = get_user_model()._default_manager.get(pk=user_id)
            except get_user_model().DoesNotExist:
                return None
        # What User.active_roles would read (the same filter): it is not read again.
        user.__dict__["active_roles"] = assignments
        return user if self.user_can_authenticate(user) else None
