"""Programme pages: defining a rule, drill-down, Excel export and the reminders with their record."""

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.core.roles import Role
from lumbung.innovations import services
from lumbung.innovations.models import Innovation, Programme, ProgrammeReminder
from lumbung.notifications.models import Notification
from lumbung.organisation.models import Unit
from tests.factories import UnitFactory, user_with_role

from .factories import InnovationFactory, ProgrammeFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_defines_a_programme_and_bad_input_is_explained(world, reference_data):
    admin = client_for(world.user("admin"))
    data = {
        "name": "SOSIS", "kind": Programme.Kind.UNIT_QUOTA, "year": 2026, "reference_date": "2026-12-31",
        "counts_since": "2027-01-01", "min_count": 1, "min_stage": "trial", "counts_from": "submitted",
        "reminder_quiet_days": 3, "is_active": "on",
    }  # fmt: skip
    response = admin.post(reverse("innovations:programme-create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tanggal mulai tidak boleh sesudah tanggal perhitungan." in page
    assert "Pilih setidaknya satu jenis perangkat daerah." in page
    data.update(counts_since="2026-01-01", unit_kinds=[Unit.Kind.OFFICE, Unit.Kind.DISTRICT])
    response = admin.post(reverse("innovations:programme-create"), data)
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.unit_kinds == ["office", "district"]
    assert client_for(world.user("verifier")).post(reverse("innovations:programme-create"), data).status_code == 403


@pytest.mark.django_db
def test_drill_down_export_and_reminder(world, reference_data, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(region=world.region, unit_kinds=[Unit.Kind.OFFICE], created_by=world.user("admin"))
    innovation = InnovationFactory(region=world.region, unit=world.sibling_unit, status=Innovation.Status.SUBMITTED)
    admin = client_for(world.user("admin"))
    page = admin.get(reverse("innovations:programme-detail", args=[programme.pk])).content.decode()
    assert world.unit.name in page and innovation.name not in page  # the missing tab lists only the missing unit
    page = admin.get(reverse("innovations:programme-detail", args=[programme.pk]), {"tampil": "semua"}).content.decode()
    assert innovation.name in page
    workbook = load_workbook(
        io.BytesIO(admin.get(reverse("innovations:programme-export", args=[programme.pk])).content)
    )
    rows = list(workbook["Kepatuhan"].iter_rows(values_only=True))
    assert ("Dinas Komunikasi dan Informatika (Diskominfo)", 0, "Belum", None) in [tuple(row) for row in rows]
    assert "Tren bulanan" in workbook.sheetnames
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("innovations:programme-remind", args=[programme.pk]))
    reminded = Notification.objects.get()
    assert reminded.recipient == world.user("operator") and "SOSIS" in reminded.title
    # Leaders read compliance but cannot remind.
    leader = client_for(world.user("leader"))
    assert leader.get(reverse("innovations:programme-detail", args=[programme.pk])).status_code == 200
    assert leader.post(reverse("innovations:programme-remind", args=[programme.pk])).status_code == 403


@pytest.mark.django_db
def test_programme_filter_on_the_list(world, reference_data):
    programme = ProgrammeFactory(
        region=world.region,
        min_stage="implementation",
        reference_date=dt.date(2030, 1, 1),
        created_by=world.user("admin"),
    )
    counted = InnovationFactory(region=world.region, unit=world.unit, status=Innovation.Status.PUBLISHED)
    InnovationFactory(region=world.region, unit=world.unit, stage="trial", status=Innovation.Status.PUBLISHED)
    admin = client_for(world.user("admin"))
    listed = admin.get(reverse("innovations:list"), {"programme": programme.pk}).context["page_obj"]
    assert [innovation.pk for innovation in listed] == [counted.pk]


# Reminders -------------------------------------------------------------------------------------

MONDAY = dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _remind(client, programme, **data):
    return client.post(reverse("innovations:programme-remind", args=[programme.pk]), data, follow=True)


def _page_messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def sosis(world, reference_data):
    """Both offices of the world miss the quota; only Diskominfo has an operator account."""
    return ProgrammeFactory(region=world.region, unit_kinds=[Unit.Kind.OFFICE], created_by=world.user("admin"))


@pytest.mark.django_db
def test_each_reminder_is_recorded_and_shown_as_last_reminded(world, sosis, django_capture_on_commit_callbacks):
    admin = client_for(world.user("admin"))
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = _remind(admin, sosis)
    reminder = ProgrammeReminder.objects.get()
    assert (reminder.programme, reminder.unit, reminder.official) == (sosis, world.unit, None)
    assert (reminder.sent_by, reminder.sent_at, reminder.recipients) == (world.user("admin"), MONDAY, 1)
    notification = Notification.objects.get()
    assert notification.recipient == world.user("operator") and "Dinas Komunikasi dan Informatika" in notification.body
    shown = _page_messages(response)
    assert "Pengingat dikirim kepada 1 orang untuk 1 sasaran" in shown
    # Dinkes has no operator account: nobody to tell, so nothing is recorded for it, and the admin hears why.
    assert "1 sasaran tidak punya akun penerima" in shown and "Dinas Kesehatan" in shown
    with time_machine.travel(MONDAY + dt.timedelta(hours=2), tick=False):
        page = admin.get(reverse("innovations:programme-detail", args=[sosis.pk])).content.decode()
    assert "2 November 2026" in page and f"oleh {world.user('admin').full_name}" in page and "belum pernah" in page
    assert "Ingatkan lagi" in page and "Riwayat pengingat" in page


@pytest.mark.django_db
def test_a_repeat_within_the_quiet_period_is_refused_unless_confirmed(world, sosis):
    admin = client_for(world.user("admin"))
    with time_machine.travel(MONDAY, tick=False):
        _remind(admin, sosis)
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        response = _remind(admin, sosis)
        assert "Tidak dikirim ulang kepada 1 sasaran yang sudah diingatkan dalam 3 hari terakhir" in _page_messages(
            response
        )
        assert ProgrammeReminder.objects.count() == Notification.objects.count() == 1
        page = admin.get(reverse("innovations:programme-detail", args=[sosis.pk])).content.decode()
        assert "1 di antaranya sudah diingatkan dalam 3 hari terakhir" in page and 'name="repeat"' in page
        _remind(admin, sosis, repeat="on")
        assert ProgrammeReminder.objects.count() == Notification.objects.count() == 2
        assert ProgrammeReminder.objects.latest("sent_at").repeat_confirmed
    # Once the quiet period is over, no confirmation is needed.
    with time_machine.travel(MONDAY + dt.timedelta(days=5, hours=1), tick=False):
        _remind(admin, sosis)
    assert ProgrammeReminder.objects.count() == 3
    assert not ProgrammeReminder.objects.latest("sent_at").repeat_confirmed


@pytest.mark.django_db
def test_the_quiet_period_is_set_per_programme(world, sosis):
    sosis.reminder_quiet_days = 0
    sosis.save()
    admin = client_for(world.user("admin"))
    for _ in range(2):
        _remind(admin, sosis)
    assert ProgrammeReminder.objects.count() == 2


@pytest.mark.django_db
def test_one_target_can_be_reminded_on_its_own(world, sosis):
    health_operator = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
    admin = client_for(world.user("admin"))
    response = _remind(admin, sosis, target=world.sibling_unit.pk)
    assert list(ProgrammeReminder.objects.values_list("unit", flat=True)) == [world.sibling_unit.pk]
    assert Notification.objects.get().recipient == health_operator
    assert "Dinas Kesehatan" in _page_messages(response)
    # A target that meets the quota (or belongs to nobody in the programme) is refused with a reason.
    InnovationFactory(region=world.region, unit=world.unit, status=Innovation.Status.SUBMITTED)
    response = _remind(admin, sosis, target=world.unit.pk)
    assert "sudah memenuhi kuota atau bukan sasaran" in _page_messages(response)
    response = _remind(admin, sosis, target=world.other_unit.pk)
    assert "sudah memenuhi kuota atau bukan sasaran" in _page_messages(response)
    assert ProgrammeReminder.objects.count() == 1


@pytest.mark.django_db
def test_pm_indah_tells_the_official_and_the_units_operator_once_each(world, reference_data):
    programme = ProgrammeFactory(
        region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, name="PM Indah", created_by=world.user("admin")
    )
    outcome = services.programme_remind(programme=programme, actor=world.user("admin"))
    assert {row.key for row in outcome.reminded} == {world.official.pk}
    assert {row.key for row in outcome.unreachable} == {world.sibling_official.pk}
    told = {n.recipient: n.body for n in Notification.objects.all()}
    assert set(told) == {world.user("operator"), world.user("innovator")} and outcome.notified == 2
    assert all(world.official.name in body and "Kepala Bidang" in body for body in told.values())
    reminder = ProgrammeReminder.objects.get()
    assert (reminder.official, reminder.unit, reminder.recipients) == (world.official, None, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["verifier", "leader", "operator"])
def test_only_the_admin_sends_reminders(world, sosis, role):
    assert (
        client_for(world.user(role)).post(reverse("innovations:programme-remind", args=[sosis.pk])).status_code == 403
    )
    assert not ProgrammeReminder.objects.exists()


@pytest.mark.django_db
def test_the_compliance_page_does_not_grow_with_reminders(world, sosis, django_assert_max_num_queries):
    admin = client_for(world.user("admin"))
    url = reverse("innovations:programme-detail", args=[sosis.pk])
    services.programme_remind(programme=sosis, actor=world.user("admin"))
    with django_assert_max_num_queries(20) as few:
        admin.get(url)
    for _ in range(10):
        unit = UnitFactory(region=world.region)
        user_with_role(Role.OPERATOR, world.region, unit)
    for _ in range(3):
        services.programme_remind(programme=sosis, actor=world.user("admin"), repeat=True)
    with django_assert_max_num_queries(len(few)):
        page = admin.get(url).content.decode()
    assert page.count("Ingatkan lagi") == 11
