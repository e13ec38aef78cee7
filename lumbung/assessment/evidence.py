"""The evidence library of a region: documents stored once (a file or a link) and linked to any
number of rows, checked against each row's evidence rule (kind, year window) before they count.
Other apps file their documents here too (event materials, replication agreements, decrees)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.files import inspect_upload

from .models import (
    Answer,
    AnswerBase,
    Assessment,
    Document,
    Entry,
    EvidenceLink,
    RegionAnswer,
)
from .services import _require_open, _row_event, entry_add

# File kinds the library takes; each row's rule narrows this when attaching.
EVIDENCE_KINDS = ("pdf", "image", "video", "excel", "word", "slides")


@contextmanager
def _discard_file_on_error(document: Document):
    """A stored file whose row never reaches the database is removed again."""
    try:
        yield
    except BaseException:
        if document.file:
            document.file.delete(save=False)
        raise


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise ValidationError(
            {"link": _("Tautan harus alamat web lengkap yang diawali https:// atau http://.")}, code="link"
        ) from None
    return link


def _check_year(year) -> None:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        raise ValidationError({"year": _("Tahun dokumen harus antara 2000 dan %(max)s.") % {"max": this_year + 1}})


def document_store(
    *,
    region,
    actor,
    title: str,
    year: int,
    file=None,
    link: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    subject: str = "",
    source: str = "",
) -> Document:
    """File a document in the region's evidence library and return it.

    A file is checked by content, extension and size (core.files); a file identical to one
    already in the library (same sha256) returns that Document instead, with `reused = True`.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Judul dokumen wajib diisi.")}, code="title")
    _check_year(year)
    if bool(file) == bool((link or "").strip()):
        raise ValidationError(_("Unggah satu berkas atau isi satu tautan."), code="file_or_link")
    document = Document(
        region=region,
        title=title[:255],
        number=number.strip()[:120],
        issued_on=issued_on,
        subject=subject.strip()[:255],
        year=year,
        source=source[:40],
        uploaded_by=actor,
    )
    if file:
        info = getattr(file, "upload_info", None) or inspect_upload(file, kinds=EVIDENCE_KINDS)
        existing = Document.objects.filter(region=region, sha256=info.sha256).first()
        if existing:
            existing.reused = True
            return existing
        document.kind, document.original_name = info.kind, info.original_name
        document.content_type, document.size, document.sha256 = info.content_type, info.size, info.sha256
    else:
        document.link = _clean_link(link)
        existing = Document.objects.filter(region=region, link=document.link).first()
        if existing:
            existing.reused = True
            return existing
        document.kind = Document.Kind.LINK
    return _save_document(document, file)


def _save_document(document: Document, file) -> Document:
    with _discard_file_on_error(document):
        if file:
            file.seek(0)
            document.file.save(document.original_name, file, save=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # The same file arrived a moment ago through another request.
            existing = Document.objects.filter(region=document.region, sha256=document.sha256).first()
            if existing is None or not document.sha256:
                raise
            document.file.delete(save=False)
            existing.reused = True
            return existing
    document.reused = False
    return document


def document_replace(
    *, document: Document, actor, file=None, link: str = "", title: str = "", note: str = ""
) -> Document:
    """Store a new version of a document. Rows that are still open to change move to the new
    version; rows already judged "sesuai" and rows of locked years keep the version they were
    judged on. Every move is an event on its row."""
    if Document.objects.filter(replaces=document).exists():
        raise ValidationError(_("Dokumen ini sudah memiliki versi yang lebih baru."), code="replaced")
    if bool(file) == bool((link or "").strip()):
        raise ValidationError(_("Unggah satu berkas atau isi satu tautan."), code="file_or_link")
    new = Document(
        region=document.region,
        title=(title or document.title).strip()[:255],
        number=document.number,
        issued_on=document.issued_on,
        subject=document.subject,
        year=document.year,
        source=document.source,
        replaces=document,
        uploaded_by=actor,
    )
    if file:
        info = getattr(file, "upload_info", None) or inspect_upload(file, kinds=EVIDENCE_KINDS)
        twin = Document.objects.filter(region=document.region, sha256=info.sha256).first()
        if twin:
            raise ValidationError(
                _("Berkas ini sama persis dengan dokumen “%(title)s” yang sudah ada di pustaka.")
                % {"title": twin.title},
                code="duplicate",
            )
        new.kind, new.original_name = info.kind, info.original_name
        new.content_type, new.size, new.sha256 = info.content_type, info.size, info.sha256
    else:
        new.link, new.kind = _clean_link(link), Document.Kind.LINK
    with transaction.atomic():
        new = _save_document(new, file)
        links = document.links.select_related(
            "answer__entry__assessment", "region_answer__assessment", "answer__indicator", "region_answer__indicator"
        )
        for evidence in links:
            row = evidence.row
            if row.is_accepted or not row.assessment.is_open:
                continue
            evidence.document = new
            evidence.save(update_fields=["document"])
            _row_event(row, "replace_evidence", actor, note=note, data={"from": document.pk, "to": new.pk})
    return new


def evidence_problem(*, document: Document, row: AnswerBase) -> str | None:
    """Why `document` cannot serve as evidence for `row` under the row's rule (None if it can)."""
    indicator = row.indicator
    if document.region_id != row.region_id:
        return _("Dokumen berasal dari pemda lain.")
    if not document.is_current:
        return _("Dokumen ini sudah diganti versi baru; lampirkan versi terbarunya.")
    if document.is_link:
        if not indicator.evidence_allows_link:
            return _("Indikator %(code)s tidak menerima tautan sebagai eviden; unggah berkasnya.") % {
                "code": indicator.code
            }
    elif indicator.evidence_kinds and document.kind not in indicator.evidence_kinds:
        from lumbung.core.files import kinds_label

        return _("Indikator %(code)s hanya menerima %(kinds)s, bukan %(kind)s.") % {
            "code": indicator.code,
            "kinds": kinds_label(indicator.evidence_kinds),
            "kind": document.get_kind_display(),
        }
    allowed_years = allowed_evidence_years(row)
    if allowed_years and document.year not in allowed_years:
        return _("Dokumen tahun %(year)s; indikator %(code)s meminta dokumen tahun %(years)s.") % {
            "year": document.year,
            "code": indicator.code,
            "years": ", ".join(str(year) for year in sorted(allowed_years)),
        }
    return None


def allowed_evidence_years(row: AnswerBase) -> set[int]:
    """The calendar years the row's rule accepts ("T-0" is the assessment year)."""
    year = row.assessment.year
    years = set()
    for label in row.indicator.evidence_years or []:
        try:
            years.add(year - int(str(label).upper().replace("T", "").replace("-", "") or 0))
        except ValueError:
            continue
    return years


def evidence_link(*, document: Document, row: AnswerBase, actor) -> EvidenceLink:
    """Attach a library document to one row (nothing happens when it is already attached)."""
    _require_open(row.assessment)
    problem = evidence_problem(document=document, row=row)
    if problem:
        raise ValidationError(problem, code="rule")
    field = "answer" if isinstance(row, Answer) else "region_answer"
    with transaction.atomic():
        link, created = EvidenceLink.objects.get_or_create(
            document=document, **{field: row}, defaults={"attached_by": actor}
        )
        if created:
            _row_event(row, "attach", actor, note=document.title, data={"document": document.pk})
    return link


def evidence_upload(*, row: AnswerBase, actor, **document_fields) -> Document:
    """File a new document and attach it to `row`, both or neither: when the row refuses it, the
    new document and its stored file are removed again."""
    _require_open(row.assessment)
    with transaction.atomic():
        document = document_store(region=row.assessment.region, actor=actor, **document_fields)
        try:
            evidence_link(document=document, row=row, actor=actor)
        except ValidationError:
            if not document.reused and document.file:
                document.file.delete(save=False)
            raise
    return document


def evidence_link_many(*, documents: Iterable[Document], rows: Iterable[AnswerBase], actor) -> int:
    """Attach each document to each row, all or nothing; returns the number of new links.

    When any pair breaks a row's rule nothing is attached and the error lists every problem.
    """
    documents, rows = list(documents), list(rows)
    if not documents or not rows:
        raise ValidationError(_("Pilih minimal satu dokumen dan satu baris."), code="empty")
    problems = []
    for row in rows:
        if not row.assessment.is_open:
            _require_open(row.assessment)
        for document in documents:
            problem = evidence_problem(document=document, row=row)
            if problem:
                problems.append(f"{_row_label(row)}: {problem}")
    if problems:
        raise ValidationError(problems, code="rule")
    created = 0
    with transaction.atomic():
        for row in rows:
            for document in documents:
                before = EvidenceLink.objects.filter(document=document, **{_link_field(row): row}).exists()
                evidence_link(document=document, row=row, actor=actor)
                created += not before
    return created


def _link_field(row: AnswerBase) -> str:
    return "answer" if isinstance(row, Answer) else "region_answer"


def _row_label(row: AnswerBase) -> str:
    if isinstance(row, Answer):
        return f"{row.entry.innovation.name} — {row.indicator.code}"
    return _("SPD %(code)s") % {"code": row.indicator.code}


def evidence_detach(*, link: EvidenceLink, actor) -> None:
    """Take a document off a row. Evidence of a row judged "sesuai" stays: it is what the
    verdict was given on."""
    row = link.row
    _require_open(row.assessment)
    if row.is_accepted:
        raise ValidationError(
            _("Eviden pada baris yang sudah sesuai tidak dapat dilepas; minta verifikator membatalkan putusannya."),
            code="accepted",
        )
    with transaction.atomic():
        _row_event(row, "detach", actor, note=link.document.title, data={"document": link.document_id})
        link.delete()


def _open_assessment_of(region_id: int, year: int) -> Assessment:
    assessment = Assessment.objects.select_related("framework", "region").filter(region=region_id, year=year).first()
    if assessment is None:
        raise ValidationError(_("Belum ada penilaian IGA tahun %(year)s.") % {"year": year}, code="no_assessment")
    _require_open(assessment)
    return assessment


def _no_such_row(indicator_code: str, year: int) -> ValidationError:
    return ValidationError(
        _("Indikator %(code)s tidak ada pada metodologi %(year)s.") % {"code": indicator_code, "year": year},
        code="indicator",
    )


def spd_row_for(*, region, year: int, indicator_code: str) -> RegionAnswer:
    """The region-level row `indicator_code` of the region's assessment of `year`, open to
    evidence. Raises ValidationError when there is no assessment that year, it is locked, or its
    methodology has no such row."""
    assessment = _open_assessment_of(getattr(region, "pk", region), year)
    row = (
        RegionAnswer.objects.select_related("indicator", "assessment__framework", "unit")
        .filter(assessment=assessment, indicator__code=indicator_code)
        .first()
    )
    if row is None:
        raise _no_such_row(indicator_code, year)
    return row


def evidence_attach(*, document: Document, innovation, indicator_code: str, year: int, actor) -> EvidenceLink:
    """Attach `document` to `innovation`'s row `indicator_code` in the region's assessment of
    `year`, entering the innovation first when it is not yet entered.

    `innovation=None` attaches to the region-level (SPD) row of that code. Raises ValidationError
    when there is no assessment for the year, it is locked, the innovation is not eligible, or
    the document breaks the row's evidence rule.
    """
    if innovation is None:
        row = spd_row_for(region=document.region_id, year=year, indicator_code=indicator_code)
        return evidence_link(document=document, row=row, actor=actor)
    assessment = _open_assessment_of(document.region_id, year)
    entry = Entry.objects.filter(assessment=assessment, innovation=innovation).first()
    if entry is None:
        entry = entry_add(assessment=assessment, innovation=innovation, actor=actor)
    if not entry.is_eligible:
        raise ValidationError(
            _("%(name)s tidak memenuhi syarat penilaian %(year)s: %(reasons)s")
            % {"name": innovation.name, "year": year, "reasons": " ".join(entry.reasons())},
            code="not_eligible",
        )
    row = (
        Answer.objects.select_related("indicator", "entry__assessment", "entry__innovation")
        .filter(entry=entry, indicator__code=indicator_code)
        .first()
    )
    if row is None:
        raise _no_such_row(indicator_code, year)
    return evidence_link(document=document, row=row, actor=actor)
