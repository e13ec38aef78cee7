"""A small fixed world for permission tests: two regions, each with units, officials and one
user per role. Region A (Lampung Barat) is "ours"; region B and sibling units are "someone
else's". On request a third region (Cilacap, in another province) joins them for the sweep, with region A's
province (Lampung) and a province admin of it."""

from dataclasses import dataclass, field, replace

from lumbung.accounts.models import User
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.organisation.models import Official, Region, Unit

from .factories import AssignmentFactory, OfficialFactory, RegionFactory, UnitFactory, user_with_role


@dataclass
class World:
    region: Region
    other_region: Region
    unit: Unit
    sibling_unit: Unit
    other_unit: Unit
    official: Official
    sibling_official: Official
    other_official: Official
    users: dict[str, User] = field(default_factory=dict)
    other_admin: User | None = None
    national_admin: User | None = None
    # A third region in another province (built only on request: build_world(third_region=True)),
    # for the permission sweep's foreign objects.
    region_c: Region | None = None
    unit_c: Unit | None = None
    official_c: Official | None = None
    admin_c: User | None = None
    # With the third region: Provinsi Lampung (region A's province) and its province admin, who
    # reads region A's aggregate figures and nothing of region B (no province) or C.
    province: Region | None = None
    province_admin: User | None = None

    def seen_from_region_c(self) -> "World":
        """The same world with region C as "someone else's" region (for the apps' sweep cases)."""
        return replace(
            self, other_region=self.region_c, other_unit=self.unit_c, other_official=self.official_c,
            other_admin=self.admin_c,
        )  # fmt: skip

    def user(self, role: str) -> User:
        return self.users[str(role)]


def build_world(*, third_region: bool = False) -> World:
    region = RegionFactory(code="18.04", name="Kabupaten Lampung Barat")
    other_region = RegionFactory(code="18.01", name="Kabupaten Lampung Selatan")
    unit = UnitFactory(region=region, name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")
    sibling_unit = UnitFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")
    other_unit = UnitFactory(region=other_region, name="Dinas Pendidikan Lampung Selatan", short_name="Disdik")
    official = OfficialFactory(region=region)
    AssignmentFactory(official=official, unit=unit)
    sibling_official = OfficialFactory(region=region)
    AssignmentFactory(official=sibling_official, unit=sibling_unit)
    other_official = OfficialFactory(region=other_region)
    AssignmentFactory(official=other_official, unit=other_unit)
    world = World(region, other_region, unit, sibling_unit, other_unit, official, sibling_official, other_official)
    for role in REGION_ROLES:
        unit_for_role = unit if role == Role.OPERATOR else None
        extra = {"official": official} if role == Role.INNOVATOR else {}
        world.users[str(role)] = user_with_role(role, region, unit_for_role, **extra)
    world.other_admin = user_with_role(Role.ADMIN, other_region)
    world.national_admin = user_with_role(Role.NATIONAL_ADMIN)
    if third_region:
        province = RegionFactory(code="33", name="Provinsi Jawa Tengah", kind=Region.Kind.PROVINCE, is_hosted=False)
        world.region_c = RegionFactory(code="33.01", name="Kabupaten Cilacap", province=province)
        world.unit_c = UnitFactory(region=world.region_c, name="Dinas Komunikasi dan Informatika Cilacap")
        world.official_c = OfficialFactory(region=world.region_c)
        AssignmentFactory(official=world.official_c, unit=world.unit_c)
        world.admin_c = user_with_role(Role.ADMIN, world.region_c)
        world.province = RegionFactory(code="18", name="Provinsi Lampung", kind=Region.Kind.PROVINCE, is_hosted=False)
        Region.objects.filter(pk=region.pk).update(province=world.province)
        region.province = world.province
        world.province_admin = user_with_role(Role.PROVINCE_ADMIN, world.province)
    return world
