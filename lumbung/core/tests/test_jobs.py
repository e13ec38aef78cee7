import pytest
from django.urls import reverse

from lumbung.core.jobs import JobHandle, running_job, start_job
from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.core.tasks import task


@task()
def count_to(job_id: str, upto: int) -> None:
    with running_job(job_id) as job:
        for number in range(1, upto + 1):
            job.step(number, upto, f"Angka {number}")
        job.attach("hitungan.txt", b"1..%d" % upto)
        job.set_result(counted=upto)


@task()
def break_down(job_id: str) -> None:
    with running_job(job_id):
        raise RuntimeError("disk penuh")


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def test_a_job_runs_reports_progress_and_keeps_its_result(admin, world):
    job = start_job(task=count_to, kind="test", label="Menghitung", owner=admin, region=world.region, upto=3)
    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.percent) == (Job.Status.SUCCEEDED, 3, 3, 100)
    assert job.result == {"counted": 3}
    assert job.result_file.read() == b"1..3"
    assert job.started_at <= job.finished_at


def test_a_failing_job_is_marked_failed_with_the_reason(admin, world):
    job = start_job(task=break_down, kind="test", label="Gagal", owner=admin, region=world.region)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "disk penuh" in job.error


def test_progress_writes_are_throttled_but_the_last_step_always_lands(admin):
    job = Job.objects.create(kind="test", label="Banyak langkah", owner=admin)
    handle = JobHandle(job)
    handle.step(1, 1000)
    handle.step(2, 1000)  # within the interval: kept in memory only
    assert Job.objects.get(pk=job.pk).progress == 1
    handle.step(1000, 1000)
    assert Job.objects.get(pk=job.pk).progress == 1000


def _job(owner, region, with_file=True):
    job = start_job(task=count_to, kind="test", label="Milik", owner=owner, region=region, upto=1)
    if not with_file:
        Job.objects.filter(pk=job.pk).update(result_file="")
    return job


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("admin", 200), ("verifier", 404), ("other_admin", 404)])
def test_a_job_page_is_for_its_owner_and_the_region_admin(client, world, who, status):
    job = _job(world.user(Role.OPERATOR), world.region)
    people = {
        "owner": world.user(Role.OPERATOR),
        "admin": world.user(Role.ADMIN),
        "verifier": world.user(Role.VERIFIER),
        "other_admin": world.other_admin,
    }
    client.force_login(people[who])
    assert client.get(reverse("core:job-detail", args=[job.pk])).status_code == status
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == status


def test_htmx_polls_get_only_the_status_block(client, admin, world):
    job = _job(admin, world.region)
    client.force_login(admin)
    response = client.get(reverse("core:job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert [t.name for t in response.templates][0] == "core/_job_status.html"


def test_a_job_without_a_file_has_nothing_to_download(client, admin, world):
    job = _job(admin, world.region, with_file=False)
    client.force_login(admin)
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404
