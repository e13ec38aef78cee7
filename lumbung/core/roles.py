"""The roles a person can hold, and which of them are bound to a unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin inovasi")
    VERIFIER = "verifier", _("Verifikator")
    OPERATOR = "operator", _("Operator perangkat daerah")
    INNOVATOR = "innovator", _("Inovator (ASN)")
    JUDGE = "judge", _("Juri")
    MENTOR = "mentor", _("Mentor klinik")
    LEADER = "leader", _("Pimpinan")
    CITIZEN = "citizen", _("Masyarakat")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    # Held on a province Region: reads the hosted regions whose province is that region (and the province).
    PROVINCE_ADMIN = "province_admin", _("Admin provinsi")


# A unit operator works for one unit (and the units below it); the others act for the region.
UNIT_BOUND_ROLES = frozenset({Role.OPERATOR})
# Roles an innovation admin may grant; national and province admins are made by national admins.
REGION_ROLES = tuple(role for role in Role if role not in (Role.NATIONAL_ADMIN, Role.PROVINCE_ADMIN))
# Staff roles of a region: everyone but citizens.
STAFF_ROLES = frozenset(set(REGION_ROLES) - {Role.CITIZEN})
