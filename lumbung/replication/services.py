"""Operations on the catalogue, study visits and replications. Adopting a catalogue item starts
a local draft in the registry (innovations.services.innovation_create); an outbound agreement
reaches indicator 31 only through the assessment's evidence API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.accounts.models import User
from lumbung.actions.models import Action
from lumbung.actions.services import action_create, action_transition
from lumbung.assessment import services as assessment_services
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.services import innovation_create
from lumbung.notifications.services import notify
from lumbung.organisation.models import Assignment, Unit

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


@transaction.atomic
def catalogue_item_adopt(*, item: CatalogueItem, actor, unit: Unit, name: str, main_affair) -> Replication:
    """Start a local draft innovation that replicates `item`, kept linked to its source.

    The draft belongs to `unit` and follows the registry's review workflow like any other."""
    if not actor.has_perm("replication.adopt_catalogue_item", item):
        raise PermissionDenied
    if not adoptable_units(actor, item.region).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Anda tidak dapat membuat inovasi untuk perangkat daerah ini.")})
    description = _("Replikasi inovasi “%(name)s” dari %(region)s.") % {"name": item.name, "region": item.source_region}
    innovation = innovation_create(
        region=item.region,
        actor=actor,
        data={
            "unit": unit, "name": name.strip(), "stage": Innovation.Stage.INITIATIVE,
            "initiator_kind": Innovation.InitiatorKind.UNIT, "initiator_name": unit.name, "is_digital": item.is_digital,
            "form": item.form or Innovation.Form.OTHER_AFFAIRS, "main_affair": main_affair,
            "method": "\n\n".join(part for part in (description, item.summary) if part),
        },
    )  # fmt: skip
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
def replication_attach_evidence(*, replication: Replication, year: int, actor) -> ReplicationEvidence:
    """File the agreement in the region's evidence library and attach it to the innovation's
    replication row (indicator 31) of the assessment of `year`."""
    if not actor.has_perm("replication.attach_replication_evidence", replication):
        raise ValidationError(_("Hanya replikasi oleh pemda lain yang dokumennya sudah diunggah dapat dilampirkan."))
    if replication.evidence.filter(year=year).exists():
        raise ValidationError(_("Dokumen ini sudah dilampirkan untuk penilaian %(year)s.") % {"year": year})
    with replication.agreement_file.open("rb") as stored:
        upload = ContentFile(stored.read(), name=replication.agreement_name)
    issued = replication.agreement_date or replication.started_on
    document = assessment_services.document_store(
        region=replication.region, actor=actor, file=upload, year=issued.year if issued else year,
        title=_("%(kind)s replikasi %(innovation)s oleh %(region)s") % {
            "kind": replication.get_agreement_kind_display() or _("Dokumen"),
            "innovation": replication.innovation.name, "region": replication.partner_region.name,
        },
        number=replication.agreement_number, issued_on=replication.agreement_date,
        subject=_("Replikasi inovasi %(name)s") % {"name": replication.innovation.name}, source="replication",
    )  # fmt: skip
    assessment_services.evidence_attach(
        document=document, innovation=replication.innovation, indicator_code=REPLICATION_INDICATOR, year=year,
        actor=actor,
    )  # fmt: skip
    evidence = ReplicationEvidence.objects.create(
        replication=replication, year=year, document_id=document.pk, attached_by=actor
    )
    ReplicationHistory.objects.create(
        replication=replication, actor=actor, action="attach_evidence", from_state=replication.status,
        to_state=replication.status, note=_("Eviden indikator 31, penilaian %(year)s") % {"year": year},
        data={"document": document.pk, "year": year},
    )  # fmt: skip
    return evidence


def replication_reach(region) -> list[dict]:
    """Per innovation of `region`: how many other regions replicated it (indicator 31 counts
    distinct regions: 1, 2, 3 or more), and how many of them have a letter on file."""
    rows = (
        Replication.objects.filter(region=region, direction=Replication.Direction.OUTBOUND)
        .exclude(status=Replication.Status.STOPPED)
        .values("innovation_id", "innovation__name")
        .annotate(
            regions=Count("partner_region", distinct=True),
            documented=Count("partner_region", filter=~Q(agreement_file=""), distinct=True),
        )
        .order_by("-regions", "innovation__name")
    )
    return [{**row, "level": min(row["documented"], 3)} for row in rows]
