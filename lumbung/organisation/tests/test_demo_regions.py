"""The province demo: Provinsi Lampung and four more Lampung regions hosted beside Lampung Barat,
with generated data every app adds (manage.py load_demo, organisation.demo_regions)."""

import csv

import pytest
from django.core.management import call_command

from lumbung.accounts.demo_regions import PROVINCE_ADMIN_EMAIL
from lumbung.accounts.models import RoleAssignment, User
from lumbung.assessment.models import Answer, Assessment, RowStatus
from lumbung.core.demo import DEMO_PASSWORD
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.organisation.demo_regions import DEMO_REGIONS, PROVINCE_CODE
from lumbung.organisation.management.commands.load_demo import Command, _demo_modules
from lumbung.organisation.models import Official, Region, RegionEvent, Unit
from lumbung.organisation.unit_templates import template_path
from tests.factories import user_with_role


@pytest.fixture
def loaded(db):
    call_command("load_reference_data", verbosity=0)
    national = user_with_role(Role.NATIONAL_ADMIN)
    Command()._load_regions(list(_demo_modules()), national)
    return national


def test_the_province_and_four_regions_are_hosted_with_data_to_compare(loaded):
    codes = {item.code for item in DEMO_REGIONS}
    assert len(codes) == 5 and set(Region.objects.filter(is_hosted=True).values_list("code", flat=True)) == codes
    province = Region.objects.get(code=PROVINCE_CODE)
    assert all(region.province_id == province.pk for region in Region.objects.filter(code__in=codes - {"18"}))
    figures = {}
    for region in Region.objects.filter(code__in=codes):
        with open(template_path(region.kind), encoding="utf-8") as handle:
            assert Unit.objects.filter(region=region).count() == len(list(csv.DictReader(handle)))
        assert Official.objects.filter(region=region, assignments__isnull=False).distinct().count() > 20
        assert Innovation.objects.filter(region=region, status=Innovation.Status.PUBLISHED).exists()
        assessment = Assessment.objects.get(region=region)
        rows = Answer.objects.filter(scoring_assessment=assessment)
        assert rows.filter(status=RowStatus.ACCEPTED).exists() and rows.filter(status=RowStatus.CLAIMED).exists()
        assert assessment.claimed_iid >= assessment.verified_iid > 0
        figures[region.code] = assessment.verified_iid
        event = RegionEvent.objects.get(region=region)
        assert (event.action, event.actor) == ("onboard", loaded)
    assert len(set(figures.values())) == len(figures)  # regions differ, so a ranking has an order


def test_the_demo_logins_of_the_province(loaded):
    province_admin = User.objects.get(email=PROVINCE_ADMIN_EMAIL)
    assert province_admin.check_password(DEMO_PASSWORD)
    assignment = RoleAssignment.objects.get(user=province_admin)
    assert (assignment.role, assignment.region.code) == (Role.PROVINCE_ADMIN, PROVINCE_CODE)
    for item in DEMO_REGIONS:
        admin = User.objects.get(email=f"admin@{item.slug}.test")
        assert admin.check_password(DEMO_PASSWORD) and admin.has_role(Role.ADMIN, Region.objects.get(code=item.code))


def test_a_second_run_loads_nothing_twice(loaded):
    before = (Unit.objects.count(), Innovation.objects.count(), Assessment.objects.count())
    Command()._load_regions(list(_demo_modules()), loaded)
    assert (Unit.objects.count(), Innovation.objects.count(), Assessment.objects.count()) == before
