"""The season so far for the province and national views: today's snapshot of every hosted region
from its real figures, and a plausible history behind it (weekly, the figures climbing towards
today's, the verified IID trailing the claim), so the ranking has movement and the chart lines."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.frameworks.specs import spec_for

from . import services
from .models import RegionIndexSnapshot

WEEKS = 12
CENT = Decimal("0.01")


def _scaled(value: Decimal | None, factor: float) -> Decimal | None:
    return None if value is None else (value * Decimal(str(factor))).quantize(CENT)


def history_backfill(*, regions=None, today: dt.date | None = None, weeks: int = WEEKS, seed: int = 2026) -> int:
    """Take today's snapshot of every hosted region (or of `regions`), then add one a week for
    `weeks` weeks before it (days that already have one are left as they are). Returns the rows added."""
    today = today or timezone.localdate()
    services.snapshots_take(today=today, regions=regions)
    rng = random.Random(seed)
    rows = []
    finals = RegionIndexSnapshot.objects.filter(taken_on=today).select_related("assessment__framework")
    if regions is not None:
        finals = finals.filter(region__in=regions)
    for final in finals.defer("assessment__figures").order_by("region__code"):
        spec = spec_for(final.assessment.framework)
        # Each region its own pace: some started early, some are catching up in the last weeks.
        start, pace = rng.uniform(0.35, 0.7), rng.uniform(0.8, 1.4)
        for week in range(weeks, 0, -1):
            progress = ((weeks - week) / weeks) ** pace
            claimed = start + (1 - start) * progress
            verified = claimed * (0.55 + 0.45 * progress)
            expected = _scaled(final.expected_iid, claimed * rng.uniform(0.97, 1.0))
            rows.append(
                RegionIndexSnapshot(
                    region_id=final.region_id,
                    assessment_id=final.assessment_id,
                    year=final.year,
                    taken_on=today - dt.timedelta(weeks=week),
                    claimed_iid=_scaled(final.claimed_iid, claimed),
                    expected_iid=expected,
                    verified_iid=_scaled(final.verified_iid, verified),
                    predicate=spec.predicate_for(expected) if expected is not None else "",
                    sosis_compliance=_scaled(final.sosis_compliance, claimed),
                    pm_indah_compliance=_scaled(final.pm_indah_compliance, claimed),
                    evidence_completeness=_scaled(final.evidence_completeness, 0.6 + 0.4 * progress),
                    rejected_rows=round(final.rejected_rows * rng.uniform(0.5, 1.5)),
                )
            )
    before = RegionIndexSnapshot.objects.count()
    RegionIndexSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return RegionIndexSnapshot.objects.count() - before


def load(demo: Demo) -> None:
    history_backfill(regions=[demo.region])


def load_region(demo: Demo) -> None:
    """Each other Lampung region of the demo (organisation.demo_regions), after its assessment."""
    history_backfill(regions=[demo.region], seed=2026 + demo.region.pk)
