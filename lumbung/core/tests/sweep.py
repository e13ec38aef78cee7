from django.core.files.base import ContentFile

from lumbung.core.imports import registered_kinds
from lumbung.core.models import ImportBatch, Job
from tests.sweep import SweepCase


def cases(world):
    other_job = Job.objects.create(
        kind="test", label="Tugas pemda lain", owner=world.other_admin, region=world.other_region
    )
    other_job.result_file.save("hasil.txt", ContentFile(b"rahasia"), save=True)
    batch = ImportBatch(
        region=world.other_region, kind="units", created_by=world.other_admin, original_name="x.xlsx", sha256="0"
    )
    batch.source.save("x.xlsx", ContentFile(b"x"), save=True)
    kind = registered_kinds()[0] if registered_kinds() else "units"
    return {
        "core:job-detail": SweepCase.foreign(job_id=other_job.pk),
        "core:job-download": SweepCase.foreign(job_id=other_job.pk),
        "core:import-upload": SweepCase.own(kind=kind),
        "core:import-template": SweepCase.own(kind=kind),
        "core:import-detail": SweepCase.foreign(batch_id=batch.pk),
        "core:import-confirm": SweepCase.foreign(batch_id=batch.pk),
        "core:import-cancel": SweepCase.foreign(batch_id=batch.pk),
        "core:import-resume": SweepCase.foreign(batch_id=batch.pk),
    }
