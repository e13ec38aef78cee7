"""A big region built cheaply: innovations, entries, answers and evidence links in a handful of
bulk inserts, with a deterministic mix of levels, states and evidence (tests and measurements)."""

from __future__ import annotations

from itertools import cycle

from lumbung.assessment.models import Answer, Assessment, Document, Entry, EvidenceLink, RowStatus
from lumbung.innovations.models import GovernmentAffair, Innovation

STATES = (RowStatus.MISSING, RowStatus.CLAIMED, RowStatus.ACCEPTED, RowStatus.ACCEPTED, RowStatus.REJECTED,
          RowStatus.RESUBMITTED, RowStatus.ACCEPTED)  # fmt: skip


def grow(assessment: Assessment, count: int, *, actor, units, template: Innovation, document: Document) -> list:
    """Enter `count` more innovations (copies of `template` spread over `units`) with their rows
    answered; every tenth is not eligible. Returns the new entries."""
    fields = [field for field in Innovation._meta.concrete_fields if not field.primary_key]
    values = {field.attname: getattr(template, field.attname) for field in fields}
    affairs = cycle(GovernmentAffair.objects.order_by("code"))
    unit_cycle = cycle(units)
    start = Innovation.objects.filter(region=assessment.region).count()
    innovations = []
    for number in range(count):
        item = Innovation(**values)
        item.name = f"Inovasi massal {start + number:05d}"
        item.unit_id = next(unit_cycle).pk
        item.main_affair_id = next(affairs).pk
        innovations.append(item)
    innovations = Innovation.objects.bulk_create(innovations, batch_size=500)
    entries = Entry.objects.bulk_create(
        [
            Entry(assessment=assessment, innovation=item, is_eligible=number % 10 != 9, entered_by=actor)
            for number, item in enumerate(innovations)
        ],
        batch_size=500,
    )
    indicators = list(assessment.framework.indicators.filter(aspect="innovation").order_by("order"))
    answers = []
    for number, entry in enumerate(entries):
        for position, indicator in enumerate(indicators):
            status = STATES[(number + position) % len(STATES)]
            level = 0 if status == RowStatus.MISSING else 1 + (number * 7 + position) % 3
            answers.append(
                Answer(entry=entry, scoring_assessment=assessment, indicator=indicator, level=level, status=status)
            )
    answers = Answer.objects.bulk_create(answers, batch_size=2000)
    links = [
        EvidenceLink(document=document, answer=answer, attached_by=actor)
        for number, answer in enumerate(answers)
        if answer.status != RowStatus.MISSING and number % 5 != 0
    ]
    EvidenceLink.objects.bulk_create(links, batch_size=2000)
    return entries
