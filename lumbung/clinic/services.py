"""Clinic operations: a request becomes a case, the admin triages it, the mentor works it
(sessions, action items, the conversation), and the innovation's maturity is taken when the
mentoring starts and when the case is resolved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.accounts.models import User
from lumbung.actions.models import Action, ActionEvent
from lumbung.actions.services import action_create, action_transition
from lumbung.assessment.services import innovation_maturity
from lumbung.core.files import store_upload
from lumbung.core.roles import Role
from lumbung.notifications.services import notify

from .models import Case, CaseEvent, Message, Session
from .workflows import CASE


def _region_admins(region):
    return User.objects.filter(
        role_assignments__region=region, role_assignments__role=Role.ADMIN, role_assignments__is_active=True
    ).distinct()


def _notify(case: Case, recipients, title: str, body: str = "") -> None:
    notify(recipients=recipients, title=title, body=body, url=case.get_absolute_url(), region=case.region)


def _other_side(case: Case, actor) -> list:
    """Who hears about what `actor` did: the requester hears from the clinic, and the other way round."""
    if actor.pk == case.requester_id:
        return [case.mentor] if case.mentor_id else list(_region_admins(case.region))
    return [case.requester] + ([case.mentor] if case.mentor_id and case.mentor_id != actor.pk else [])


def innovation_maturity_now(innovation, year: int) -> Decimal | None:
    """The innovation's claimed maturity in the assessment of `year`; None when not entered."""
    if innovation is None:
        return None
    return innovation_maturity(innovation=innovation, year=year)


@transaction.atomic
def case_request(
    *,
    region,
    requester,
    title: str,
    description: str,
    category: str,
    unit=None,
    innovation=None,
    indicator_code: str = "",
    preferred_mode: str = Case.Mode.ANY,
    contact_phone: str = "",
) -> Case:
    """Open a case for `requester` and tell the region's innovation admins."""
    if innovation is not None and innovation.region_id != region.pk:
        raise ValidationError(_("Inovasi harus dari pemda yang sama."))
    if unit is not None and unit.region_id != region.pk:
        raise ValidationError(_("Perangkat daerah harus dari pemda yang sama."))
    case = Case(
        region=region,
        requester=requester,
        unit=unit,
        innovation=innovation,
        indicator_code=indicator_code,
        title=title.strip(),
        description=description.strip(),
        category=category,
        preferred_mode=preferred_mode,
        contact_phone=contact_phone.strip(),
    )
    case.full_clean()
    case.save()
    CaseEvent.objects.create(case=case, actor=requester, action="request", from_state="", to_state=case.status)
    _notify(
        case,
        _region_admins(region),
        _("Permintaan klinik baru: %(title)s") % {"title": case.title},
        _("%(name)s meminta pendampingan (%(category)s). Silakan triase.")
        % {"name": requester.full_name, "category": case.get_category_display()},
    )
    return case


@transaction.atomic
def case_triage(*, case: Case, actor, category: str, priority: str, mentor, note: str = "") -> CaseEvent:
    """Set category, priority and mentor. A new case moves to "triaged"; on a case already
    triaged this is a reassignment, recorded as its own event."""
    if not mentor.has_any_role({Role.MENTOR, Role.ADMIN}, case.region_id):
        raise ValidationError(_("Mentor harus pemegang peran mentor klinik di pemda ini."))
    previous_mentor = case.mentor
    data = {"category": category, "priority": priority, "mentor": mentor.pk}
    if case.status == Case.Status.NEW:
        event = CASE.apply(case, "triage", actor=actor, note=note, data=data)
    else:
        if not (case.is_open and actor.has_perm("clinic.triage_case", case)):
            raise ValidationError(_("Triase kasus ini tidak dapat diubah lagi."))
        event = CaseEvent.objects.create(
            case=case,
            actor=actor,
            action="reassign",
            from_state=case.status,
            to_state=case.status,
            note=note,
            data=data,
        )
    case.category, case.priority, case.mentor = category, priority, mentor
    case.save(update_fields=["category", "priority", "mentor", "updated_at"])
    if previous_mentor != mentor:
        _notify(
            case,
            [mentor],
            _("Kasus klinik untuk Anda: %(title)s") % {"title": case.title},
            _("Prioritas %(priority)s. Pemohon: %(name)s.")
            % {"priority": case.get_priority_display(), "name": case.requester.full_name},
        )
        _notify(
            case,
            [case.requester],
            _("Permintaan Anda didampingi %(mentor)s") % {"mentor": mentor.full_name},
            _("Mentor akan menghubungi Anda untuk menjadwalkan sesi."),
        )
    return event


def _snapshot_maturity(case: Case, *, after: bool) -> None:
    if case.innovation_id is None:
        return
    if case.maturity_year is None:
        case.maturity_year = timezone.localdate().year
    value = innovation_maturity_now(case.innovation, case.maturity_year)
    if after:
        case.maturity_after = value
    elif case.maturity_before is None:
        case.maturity_before = value  # a reopened case keeps its starting point
    case.save(update_fields=["maturity_year", "maturity_before", "maturity_after", "updated_at"])


# Whom each step is announced to, and with what title.
_ANNOUNCE = {
    "start": gettext_lazy("Pendampingan dimulai: %(title)s"),
    "ask": gettext_lazy("Mentor meminta Anda melengkapi: %(title)s"),
    "respond": gettext_lazy("Pemohon sudah melengkapi: %(title)s"),
    "resolve": gettext_lazy("Kasus klinik selesai ditangani: %(title)s"),
    "close": gettext_lazy("Kasus klinik ditutup: %(title)s"),
    "reopen": gettext_lazy("Kasus klinik dibuka kembali: %(title)s"),
    "decline": gettext_lazy("Permintaan klinik tidak dilanjutkan: %(title)s"),
    "withdraw": gettext_lazy("Pemohon membatalkan permintaan: %(title)s"),
}


@transaction.atomic
def case_transition(*, case: Case, action: str, actor, note: str = "") -> CaseEvent:
    """Take a workflow step on the case; triage has its own service (case_triage)."""
    if action == "triage":
        raise ValidationError(_("Gunakan formulir triase."))
    event = CASE.apply(case, action, actor=actor, note=note)
    if action in {"start", "reopen"}:
        _snapshot_maturity(case, after=False)
    elif action == "resolve":
        _snapshot_maturity(case, after=True)
    _notify(case, _other_side(case, actor), _ANNOUNCE[action] % {"title": case.title}, note)
    return event


@transaction.atomic
def case_reply(*, case: Case, author, body: str, upload=None) -> Message:
    """Add a message (and a checked file) to the conversation. A reply from the requester's
    side to a case waiting for them hands the case back to the mentor."""
    message = Message(case=case, author=author, body=body.strip())
    if upload is not None:
        store_upload(message, upload)
    message.full_clean()
    message.save()
    if case.status == Case.Status.WAITING and author.has_perm("clinic.respond_case", case):
        CASE.apply(case, "respond", actor=author, note=_("Dijawab lewat pesan."))
    _notify(case, _other_side(case, author), _("Pesan baru: %(title)s") % {"title": case.title}, message.body[:300])
    return message


@transaction.atomic
def session_save(
    *,
    case: Case,
    actor,
    mode: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str = "",
    notes: str = "",
    session: Session | None = None,
) -> Session:
    """Plan a session (the requester is told) or update one, e.g. with its minutes. The first
    session of a triaged case starts the mentoring."""
    is_new = session is None
    session = session or Session(case=case, created_by=actor)
    session.mode, session.starts_at, session.duration_minutes = mode, starts_at, duration_minutes
    session.place, session.notes = place.strip(), notes.strip()
    session.full_clean()
    session.save()
    if is_new and case.status == Case.Status.TRIAGED:
        CASE.apply(case, "start", actor=actor, note=_("Sesi pertama dijadwalkan."))
        _snapshot_maturity(case, after=False)
    if is_new:
        when = timezone.localtime(starts_at).strftime("%d-%m-%Y %H.%M")
        _notify(
            case,
            [case.requester],
            _("Sesi pendampingan %(when)s: %(title)s") % {"when": when, "title": case.title},
            f"{session.get_mode_display()} · {session.place}",
        )
    return session


@transaction.atomic
def action_item_create(
    *,
    case: Case,
    actor,
    description: str,
    due_date: dt.date,
    owner=None,
    owner_name: str = "",
    innovation=None,
    indicator_code: str = "",
    planned_action=None,
) -> Action:
    """Add an action item (an actions.Action from the clinic) to the plan and tell its owner. An item that carries out one of the
    assessment planner's actions takes its innovation and indicator unless given."""
    if innovation is not None and innovation.region_id != case.region_id:
        raise ValidationError(_("Inovasi harus dari pemda yang sama."))
    if planned_action is not None:
        if planned_action.region_id != case.region_id:
            raise ValidationError(_("Tindakan perencana harus dari pemda yang sama."))
        innovation = innovation or planned_action.innovation
        indicator_code = indicator_code or planned_action.indicator_code
    item = action_create(
        region=case.region,
        origin=Action.Origin.CLINIC,
        actor=actor,
        description=description,
        case=case,
        due_date=due_date,
        owner=owner,
        owner_name="" if owner else owner_name.strip(),
        innovation=innovation,
        indicator_code=indicator_code,
        planned_action=planned_action,
    )
    if owner is not None and owner.pk != actor.pk:
        _notify(
            case,
            [owner],
            _("Tindak lanjut untuk Anda: %(item)s") % {"item": item.description[:120]},
            _("Tenggat %(date)s.") % {"date": due_date.strftime("%d-%m-%Y")},
        )
    return item


def action_item_transition(*, item: Action, action: str, actor, note: str = "") -> ActionEvent:
    """Move an action item; finishing one that carries out a planner action finishes that action
    too (actions.services.action_transition)."""
    return action_transition(item=item, action=action, actor=actor, note=note)
