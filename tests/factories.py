"""Factories for the shared world: regions, units, officials, users and roles."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from lumbung.accounts.models import RoleAssignment, User
from lumbung.core.roles import Role
from lumbung.organisation.models import Assignment, Echelon, Official, Region, Unit


def make_nip(sequence: int, *, birth: dt.date | None = None, appointed: dt.date | None = None, sex: int = 1) -> str:
    """A valid NIP; the sequence number keeps NIPs unique across a test run."""
    birth = birth or dt.date(1970 + sequence % 25, 1 + sequence % 12, 1 + sequence % 28)
    appointed = appointed or dt.date(birth.year + 25, 1 + (sequence // 12) % 12, 1)
    return f"{birth:%Y%m%d}{appointed:%Y%m}{sex}{1 + sequence % 999:03d}"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n + 1:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n + 1}")
    kind = Region.Kind.REGENCY
    is_hosted = True


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n + 1}")
    short_name = factory.Sequence(lambda n: f"DU{n + 1}")
    kind = Unit.Kind.OFFICE


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    region = factory.SubFactory(RegionFactory)
    name = factory.Faker("name", locale="id_ID")
    nip = factory.Sequence(make_nip)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    official = factory.SubFactory(OfficialFactory)
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..official.region"))
    position = "Kepala Bidang"
    echelon = Echelon.III_B
    start_date = dt.date(2020, 1, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"pengguna{n}@contoh.go.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("kata-sandi-uji-123")


def user_with_role(role: str, region=None, unit=None, **fields) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(
        user=user, role=role, region=None if role == Role.NATIONAL_ADMIN else region, unit=unit
    )
    return user
