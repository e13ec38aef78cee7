from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete

from lumbung.core.caching import reader_changed


def _roles_changed(sender, instance, raw=False, **kwargs) -> None:
    # The signed-in user is kept between requests under their reader version (accounts.backends):
    # a role granted, changed or withdrawn is read on their next request, in whichever region.
    if not raw:
        reader_changed(instance.user_id)


class AccountsConfig(AppConfig):
    name = "lumbung.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self):
        from .models import RoleAssignment

        post_save.connect(_roles_changed, sender=RoleAssignment, dispatch_uid="lumbung-signed-in-roles")
        pre_delete.connect(_roles_changed, sender=RoleAssignment, dispatch_uid="lumbung-signed-in-roles")
