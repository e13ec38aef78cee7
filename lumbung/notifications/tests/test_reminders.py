"""Scheduled reminders with frozen time: each is sent at the right moment, to the right people,
once, and not again on a second run (nor by a second scheduler at the same time)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lumbung.actions.models import Action
from lumbung.assessment.models import Answer, RowStatus
from lumbung.assessment.tests.factories import enter, open_assessment
from lumbung.clinic.tests.factories import ActionItemFactory, CaseFactory
from lumbung.core.roles import Role
from lumbung.notifications.models import Kind, Notification, SentReminder
from lumbung.notifications.reminders import reminders_send, threshold_for

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2026, 8, 22)


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC), tick=False)


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(9, None), (8, None), (7, 7), (5, 7), (4, 7), (3, 3), (2, 3), (1, 1), (0, 1), (-1, None)],
)
def test_thresholds(days_left, threshold):
    assert threshold_for(days_left, (7, 3, 1)) == threshold


@pytest.fixture
def assessment(world):
    return open_assessment(world.region, world.user(Role.ADMIN), collection_ends=DEADLINE)


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("created_at").values_list("title", flat=True))


def test_stage_deadline_reminders_7_3_and_1_days_before_once_each(world, assessment):
    admin, operator = world.user(Role.ADMIN), world.user(Role.OPERATOR)
    for days_before in range(10, -2, -1):
        with at(DEADLINE - dt.timedelta(days=days_before)):
            reminders_send()
            reminders_send()  # a second run the same hour sends nothing more
    assert titles(admin) == [
        "Tenggat Penjaringan IGA 2026: 7 hari lagi (22 Agustus 2026)",
        "Tenggat Penjaringan IGA 2026: 3 hari lagi (22 Agustus 2026)",
        "Tenggat Penjaringan IGA 2026: 1 hari lagi (22 Agustus 2026)",
    ]
    assert titles(operator) == titles(admin)
    # Verifiers, judges and the other region's admin are not told.
    assert titles(world.user(Role.VERIFIER)) == []
    assert titles(world.other_admin) == []
    assert SentReminder.objects.filter(kind=Kind.STAGE_DEADLINE).count() == 6


def test_a_missed_day_still_reminds_under_the_threshold_once(world, assessment):
    with at(DEADLINE - dt.timedelta(days=5)):  # the scheduler did not run on day 7
        reminders_send()
    with at(DEADLINE - dt.timedelta(days=4)):
        reminders_send()
    [title] = titles(world.user(Role.ADMIN))
    assert "5 hari lagi" in title


def test_a_locked_assessment_is_not_reminded(world, assessment):
    assessment.status = assessment.Status.LOCKED
    assessment.save()
    with at(DEADLINE - dt.timedelta(days=1)):
        assert sum(reminders_send().values()) == 0


def test_a_moved_deadline_reminds_again(world, assessment):
    with at(DEADLINE - dt.timedelta(days=3)):
        reminders_send()
        assessment.collection_ends = DEADLINE + dt.timedelta(days=2)
        assessment.save()
        reminders_send()  # 5 days left of the new date: the 7-day reminder of the new deadline
    assert len(titles(world.user(Role.ADMIN))) == 2


def test_immediate_reminders_are_emailed(world, assessment, django_capture_on_commit_callbacks):
    with at(DEADLINE - dt.timedelta(days=7)), django_capture_on_commit_callbacks(execute=True):
        reminders_send()
    assert {message.to[0] for message in mail.outbox} >= {world.user(Role.ADMIN).email}


@pytest.fixture
def action(world, assessment):
    return Action.objects.create(
        region=assessment.region, origin=Action.Origin.PLANNER, assessment=assessment, description="Lengkapi SK inovasi Dinas Kominfo", gain="1.20", unit=world.unit,
        due_date=dt.date(2026, 7, 10), created_by=world.user(Role.ADMIN),
    )  # fmt: skip


def test_planner_action_due_then_overdue(world, action):
    operator, admin = world.user(Role.OPERATOR), world.user(Role.ADMIN)
    with at(dt.date(2026, 7, 6)):
        reminders_send()
    assert titles(operator) == []  # four days ahead: not yet
    with at(dt.date(2026, 7, 7)):
        reminders_send()
        reminders_send()
    assert len(titles(operator)) == 1
    assert "jatuh tempo" in titles(operator)[0]
    assert all("Rencana tindakan" not in t for t in titles(admin))  # the assigner hears only when it slips
    with at(dt.date(2026, 7, 11)):
        reminders_send()
        reminders_send()
    assert len(titles(operator)) == 2
    assert "lewat tenggat" in titles(operator)[1]
    assert any("lewat tenggat" in t for t in titles(admin))


def test_a_finished_action_is_not_reminded(world, action):
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    with at(dt.date(2026, 7, 12)):
        assert reminders_send()[Kind.ACTION_DUE] == 0


def test_rows_waiting_longer_than_the_setting_remind_the_verifiers_once_a_day(world, assessment, settings):
    settings.LUMBUNG_VERIFICATION_REMINDER_DAYS = 5
    entry = enter(assessment, world.user(Role.ADMIN), unit=world.unit)
    with at(dt.date(2026, 7, 1)):
        Answer.objects.filter(entry=entry).update(status=RowStatus.CLAIMED, level=1, updated_at=timezone.now())
    verifier = world.user(Role.VERIFIER)
    with at(dt.date(2026, 7, 5)):
        reminders_send()
    assert titles(verifier) == []  # four days: not yet
    with at(dt.date(2026, 7, 7)):
        reminders_send()
        reminders_send()
    [title] = titles(verifier)
    waiting = Answer.objects.filter(entry=entry).count()
    assert title.startswith(f"{waiting} baris IGA 2026 menunggu verifikasi lebih dari 5 hari")
    with at(dt.date(2026, 7, 8)):
        reminders_send()
    assert len(titles(verifier)) == 2  # the next day, once more
    assert titles(world.user(Role.ADMIN)) == []  # verifiers only


def test_clinic_action_items_remind_their_owner(world):
    owner = world.user(Role.INNOVATOR)
    item = ActionItemFactory(
        case=CaseFactory(region=world.region, requester=owner), owner=owner, due_date=dt.date(2026, 3, 10)
    )
    with at(dt.date(2026, 3, 7)):
        reminders_send()
    assert titles(owner) == []
    with at(dt.date(2026, 3, 8)):
        reminders_send()
        reminders_send()
    with at(dt.date(2026, 3, 11)):
        reminders_send()
    assert [("lewat tenggat" in t) for t in titles(owner)] == [False, True]
    item.status = item.Status.DONE
    item.save()
    with at(dt.date(2026, 3, 20)):
        assert reminders_send()[Kind.CLINIC_ACTION_DUE] == 0


def test_the_command_reports_and_refuses_a_bad_date(world, assessment, capsys):
    call_command("send_reminders", "--date", (DEADLINE - dt.timedelta(days=3)).isoformat())
    out = capsys.readouterr().out
    assert "Tenggat tahapan penilaian:" in out
    assert "pengingat terkirim" in out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Tanggal tidak dikenali"):
        call_command("send_reminders", "--date", "31-07-2026")


@pytest.fixture
def sosis(world, reference_data):
    from lumbung.innovations.models import Programme
    from lumbung.innovations.tests.factories import ProgrammeFactory
    from lumbung.organisation.models import Unit

    programme = ProgrammeFactory(
        region=world.region, unit_kinds=[Unit.Kind.OFFICE], created_by=world.user(Role.ADMIN),
        reminder_dates=["2026-03-02", "2026-06-01"],
    )  # fmt: skip
    assert programme.kind == Programme.Kind.UNIT_QUOTA
    return programme


def test_quota_gaps_are_reminded_on_the_programmes_dates_once(world, sosis):
    from lumbung.innovations.models import ProgrammeReminder

    operator, admin = world.user(Role.OPERATOR), world.user(Role.ADMIN)
    with at(dt.date(2026, 3, 1)):
        assert reminders_send()[Kind.QUOTA_GAP] == 0
    with at(dt.date(2026, 3, 2)):
        reminders_send()
        reminders_send()
    with at(dt.date(2026, 3, 4)):  # within the catch-up days of the same date: nothing new
        reminders_send()
    [title] = titles(operator)
    assert title.startswith("Pengingat SOSIS")
    # Diskominfo's operator was told and it is recorded as sent by the scheduler.
    reminder = ProgrammeReminder.objects.get()
    assert (reminder.unit, reminder.sent_by, reminder.recipients) == (world.unit, None, 1)
    # Dinkes has no operator: the admin hears that it needs a letter, once.
    [notice] = [t for t in titles(admin) if "perlu disurati" in t]
    assert notice == "SOSIS 2026: 1 sasaran tanpa akun perlu disurati"
    with at(dt.date(2026, 6, 1)):
        reminders_send()
    assert len(titles(operator)) == 2
    assert ProgrammeReminder.objects.count() == 2


def test_a_missed_date_is_caught_up_within_three_days_only(world, sosis):
    with at(dt.date(2026, 3, 6)):
        assert reminders_send()[Kind.QUOTA_GAP] == 0
    with at(dt.date(2026, 3, 5)):
        assert reminders_send()[Kind.QUOTA_GAP] >= 1


def test_an_inactive_programme_reminds_nobody(world, sosis):
    sosis.is_active = False
    sosis.save()
    with at(dt.date(2026, 3, 2)):
        assert reminders_send()[Kind.QUOTA_GAP] == 0


def test_the_programme_form_reads_and_checks_the_reminder_dates(world, reference_data):
    from lumbung.innovations.forms import ProgrammeForm

    form = ProgrammeForm(data={"reminder_dates": "01-06-2026; 2026-03-02, 1/3/2026, 01-06-2026"})
    form.is_valid()
    assert form.cleaned_data["reminder_dates"] == ["2026-03-01", "2026-03-02", "2026-06-01"]
    form = ProgrammeForm(data={"reminder_dates": "01-13-2026, besok"})
    form.is_valid()
    assert form.errors["reminder_dates"] == ["Tanggal tidak dikenali: 01-13-2026, besok. Tulis seperti 01-03-2026."]
