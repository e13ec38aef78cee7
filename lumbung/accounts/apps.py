from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_delete

from lumbung.core.caching import reader_changed, versions_changed


def organisation_scope(region_id) -> str:
    """The version of a region's own record and its units: what a signed-in user's roles show of
    them (accounts.backends keeps the user and roles under it)."""
    return f"organisation:{region_id}"


def _roles_changed(sender, instance, raw=False, **kwargs) -> None:
    # The signed-in user is kept between requests under their reader version (accounts.backends):
    # a role granted, changed or withdrawn is read on their next request, in whichever region.
    if not raw:
        reader_changed(instance.user_id)


def _organisation_changed(sender, instance, raw=False, **kwargs) -> None:
    # A unit renamed, moved or closed, a region renamed or deactivated: the roles that show them
    # are read again. Other writes to the region's data leave the kept users alone.
    if not raw:
        region_id = instance.pk if sender._meta.model_name == "region" else instance.region_id
        versions_changed(organisation_scope(region_id))


def _signed_in(sender, request, user, **kwargs) -> None:
    # The requests after signing in find the user kept (accounts.backends), as after a first request.
    from .backends import RolesModelBackend

    RolesModelBackend().keep(user.pk)


class AccountsConfig(AppConfig):
    name = "lumbung.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self):
        from lumbung.organisation.models import Region, Unit

        from .models import RoleAssignment

        post_save.connect(_roles_changed, sender=RoleAssignment, dispatch_uid="lumbung-signed-in-roles")
        pre_delete.connect(_roles_changed, sender=RoleAssignment, dispatch_uid="lumbung-signed-in-roles")
        user_logged_in.connect(_signed_in, dispatch_uid="lumbung-signed-in-kept")
        for model in (Region, Unit):
            uid = f"lumbung-signed-in-{model._meta.model_name}"
            post_save.connect(_organisation_changed, sender=model, dispatch_uid=uid)
            pre_delete.connect(_organisation_changed, sender=model, dispatch_uid=uid)
