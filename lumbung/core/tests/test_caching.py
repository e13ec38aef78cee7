"""The data version behind every cached figure: what bumps it, and that a second cache client
(another web process) sees the bump."""

import socket
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

from lumbung.core.caching import cached, data_version, region_data_changed, region_writes, versions_after_restore
from lumbung.core.jobs import running_job
from lumbung.core.models import Job
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.innovations.workflows import REVIEW

pytestmark = pytest.mark.django_db


def test_a_save_bumps_its_region_only(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit)
    mine, other = data_version(world.region.pk), data_version(world.other_region.pk)
    innovation.name = "Nama baru"
    innovation.save()
    assert data_version(world.region.pk) != mine
    assert data_version(world.other_region.pk) == other


def test_a_workflow_transition_bumps_its_region(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit, status=Innovation.Status.SUBSTANCE_VERIFIED)
    before = data_version(world.region.pk)
    REVIEW.apply(innovation, "publish", actor=world.user("admin"), system=True)
    assert data_version(world.region.pk) != before


def test_a_bump_rolls_back_with_its_change(world, reference_data):
    before = data_version(world.region.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        InnovationFactory(region=world.region, unit=world.unit)
        raise RuntimeError
    assert data_version(world.region.pk) == before


def test_bulk_writes_bump_once_at_the_end(world, reference_data):
    innovations = [InnovationFactory(region=world.region, unit=world.unit) for _ in range(3)]
    before = data_version(world.region.pk)
    with region_writes(world.region.pk):
        Innovation.objects.filter(pk__in=[i.pk for i in innovations]).update(name="Diimpor")
        for innovation in innovations:
            innovation.save(update_fields=["updated_at"])
        assert data_version(world.region.pk) == before  # deferred
    after = data_version(world.region.pk)
    assert after != before
    assert int(after.split(".")[1]) == int(before.split(".")[1]) + 1


def test_a_worker_job_bumps_its_region_when_it_ends(world, reference_data):
    innovation = InnovationFactory(region=world.region, unit=world.unit)
    job = Job.objects.create(kind="test", label="uji", owner=world.user("admin"), region=world.region)
    before = data_version(world.region.pk)
    with running_job(str(job.pk)):
        Innovation.objects.filter(pk=innovation.pk).update(name="Dari pekerja")  # no signal
    assert data_version(world.region.pk) != before


def test_national_reference_data_bumps_every_region(world, reference_data):
    from lumbung.innovations.models import GovernmentAffair

    before = data_version(world.other_region.pk)
    affair = GovernmentAffair.objects.first()
    affair.save()
    assert data_version(world.other_region.pk) != before


def test_cached_values_follow_the_version(world, reference_data):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert cached("uji", region_id=world.region.pk, build=build) == 1
    assert cached("uji", region_id=world.region.pk, build=build) == 1
    region_data_changed(world.region.pk)
    assert cached("uji", region_id=world.region.pk, build=build) == 2


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not running at 127.0.0.1:6379 (CI starts it)")
def test_two_redis_clients_see_the_same_bump(world, reference_data, settings):
    """Two web processes: each has its own cache client on one Redis; a change made through one is
    never read stale through the other."""
    prefix = f"uji-{uuid.uuid4().hex}"
    first, second = (RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix}) for _ in range(2))
    from lumbung.core import caching

    def read(client, value):
        original = caching.cache
        caching.cache = client
        try:
            return cached("uji-redis", region_id=world.region.pk, build=lambda: value)
        finally:
            caching.cache = original

    try:
        assert read(first, "lama") == "lama"
        assert read(second, "tidak dibaca") == "lama"  # the other process reads the shared entry
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        innovation.save()
        assert read(second, "baru") == "baru"
        assert read(first, "tidak dibaca") == "baru"
    finally:
        # Never clear(): that empties the whole Redis database; these keys expire on their own.
        first.close()
        second.close()


def test_a_renamed_person_bumps_every_region_but_a_login_does_not(world, reference_data):
    user = world.user("innovator")
    before = data_version(world.region.pk)
    user.save(update_fields=["last_login"])
    assert data_version(world.region.pk) == before
    user.full_name = "Nama Baru Sekali"
    user.save()
    assert data_version(world.region.pk) != before


def test_a_new_password_changes_no_page(world, reference_data):
    user = world.user("innovator")
    region_before, reader_before = data_version(world.region.pk), data_version(None, user.pk)
    user.set_password("sandi-baru-yang-panjang")
    user.save(update_fields=["password"])
    assert (data_version(world.region.pk), data_version(None, user.pk)) == (region_before, reader_before)


def test_after_a_restore_nothing_cached_before_is_reachable(world, reference_data):
    """A restored database brings back old version numbers, under which the caches may hold later
    data: the national version, in every key, jumps past them all."""
    for _ in range(3):
        region_data_changed(world.region.pk)
        region_data_changed()
    before = {data_version(world.region.pk), data_version(world.other_region.pk), data_version(None, 7)}
    versions_after_restore()
    after = {data_version(world.region.pk), data_version(world.other_region.pk), data_version(None, 7)}
    assert not before & after
    national = [int(version.split(".")[0]) for version in after]
    assert min(national) > 10**15  # microseconds since 1970: past any count of changes
    versions_after_restore()  # a second restore moves it on again
    assert int(data_version(world.region.pk).split(".")[0]) > national[0]


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not running at 127.0.0.1:6379 (CI starts it)")
def test_the_redis_backend_reuses_one_client_and_behaves_as_djangos():
    from lumbung.core.rediscache import RedisCache as ReusingRedisCache

    prefix = f"uji-{uuid.uuid4().hex}"
    ours = ReusingRedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    django = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    try:
        assert ours._cache.get_client() is ours._cache.get_client(write=True)
        ours.set("halaman", {"isi": b"\x1f\x8b"}, 30)
        assert django.get("halaman") == {"isi": b"\x1f\x8b"}
        django.set("hitung", 1, 30)
        assert ours.incr("hitung") == 2 and ours.get_many(["hitung", "halaman", "tidak-ada"]) == {
            "hitung": 2,
            "halaman": {"isi": b"\x1f\x8b"},
        }
        assert ours.add("hitung", 5) is False
        ours.delete("hitung")
        assert django.get("hitung") is None
    finally:
        ours.delete("halaman")
        ours.close()
        django.close()
