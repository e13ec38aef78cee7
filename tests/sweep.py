"""Declarations for the URL × role permission sweep (tests/test_url_access.py).

Every URL that takes arguments needs a case. Each app lists its cases in
`lumbung/<app>/tests/sweep.py` as `def cases(world) -> dict[url_name, SweepCase]`, creating
whatever objects the URLs point at.

- `SweepCase.foreign(...)`: the arguments point at someone else's object (another region, or
  for unit-bound data another unit, or a draft nobody in region A may see). Every user of
  region A must get 403 or 404 (visitors: the login page, unless the view is public, where 404).
- `SweepCase.own(...)`: the arguments point at region A's own object. Only the declared role
  check is swept; the view's own tests cover the rest.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SweepCase:
    kwargs: dict
    is_foreign: bool

    @classmethod
    def foreign(cls, **kwargs):
        return cls(kwargs, True)

    @classmethod
    def own(cls, **kwargs):
        return cls(kwargs, False)
