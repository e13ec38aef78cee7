"""The verifier's workstation: the waiting rows narrowed by unit, indicator, innovation and age
(counted and sliced in SQL like the queue), one row at a time with its evidence and pre-check
findings, and the bulk acceptance of rows whose evidence passed the pre-check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.workflow import TransitionNotAllowed

from . import evidence, precheck, reports, services
from .models import CHANGE_ACTIONS, Answer, AnswerEvent, EvidenceLink, PrecheckStatus, RegionAnswer, RegionAnswerEvent

SIDE_PAGE = 25  # rows listed beside the one being decided
BULK_LIMIT = 50  # rows one bulk acceptance takes
BULK_SCAN = 200  # candidate rows read to find them
AGES = (1, 3, 7, 14)  # "waiting longer than N days" choices


@dataclass(frozen=True)
class DeskFilter:
    unit: object = None
    indicator: object = None
    innovation: str = ""  # part of the innovation's name
    age: int = 0  # days waiting, at least

    def query(self) -> dict[str, str]:
        """The filter as query-string values, to carry from one row to the next."""
        values = {
            "unit": self.unit.pk if self.unit else "", "indikator": self.indicator.pk if self.indicator else "",
            "inovasi": self.innovation, "umur": self.age or "",
        }  # fmt: skip
        return {key: str(value) for key, value in values.items() if value != ""}

    @property
    def active(self) -> bool:
        return bool(self.query())


def _flagged(field_name: str):
    """Whether any document of the row has pre-check findings (for the badge in the list)."""
    return Exists(
        EvidenceLink.objects.filter(**{field_name: OuterRef("pk")}, document__precheck_status=PrecheckStatus.WARNINGS)
    )


def desk_queue(assessment, filters: DeskFilter) -> reports.QueueRows:
    """The waiting rows under the filter, in the queue's order (SPD rows first, oldest first)."""
    rows = reports.verification_queue(assessment, filters.unit)
    region, innovation = rows.region_rows, rows.innovation_rows
    if filters.indicator is not None:
        region, innovation = region.filter(indicator=filters.indicator), innovation.filter(indicator=filters.indicator)
    if filters.innovation:
        region = region.none()
        innovation = innovation.filter(entry__innovation__name__icontains=filters.innovation)
    if filters.age:
        cutoff = timezone.now() - dt.timedelta(days=filters.age)
        region, innovation = region.filter(updated_at__lte=cutoff), innovation.filter(updated_at__lte=cutoff)
    region = region.annotate(flagged=_flagged("region_answer"))
    innovation = innovation.annotate(flagged=_flagged("answer"))
    return reports.QueueRows(region, innovation)


@dataclass
class Evidence:
    link: EvidenceLink
    findings: list[dict]

    @property
    def document(self):
        return self.link.document

    @property
    def pages(self) -> range:
        """Page numbers to show as pictures (a PDF's first pages; a picture is one page)."""
        document = self.document
        if document.kind == document.Kind.IMAGE and document.file:
            return range(1, 2)
        if document.kind != document.Kind.PDF or not document.file:
            return range(0)
        count = (document.precheck or {}).get("pages") or 1
        return range(1, min(count, PAGES_SHOWN) + 1)

    @property
    def more_pages(self) -> int:
        count = (self.document.precheck or {}).get("pages") or 0
        return max(count - PAGES_SHOWN, 0)

    @property
    def warnings(self) -> list[dict]:
        return [finding for finding in self.findings if finding["level"] == precheck.WARNING]


PAGES_SHOWN = 6


def row_evidence(row) -> list[Evidence]:
    """The row's documents with their findings for this row (one query)."""
    years = evidence.allowed_evidence_years(row)
    links = row.evidence_links.select_related("document").order_by("attached_at", "id")
    return [Evidence(link, precheck.row_findings(link.document, years)) for link in links]


# Bulk acceptance ----------------------------------------------------------------------------------


def _not_authored(queryset, event_model, user):
    """Rows the user did not claim or change (stricter than the row rule, which looks at the
    last claim and change only; the service checks each row again)."""
    mine = event_model.objects.filter(answer=OuterRef("pk"), actor=user, action__in=CHANGE_ACTIONS)
    return queryset.exclude(Exists(mine))


def _checked_documents(field_name: str):
    """Rows with evidence, every document of which passed the pre-check."""
    links = EvidenceLink.objects.filter(**{field_name: OuterRef("pk")})
    return Exists(links), Exists(links.exclude(document__precheck_status=PrecheckStatus.PASSED))


def bulk_candidates(assessment, filters: DeskFilter, user) -> list:
    """Up to BULK_LIMIT waiting rows under the filter whose every document passed the pre-check,
    also the row's evidence-year rule, and that the user may judge."""
    queue = desk_queue(assessment, filters)
    found = []
    for queryset, field_name, event_model in (
        (queue.region_rows, "region_answer", RegionAnswerEvent),
        (queue.innovation_rows, "answer", AnswerEvent),
    ):
        has_evidence, has_unchecked = _checked_documents(field_name)
        queryset = _not_authored(queryset.filter(has_evidence).exclude(has_unchecked), event_model, user)
        links = EvidenceLink.objects.select_related("document")
        queryset = queryset.prefetch_related(Prefetch("evidence_links", queryset=links))
        for row in queryset[:BULK_SCAN]:
            documents = [link.document for link in row.evidence_links.all()]
            if precheck.row_passes(documents, evidence.allowed_evidence_years(row)):
                found.append(row)
            if len(found) >= BULK_LIMIT:
                return found
    return found


def chosen_rows(candidates: list, values: list[str]) -> list:
    """The candidates named in the posted values ("inovasi-12", "spd-3")."""
    wanted = set(values)
    return [row for row in candidates if f"{row.scope}-{row.pk}" in wanted]


def rows_accept_checked(*, rows: list, actor) -> tuple[int, list[str]]:
    """Accept each row through the row workflow (one event per row, with a note saying how);
    returns (accepted, problems). A row someone changed meanwhile is left for a single decision."""
    accepted, problems = 0, []
    note = _("Diterima bersama dari meja verifikasi: semua eviden lolos pra-periksa otomatis.")
    for row in rows:
        try:
            services.row_transition(row=row, action="accept", actor=actor, note=note)
        except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
            label = (
                f"{row.indicator.code} {row.entry.innovation.name}" if isinstance(row, Answer) else row.indicator.code
            )
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else _("sudah berubah")
            problems.append(f"{label}: {reason}")
        else:
            accepted += 1
    return accepted, problems


def row_model(scope: str):
    return {"spd": RegionAnswer, "inovasi": Answer}.get(scope)
