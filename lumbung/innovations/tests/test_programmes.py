"""Programme pages: defining a rule, drill-down, Excel export and the reminder."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.innovations.models import Innovation, Programme
from lumbung.notifications.models import Notification
from lumbung.organisation.models import Unit

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
        "is_active": "on",
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
