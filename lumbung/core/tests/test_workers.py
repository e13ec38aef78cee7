"""Heartbeats, the reaper of jobs abandoned by a dead worker, and the retention of old jobs."""

import datetime as dt
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lumbung.core.jobs import running_job, start_job
from lumbung.core.models import Job, WorkerBeat
from lumbung.core.workers import jobs_reap, workers_status

from .worker_tasks import record_run


def _running(owner=None, beat_seconds_ago=600, **fields):
    beat = timezone.now() - dt.timedelta(seconds=beat_seconds_ago)
    return Job.objects.create(
        kind="portal_pack", label="Paket", owner=owner, status=Job.Status.RUNNING, started_at=beat,
        heartbeat_at=beat, attempts=1, progress=3, total=20, **fields,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_job_whose_heartbeat_stopped_is_failed_with_a_message_the_user_sees(client, world, settings):
    settings.LUMBUNG_JOB_STALE_SECONDS = 120
    admin = world.user("admin")
    dead = _running(owner=admin)
    alive = _running(owner=admin, beat_seconds_ago=10)
    outcomes = jobs_reap()
    assert [(job.pk, outcome) for job, outcome in outcomes] == [(dead.pk, "failed")]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.Status.FAILED and dead.finished_at and alive.status == Job.Status.RUNNING
    assert "berhenti mendadak" in dead.error and "langkah 3 dari 20" in dead.error
    client.force_login(admin)
    page = client.get(reverse("core:job-detail", args=[dead.pk])).content.decode()
    assert "Pekerja tugas latar berhenti mendadak" in page and "Gagal" in page
    assert jobs_reap() == []  # nothing left to reap; a second reaper does nothing


@pytest.mark.django_db
def test_a_repeatable_job_is_queued_again_once_then_failed(world, settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = start_job(
        task=record_run, kind="uji", label="Uji", owner=world.user("admin"), retries=1, marker_dir=str(tmp_path)
    )
    first = DBTaskResult.objects.get()
    first.claim("pekerja-mati")
    past = timezone.now() - dt.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, started_at=past, heartbeat_at=past)

    assert [outcome for _job, outcome in jobs_reap()] == ["retried"]
    job.refresh_from_db()
    first.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "percobaan 2 dari 2" in job.message
    assert first.status == "FAILED" and "WorkerDied" in first.exception_class_path
    again = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert again.status == "READY" and again.args_kwargs["kwargs"]["job_id"] == str(job.pk)

    again.claim("pekerja-mati-lagi")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=2, started_at=past, heartbeat_at=past)
    assert [outcome for _job, outcome in jobs_reap()] == ["failed"]
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_it_works(world, settings):
    settings.LUMBUNG_JOB_STALE_SECONDS = 2  # a beat every half second
    job = Job.objects.create(kind="uji", label="Uji", owner=world.user("admin"))
    with running_job(str(job.pk)):
        first = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(1.6)
        later = Job.objects.get(pk=job.pk).heartbeat_at
        assert later > first
        assert jobs_reap() == []
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db
def test_retention_removes_old_finished_jobs_and_their_files(world):
    admin = world.user("admin")
    long_ago = timezone.now() - dt.timedelta(days=40)
    old = Job.objects.create(kind="uji", label="Lama", owner=admin, status=Job.Status.SUCCEEDED, finished_at=long_ago)
    old.result_file.save("paket.zip", ContentFile(b"zip"), save=True)
    storage, name = old.result_file.storage, old.result_file.name
    recent = Job.objects.create(
        kind="uji", label="Baru", owner=admin, status=Job.Status.FAILED, finished_at=timezone.now()
    )
    running = _running(owner=admin, beat_seconds_ago=1)
    assert storage.exists(name)
    call_command("prune_jobs", days=30)
    assert not storage.exists(name)
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}


@pytest.mark.django_db
def test_worker_status_for_health(world, settings):
    settings.LUMBUNG_JOB_STALE_SECONDS = 60
    assert workers_status()["alive"] == 0
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="a", hostname="web1", pid=1, started_at=now, seen_at=now)
    WorkerBeat.objects.create(
        worker_id="b", hostname="web1", pid=2, started_at=now, seen_at=now - dt.timedelta(hours=1)
    )
    status = workers_status()
    assert status["alive"] == 1 and status["ok"]


@pytest.mark.django_db(transaction=True)  # the worker closes its connections and opens new ones
def test_the_worker_waits_for_the_database_and_goes_on(monkeypatch, settings):
    from django.db import OperationalError

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    from lumbung.core.management.commands import worker

    calls = []

    def handle(self, *args, **options):
        calls.append(WorkerBeat.objects.filter(worker_id="pekerja-uji").exists())
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        assert len(calls) == 2, "the worker kept failing after the database came back"

    pauses = []
    monkeypatch.setattr(worker.db_worker.Command, "handle", handle)
    monkeypatch.setattr(worker.time, "sleep", pauses.append)
    call_command("worker", "--no-reload", "--worker-id", "pekerja-uji")
    assert calls == [True, True] and pauses == [1.0]  # beat recorded while running, one pause, then on
    assert not WorkerBeat.objects.filter(worker_id="pekerja-uji").exists()  # removed at a clean exit
