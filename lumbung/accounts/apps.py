from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_delete

from .versions import account_changed, organisation_changed


def _account_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs) -> None:
    # Any change of the account but the time of the last sign-in (a new password, a deactivation,
    # a name) is read afresh on the user's next request.
    if not (raw or created or (update_fields is not None and set(update_fields) == {"last_login"})):
        account_changed(instance.pk)


def _account_deleted(sender, instance, **kwargs) -> None:
    account_changed(instance.pk)


def _roles_changed(sender, instance, raw=False, **kwargs) -> None:
    # A role granted, changed or withdrawn is read on the holder's next request, in whichever region.
    if not raw:
        account_changed(instance.user_id)


def _organisation_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    # A unit renamed, moved or closed, a region renamed or deactivated: the roles that show them
    # are read again. A new unit or region is in nobody's roles yet (a role granted on it bumps its
    # holder), and other writes to the region's data leave the kept users alone.
    if not raw and not created:
        region_id = instance.pk if sender._meta.model_name == "region" else instance.region_id
        organisation_changed(region_id)


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
        post_save.connect(_account_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="lumbung-signed-in-account")
        pre_delete.connect(_account_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="lumbung-signed-in-account")
        for model in (Region, Unit):
            uid = f"lumbung-signed-in-{model._meta.model_name}"
            post_save.connect(_organisation_changed, sender=model, dispatch_uid=uid)
            pre_delete.connect(_organisation_changed, sender=model, dispatch_uid=uid)
