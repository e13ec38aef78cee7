"""The Lampung Barat demo: each app adds its part in its own demo.py (`def load(demo)`),
called in INSTALLED_APPS order by `manage.py load_demo`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DEMO_REGION_CODE = "18.04"
DEMO_PASSWORD = "lumbung-lambar-2026"  # noqa: S105 - printed for the public demo on purpose


@dataclass
class Demo:
    region: object
    password: str = DEMO_PASSWORD
    # Named users the apps share: "admin", "verifier", "operator", ... (see accounts/demo.py).
    users: dict = field(default_factory=dict)
    # Anything an app wants to hand to a later app (units by short name, innovations, ...).
    shared: dict = field(default_factory=dict)
    random: random.Random = field(default_factory=lambda: random.Random(2021))

    def user(self, key: str):
        return self.users[key]
