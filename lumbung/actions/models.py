"""One kind of task for the whole region: a step of the index planner handed to a unit, a clinic
case's action item, a study visit's follow-up. Each keeps a link to where it came from (its
origin and the foreign key of that origin) and moves through one state machine (workflows.ACTION)."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import Role


class ActionQuerySet(models.QuerySet):
    def pending(self):
        """Tasks still to do (not done, not cancelled)."""
        return self.filter(status__in=Action.PENDING)

    # The clinic and study visits called their pending items "open".
    open = pending

    def overdue(self, today):
        return self.pending().filter(due_date__lt=today)

    def worklist(self, today):
        """Overdue first, then the rest still to do by due date (none last), then the settled."""
        rank = Case(
            When(Q(status__in=Action.PENDING, due_date__lt=today), then=0),
            When(status__in=Action.PENDING, then=1),
            default=2,
            output_field=IntegerField(),
        )
        return self.annotate(rank=rank).order_by("rank", F("due_date").asc(nulls_last=True), "id")

    def assigned_to(self, user, region):
        """Tasks of `region` given to `user` (by account or by official) or to a unit the user
        operates (the unit or one above it)."""
        if not user.is_authenticated:
            return self.none()
        condition = Q(owner=user)
        if user.official_id:
            condition |= Q(owner_official_id=user.official_id)
        for path in user.operator_unit_paths(region):
            condition |= Q(unit__path__startswith=path)
        return self.filter(region=region).filter(condition)

    def visible_to(self, user, region):
        """The region's tasks for its admins, verifiers and leaders; one's own and one's units'
        otherwise (the list of "Tugas saya")."""
        if not user.is_authenticated:
            return self.none()
        if user.has_any_role({Role.ADMIN, Role.VERIFIER, Role.LEADER}, region):
            return self.filter(region=region)
        return self.assigned_to(user, region)


class Action(TimeStampedModel):
    """Something someone must do by a date: who, what, by when, and where it came from."""

    class Origin(models.TextChoices):
        PLANNER = "planner", _("Perencana indeks")
        CLINIC = "clinic", _("Klinik inovasi")
        STUDY_VISIT = "study_visit", _("Studi tiru")

    class Status(models.TextChoices):
        OPEN = "open", _("Belum dikerjakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    PENDING = frozenset({Status.OPEN, Status.IN_PROGRESS})

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("asal"), max_length=12, choices=Origin.choices)
    description = models.TextField(_("tindakan"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    # Who does it: a unit, an account, an official, or a name of someone without an account.
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah penanggung jawab"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    owner_official = models.ForeignKey(
        "organisation.Official", verbose_name=_("pejabat penanggung jawab"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    owner_name = models.CharField(
        _("penanggung jawab tanpa akun"), max_length=200, blank=True, help_text=_("Misalnya Kabag Hukum Setda.")
    )
    # What it is about.
    innovation = models.ForeignKey(
        "innovations.Innovation", verbose_name=_("inovasi"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="planned_actions",
    )  # fmt: skip
    indicator_code = models.CharField(_("kode indikator"), max_length=8, blank=True)
    # Where it came from: the planner (assessment, kind of step, IID it should add) ...
    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="planned_actions"
    )
    kind = models.CharField(_("jenis tindakan"), max_length=30, blank=True)
    gain = models.DecimalField(_("tambahan IID"), max_digits=6, decimal_places=2, null=True, blank=True)
    # ... a clinic case (possibly carrying out a planner step) ...
    case = models.ForeignKey("clinic.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="actions")
    planned_action = models.ForeignKey(
        "self", verbose_name=_("tindakan perencana indeks"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="clinic_items",
    )  # fmt: skip
    # ... or a study visit (possibly about one catalogue item).
    visit = models.ForeignKey(
        "replication.StudyVisit", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    catalogue_item = models.ForeignKey(
        "replication.CatalogueItem", verbose_name=_("inovasi terkait"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["region", "status", "due_date"], name="action_region_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(origin="planner", assessment__isnull=False, gain__isnull=False)
                    | Q(origin="clinic", case__isnull=False)
                    | Q(origin="study_visit", visit__isnull=False, unit__isnull=False)
                ),
                name="action_origin_linked",
                violation_error_message=_("Tugas harus terkait dengan asalnya."),
            ),
            models.CheckConstraint(
                condition=~Q(origin="clinic") | Q(owner__isnull=False) | ~Q(owner_name=""),
                name="action_item_has_owner",
                violation_error_message=_("Pilih penanggung jawab atau tulis namanya."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.is_pending and self.due_date < timezone.localdate())

    @property
    def owner_label(self) -> str:
        """Who does it, as a line of text."""
        if self.owner_id:
            return self.owner.full_name
        if self.owner_name:
            return self.owner_name
        if self.owner_official_id:
            return self.owner_official.name
        return (self.unit.short_name or self.unit.name) if self.unit_id else ""

    @property
    def origin_object(self):
        """The record the task came from (the assessment, the case or the visit)."""
        return {"planner": self.assessment, "clinic": self.case, "study_visit": self.visit}.get(self.origin)


class ActionEvent(WorkflowEvent):
    item = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat tugas")
        verbose_name_plural = _("riwayat tugas")
