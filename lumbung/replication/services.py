"""Operations on the catalogue, study visits and replications. Adopting a catalogue item starts
a local draft in the registry (innovations.services.innovation_create); an outbound agreement
reaches indicator 31 only through the assessment's evidence API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.actions.models import Action
from lumbung.actions.services import action_create, action_transition
from lumbung.assessment import evidence as assessment_evidence
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.services import innovation_create
from lumbung.notifications.services import notify
from lumbung.organisation.models import Assignment, Unit

from .catalogue import SharedInnovation, hosted_innovations
from .models import (
    CatalogueItem,
    Observation,
    Replication,
    ReplicationEvidence,
    ReplicationHistory,
    StudyVisit,
    StudyVisitHistory,
)
from .workflows import REPLICATION, VISIT

REPLICATION_INDICATOR = "31"


# Catalogue -----------------------------------------------------------------------------------


@transaction.atomic
def catalogue_item_save(*, item: CatalogueItem, region, actor) -> CatalogueItem:
    """Create or update a catalogue entry of `region` (from the form or the import)."""
    item.region = region
    if item.pk is None:
        item.created_by = actor
    item.full_clean()
    item.save()
    return item


def adoptable_units(user, region):
    """Units for which `user` may start a local innovation: all for the admin, the operator's
    subtree, the innovator's own current units."""
    units = Unit.objects.filter(region=region, is_active=True)
    if user.has_role(Role.ADMIN, region):
        return units
    allowed = Q(pk__in=[])
    for path in user.operator_unit_paths(region):
        allowed |= Q(path__startswith=path)
    if user.has_role(Role.INNOVATOR, region) and user.official_id:
        allowed |= Q(pk__in=Assignment.objects.current().filter(official_id=user.official_id).values("unit_id"))
    return units.filter(allowed)


def _local_draft(*, region, actor, unit: Unit, name: str, main_affair, source) -> Innovation:
    """A local draft innovation in `unit` that replicates `source` (a catalogue entry)."""
    if not adoptable_units(actor, region).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Anda tidak dapat membuat inovasi untuk perangkat daerah ini.")})
    description = _("Replikasi inovasi “%(name)s” dari %(region)s.") % {
        "name": source.name,
        "region": source.source_region,
    }
    return innovation_create(
        region=region,
        actor=actor,
        data={
            "unit": unit, "name": name.strip(), "stage": Innovation.Stage.INITIATIVE,
            "initiator_kind": Innovation.InitiatorKind.UNIT, "initiator_name": unit.name,
            "is_digital": source.is_digital, "form": source.form or Innovation.Form.OTHER_AFFAIRS,
            "main_affair": main_affair, "method": "\n\n".join(part for part in (description, source.summary) if part),
        },
    )  # fmt: skip


@transaction.atomic
def catalogue_item_adopt(*, item: CatalogueItem, actor, unit: Unit, name: str, main_affair) -> Replication:
    """Start a local draft innovation that replicates `item`, kept linked to its source.

    The draft belongs to `unit` and follows the registry's review workflow like any other."""
    if not actor.has_perm("replication.adopt_catalogue_item", item):
        raise PermissionDenied
    innovation = _local_draft(
        region=item.region, actor=actor, unit=unit, name=name, main_affair=main_affair, source=item
    )
    replication = Replication(
        region=item.region, direction=Replication.Direction.INBOUND, innovation=innovation,
        partner_region=item.source_region, item=item, created_by=actor,
    )  # fmt: skip
    replication.full_clean()
    replication.save()
    ReplicationHistory.objects.create(
        replication=replication, actor=actor, action="adopt", from_state="", to_state=replication.status,
        data={"item": item.pk, "innovation": innovation.pk},
    )  # fmt: skip
    return replication


def _region_admins(region):
    return User.objects.filter(
        role_assignments__role=Role.ADMIN, role_assignments__region=region, role_assignments__is_active=True
    ).distinct()


@transaction.atomic
def shared_innovation_adopt(
    *, shared: SharedInnovation, actor, unit: Unit, name: str, main_affair, reason: str
) -> Replication:
    """Adopt another hosted region's published innovation from the shared catalogue: a local draft,
    and ONE linked replication record that both regions see (inbound here, outbound there). The
    origin region's admins are told, with the reason."""
    region = shared.region
    if not actor.has_perm("replication.adopt_catalogue_item", shared):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan mengadopsi inovasi ini.")})
    origin = hosted_innovations(region).select_related("region").filter(pk=shared.innovation.pk).first()
    if origin is None:
        raise ValidationError(_("Inovasi ini tidak lagi terbit di pemda asalnya."))
    if Replication.objects.filter(region=region, origin_innovation=origin).exists():
        raise ValidationError(_("Inovasi asal ini sudah diadopsi oleh pemda ini."))
    innovation = _local_draft(region=region, actor=actor, unit=unit, name=name, main_affair=main_affair, source=shared)
    replication = Replication(
        region=region, direction=Replication.Direction.INBOUND, innovation=innovation, partner_region=origin.region,
        origin_innovation=origin, notes=reason, created_by=actor,
    )  # fmt: skip
    replication.full_clean()
    try:
        with transaction.atomic():
            replication.save()
    except IntegrityError as error:  # the same adoption saved a moment ago by someone else
        raise ValidationError(_("Inovasi asal ini sudah diadopsi oleh pemda ini.")) from error
    ReplicationHistory.objects.create(
        replication=replication, actor=actor, action="adopt", from_state="", to_state=replication.status, note=reason,
        data={"origin_innovation": origin.pk, "innovation": innovation.pk, "region": region.pk},
    )  # fmt: skip
    notify(
        recipients=_region_admins(origin.region),
        title=_("%(region)s mengadopsi inovasi %(name)s") % {"region": region.name, "name": origin.name},
        body=reason, url=reverse("replication:replication-detail", args=[replication.pk]), region=origin.region,
    )  # fmt: skip
    return replication


# Study visits --------------------------------------------------------------------------------


@transaction.atomic
def visit_save(*, visit: StudyVisit, region, actor, delegation, changed: list[str] | None = None) -> StudyVisit:
    """Create a planned visit, or save changes to an editable one."""
    creating = visit.pk is None
    if not creating and not visit.is_editable:
        raise ValidationError(_("Studi tiru yang sudah ditutup atau dibatalkan tidak dapat diubah."))
    visit.region = region
    if creating:
        visit.created_by = actor
    visit.full_clean()
    visit.save()
    visit.delegation.set(delegation)
    if creating or changed:
        StudyVisitHistory.objects.create(
            visit=visit, actor=actor, action="create" if creating else "edit",
            from_state="" if creating else visit.status, to_state=visit.status, data={"fields": changed or []},
        )  # fmt: skip
    return visit


@transaction.atomic
def visit_transition(*, visit: StudyVisit, action: str, actor, note: str = "") -> StudyVisitHistory:
    if action == "complete" and not visit.findings.strip():
        raise ValidationError(_("Tuliskan temuan kunjungan sebelum menandainya terlaksana."))
    if action == "close" and visit.follow_ups.open().exists():
        raise ValidationError(_("Masih ada tindak lanjut yang belum selesai atau dinyatakan tidak dilanjutkan."))
    return VISIT.apply(visit, action, actor=actor, note=note)


@transaction.atomic
def observation_add(
    *, visit: StudyVisit, actor, item: CatalogueItem | None = None, new_item: CatalogueItem | None = None,
    note: str = "", worth_replicating: bool = False,
) -> Observation:  # fmt: skip
    """Record an innovation the delegation saw: one from the catalogue, or a new one that joins
    the catalogue (source: study visit, origin: the destination)."""
    if not visit.is_editable:
        raise ValidationError(_("Studi tiru ini sudah ditutup."))
    if (item is None) == (new_item is None):
        raise ValidationError(_("Pilih inovasi dari katalog, atau isi inovasi baru."))
    if new_item is not None:
        new_item.source_region = visit.destination
        new_item.source = CatalogueItem.Source.VISIT
        new_item.year = new_item.year or visit.start_date.year
        item = catalogue_item_save(item=new_item, region=visit.region, actor=actor)
    if item.region_id != visit.region_id:
        raise ValidationError(_("Inovasi katalog harus milik pemda ini."))
    if visit.observations.filter(item=item).exists():
        raise ValidationError(_("Inovasi ini sudah tercatat pada kunjungan ini."))
    return Observation.objects.create(visit=visit, item=item, note=note, worth_replicating=worth_replicating)


@transaction.atomic
def follow_up_add(*, visit: StudyVisit, actor, follow_up: Action) -> Action:
    """Save `follow_up` (an unsaved actions.Action, e.g. from FollowUpForm) as a task of the visit
    and tell those who own it."""
    if not visit.is_editable:
        raise ValidationError(_("Studi tiru ini sudah ditutup."))
    if follow_up.unit_id and follow_up.unit.region_id != visit.region_id:
        raise ValidationError({"unit": _("Perangkat daerah harus dari pemda ini.")})
    follow_up = action_create(
        region=visit.region, origin=Action.Origin.STUDY_VISIT, actor=actor, description=follow_up.description,
        visit=visit, unit=follow_up.unit if follow_up.unit_id else None, owner_official=follow_up.owner_official,
        due_date=follow_up.due_date, catalogue_item=follow_up.catalogue_item,
    )  # fmt: skip
    _tell_owners(follow_up, _("Tindak lanjut studi tiru untuk Anda: %(what)s") % {"what": str(follow_up)[:120]})
    return follow_up


def _tell_owners(follow_up: Action, title: str) -> None:
    """The responsible official (if on an account) and the operators of the owning unit."""
    region_id = follow_up.visit.region_id
    people = User.objects.filter(
        Q(official_id=follow_up.owner_official_id, official__isnull=False)
        | Q(role_assignments__role=Role.OPERATOR, role_assignments__unit=follow_up.unit,
            role_assignments__region_id=region_id, role_assignments__is_active=True)
    ).distinct()  # fmt: skip
    notify(
        recipients=people, title=title, body=follow_up.description,
        url=reverse("replication:visit-detail", args=[follow_up.visit_id]), region=follow_up.visit.region,
    )  # fmt: skip


def follow_up_transition(*, follow_up: Action, action: str, actor, note: str = ""):
    return action_transition(item=follow_up, action=action, actor=actor, note=note)


# Replications --------------------------------------------------------------------------------


def _store_agreement(replication: Replication, uploaded) -> None:
    info = uploaded.upload_info  # set by core.forms.SafeFileField
    replication.agreement_name, replication.agreement_sha256 = info.original_name, info.sha256
    replication.agreement_file.save(info.original_name, uploaded, save=False)


@transaction.atomic
def replication_save(*, replication: Replication, region, actor, uploaded=None, changed: list[str] | None = None):
    """Record a replication (inbound taken up outside the catalogue, or outbound by another region)
    or save changes; an uploaded agreement replaces the previous file."""
    creating = replication.pk is None
    replication.region = region
    if creating:
        replication.created_by = actor
    if uploaded is not None:
        _store_agreement(replication, uploaded)
    replication.full_clean(exclude=["agreement_file"])
    replication.save()
    if creating or changed:
        ReplicationHistory.objects.create(
            replication=replication, actor=actor, action="create" if creating else "edit",
            from_state="" if creating else replication.status, to_state=replication.status,
            data={"fields": changed or []},
        )  # fmt: skip
    return replication


def replication_transition(*, replication: Replication, action: str, actor, note: str = "") -> ReplicationHistory:
    return REPLICATION.apply(replication, action, actor=actor, note=note)


@transaction.atomic
def replication_agreement_save(*, replication: Replication, region, actor, data: dict, uploaded=None, reason=""):
    """Keep the agreement of a linked replication from either side (the origin region often holds
    the signed letter): kind, number, dates and, when given, a new file."""
    if not replication.is_linked or region.pk not in (replication.region_id, replication.partner_region_id):
        raise PermissionDenied
    if not actor.has_perm("replication.upload_agreement", replication):
        raise PermissionDenied
    if uploaded is None and not replication.agreement_file:
        raise ValidationError({"agreement": _("Unggah berkas PKS, MoU, surat, atau pernyataan replikasi.")})
    changed = [name for name in ("started_on", "agreement_kind", "agreement_number", "agreement_date")
               if getattr(replication, name) != data.get(name)]  # fmt: skip
    for name in changed:
        setattr(replication, name, data.get(name))
    if uploaded is not None:
        _store_agreement(replication, uploaded)
        changed.append("agreement_file")
    replication.full_clean(exclude=["agreement_file"])
    replication.save()
    ReplicationHistory.objects.create(
        replication=replication, actor=actor, action="agreement", from_state=replication.status,
        to_state=replication.status, note=(reason or "").strip(), data={"fields": changed, "region": region.pk},
    )  # fmt: skip
    return replication


def _evidence_title(replication: Replication, side) -> str:
    kind = replication.get_agreement_kind_display() or _("Dokumen")
    if side.is_outbound:
        text = _("%(kind)s replikasi %(innovation)s oleh %(region)s")
    else:
        text = _("%(kind)s replikasi %(innovation)s dari %(region)s")
    return text % {"kind": kind, "innovation": side.innovation.name, "region": side.partner.name}


@transaction.atomic
def replication_attach_evidence(*, replication: Replication, year: int, actor, region=None) -> ReplicationEvidence:
    """File the agreement in `region`'s evidence library and attach it to that region's innovation
    (indicator 31) in the assessment of `year`. `region` is the record's region (the default) or,
    for a linked record, the origin region: both sides file the same agreement as their evidence."""
    region = region or replication.region
    if region.pk != replication.region_id and not (
        replication.is_linked and region.pk == replication.partner_region_id
    ):
        raise PermissionDenied
    side = replication.side(region.pk)
    allowed = (
        actor.has_perm("replication.attach_replication_evidence", replication)
        and actor.has_role(Role.ADMIN, region)
        and (side.is_outbound or replication.is_linked)
    )
    if not allowed:
        raise ValidationError(_("Hanya replikasi oleh pemda lain yang dokumennya sudah diunggah dapat dilampirkan."))
    if replication.evidence.filter(year=year, region=region).exists():
        raise ValidationError(_("Dokumen ini sudah dilampirkan untuk penilaian %(year)s.") % {"year": year})
    with replication.agreement_file.open("rb") as stored:
        upload = ContentFile(stored.read(), name=replication.agreement_name)
    issued = replication.agreement_date or replication.started_on
    document = assessment_evidence.document_store(
        region=region, actor=actor, file=upload, year=issued.year if issued else year,
        title=_evidence_title(replication, side), number=replication.agreement_number,
        issued_on=replication.agreement_date, source="replication",
        subject=_("Replikasi inovasi %(name)s") % {"name": side.innovation.name},
    )  # fmt: skip
    assessment_evidence.evidence_attach(
        document=document, innovation=side.innovation, indicator_code=REPLICATION_INDICATOR, year=year, actor=actor
    )
    evidence = ReplicationEvidence.objects.create(
        replication=replication, region=region, year=year, document_id=document.pk, attached_by=actor
    )
    ReplicationHistory.objects.create(
        replication=replication, actor=actor, action="attach_evidence", from_state=replication.status,
        to_state=replication.status,
        note=_("Eviden indikator 31 %(region)s, penilaian %(year)s") % {"region": region.name, "year": year},
        data={"document": document.pk, "year": year, "region": region.pk},
    )  # fmt: skip
    return evidence


def replication_reach(region) -> list[dict]:
    """Per innovation of `region`: how many other regions replicated it (indicator 31 counts
    distinct regions: 1, 2, 3 or more), and how many of them have a letter on file. Recorded
    outbound records and linked adoptions by other hosted regions count alike, each region once."""
    live = ~Q(status=Replication.Status.STOPPED)
    recorded = Replication.objects.filter(live, region=region, direction=Replication.Direction.OUTBOUND).values_list(
        "innovation_id", "innovation__name", "partner_region_id", "agreement_file"
    )
    linked = Replication.objects.filter(live, partner_region=region, origin_innovation__isnull=False).values_list(
        "origin_innovation_id", "origin_innovation__name", "region_id", "agreement_file"
    )
    reach: dict = {}
    for innovation_id, name, partner_id, agreement in [*recorded, *linked]:
        row = reach.setdefault(innovation_id, {"innovation_id": innovation_id, "innovation__name": name,
                                               "partners": set(), "with_letter": set()})  # fmt: skip
        row["partners"].add(partner_id)
        if agreement:
            row["with_letter"].add(partner_id)
    rows = [
        {"innovation_id": row["innovation_id"], "innovation__name": row["innovation__name"],
         "regions": len(row["partners"]), "documented": len(row["with_letter"])}
        for row in reach.values()
    ]  # fmt: skip
    rows.sort(key=lambda row: (-row["regions"], row["innovation__name"]))
    return [{**row, "level": min(row["documented"], 3)} for row in rows]
