"""The versions under which accounts.backends keeps signed-in users between requests (core.caching
versions: bumped in the transaction of the change, read in one query per request)."""

from lumbung.core.caching import versions_changed


def account_scope(user_id) -> str:
    """The version of a user's account and roles: what accounts.backends keeps of them between
    requests. Apart from their reader version (core.caching.reader_changed), which their
    notifications bump too and which would otherwise make every notification read them again."""
    return f"account:{user_id}"


def organisation_scope(region_id) -> str:
    """The version of a region's own record and its units: what a signed-in user's roles show of
    them (accounts.backends keeps the user and roles under it)."""
    return f"organisation:{region_id}"


def account_changed(*user_ids) -> None:
    """These users' accounts or roles changed: call it in the transaction of a write that sends no
    signal (QuerySet.update(), raw SQL); saves and deletions call it themselves (accounts.apps)."""
    versions_changed(*(account_scope(user_id) for user_id in user_ids))


def organisation_changed(*region_ids) -> None:
    """These regions' records or units changed (saves and deletions call it themselves)."""
    versions_changed(*(organisation_scope(region_id) for region_id in region_ids))
