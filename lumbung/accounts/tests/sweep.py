from lumbung.accounts.models import Invitation, RoleAssignment
from lumbung.core.roles import Role
from tests.sweep import SweepCase


def cases(world):
    foreign_role = RoleAssignment.objects.get(user=world.other_admin)
    foreign_invitation = Invitation.objects.create(
        email="calon@lain.test",
        full_name="Calon",
        region=world.other_region,
        roles=["verifier"],
        invited_by=world.other_admin,
    )
    own_invitation = Invitation.objects.create(
        email="calon@lambar.test",
        full_name="Calon",
        region=world.region,
        roles=["verifier"],
        invited_by=world.user("admin"),
    )
    return {
        "accounts:verify-email": SweepCase.own(token="tanda-tidak-sah"),
        "accounts:invitation-accept": SweepCase.own(token=own_invitation.token),
        "accounts:password-reset-confirm": SweepCase.own(uidb64="MQ", token="set-password"),
        "accounts:user-detail": SweepCase.foreign(pk=world.other_admin.pk),
        "accounts:user-link-official": SweepCase.foreign(pk=world.other_admin.pk),
        "accounts:user-history": SweepCase.foreign(pk=world.other_admin.pk),
        "accounts:role-revoke": SweepCase.foreign(pk=foreign_role.pk),
        "accounts:invitation-revoke": SweepCase.foreign(pk=foreign_invitation.pk),
        # Only national admins deactivate or reactivate a region; everyone else is refused by role.
        "accounts:region-deactivate": SweepCase.own(pk=world.region.pk),
        "accounts:region-reactivate": SweepCase.own(pk=world.region.pk),
        # Only national admins revoke the province admin role (the province admin included).
        "accounts:province-admin-revoke": SweepCase.own(
            pk=RoleAssignment.objects.filter(role=Role.PROVINCE_ADMIN).values_list("pk", flat=True).first() or 0
        ),
    }
