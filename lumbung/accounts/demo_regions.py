"""Demo accounts of the other Lampung regions (organisation.demo_regions): an admin and a leader
each, and the province admin of Provinsi Lampung. One password hash serves them all (hashing is
the slow part of creating a user)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.core.roles import Role
from lumbung.organisation.demo_regions import DEMO_REGIONS, PROVINCE_CODE, demo_region

from .models import RoleAssignment, User

PROVINCE_ADMIN_EMAIL = "provinsi@lampungprov.test"
LOGINS = [
    (Role.PROVINCE_ADMIN, PROVINCE_ADMIN_EMAIL, "semua pemda se-Provinsi Lampung, peringkat"),
    *[(Role.ADMIN, f"admin@{item.slug}.test", item.name) for item in DEMO_REGIONS],
]
_HASHES: dict[str, str] = {}


def load_region(demo: Demo) -> None:
    item = demo_region(demo.region)
    password = _HASHES.setdefault(demo.password, make_password(demo.password))
    now = timezone.now()
    people = [
        ("admin", f"admin@{item.slug}.test", f"Admin Inovasi {demo.region.name}", Role.ADMIN, demo.region),
        ("leader", f"pimpinan@{item.slug}.test", f"Pimpinan {demo.region.name}", Role.LEADER, demo.region),
    ]
    if item.code == PROVINCE_CODE:
        people.append(
            ("province_admin", PROVINCE_ADMIN_EMAIL, "Admin Provinsi Lampung", Role.PROVINCE_ADMIN, demo.region)
        )
    users = User.objects.bulk_create(
        [
            User(email=email, full_name=name, password=password, email_verified_at=now)
            for _k, email, name, _r, _g in people
        ]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=user, role=role, region=region)
            for user, (_k, _e, _n, role, region) in zip(users, people, strict=True)
        ]
    )
    for user, (key, *_rest) in zip(users, people, strict=True):
        demo.users[key] = user
