"""This year's IGA assessment of the other Lampung regions (organisation.demo_regions): SPD rows and
the rows of every implemented innovation answered, many accepted, some rejected or still waiting,
in a few bulk writes; a stronger region claims higher levels and has more rows accepted. The
figures (claimed and verified IID) are computed once at the end, as after any change."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lumbung.core.caching import region_writes
from lumbung.core.demo import Demo
from lumbung.frameworks.models import Framework
from lumbung.innovations.models import Innovation
from lumbung.organisation.demo_regions import demo_region

from . import scoring, services
from .models import Answer, Entry, RegionAnswer, RejectReason, RowStatus

REJECTION = (RejectReason.INCOMPLETE, "Lampiran belum lengkap; unggah halaman pengesahan.")


def load_region(demo: Demo) -> None:
    today = timezone.localdate()
    # The latest methodology in force this year, as for Lampung Barat (assessment.demo.demo_year).
    framework = Framework.objects.filter(year__lte=today.year, status=Framework.Status.ACTIVE).order_by("-year").first()
    if framework is None:
        return
    item = demo_region(demo.region)
    rng, admin = demo.random, demo.users["admin"]
    assessment = services.assessment_create(
        region=demo.region, year=framework.year, framework=framework, actor=admin,
        collection_starts=today - dt.timedelta(days=70), collection_ends=today + dt.timedelta(days=21),
        validation_starts=today + dt.timedelta(days=22), validation_ends=today + dt.timedelta(days=55),
    )  # fmt: skip
    now = timezone.now()

    def answer(row, *, can_accept: bool = True):
        """Fill `row` the way a region of this strength would: level, state and verdict."""
        draw = rng.random()
        if draw > item.strength + 0.15:
            return  # still missing
        row.level = 3 if rng.random() < item.strength else rng.choice([1, 2])
        row.updated_by = admin
        verdict = rng.random()
        if can_accept and verdict < item.strength * 0.85:
            row.status, row.accepted_level = RowStatus.ACCEPTED, row.level
            row.verified_by, row.verified_at = admin, now
        elif verdict < item.strength * 0.85 + 0.1:
            row.status, (row.verdict_reason, row.verdict_note) = RowStatus.REJECTED, REJECTION
            row.verified_by, row.verified_at = admin, now
        else:
            row.status = RowStatus.CLAIMED

    fields = ["level", "status", "accepted_level", "verdict_reason", "verdict_note", "verified_by", "verified_at"]
    with region_writes(demo.region.pk):
        spd = list(RegionAnswer.objects.filter(assessment=assessment).select_related("indicator"))
        for row in spd:
            answer(row)
        RegionAnswer.objects.bulk_update(spd, [*fields, "updated_by"])
        implemented = [
            innovation
            for innovation in demo.shared.get("innovations", [])
            if innovation.stage == Innovation.Stage.IMPLEMENTATION
        ]
        entries = Entry.objects.bulk_create(
            [
                Entry(assessment=assessment, innovation=innovation, is_eligible=True, checked_at=now, entered_by=admin)
                for innovation in implemented
            ]
        )
        indicators = list(assessment.framework.indicators.filter(aspect="innovation").order_by("order"))
        rows = []
        for entry in entries:
            for indicator in indicators:
                row = Answer(entry=entry, scoring_assessment=assessment, indicator=indicator)
                answer(row)
                rows.append(row)
        Answer.objects.bulk_create(rows, batch_size=1000)
    scoring.assessment_recompute(assessment=assessment)
    demo.shared["assessment"] = assessment
