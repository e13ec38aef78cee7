"""Factories for the catalogue, study visits and replications."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from lumbung.actions.models import Action
from lumbung.replication.models import CatalogueItem, Replication, StudyVisit
from tests.factories import RegionFactory, UnitFactory, UserFactory


class CatalogueItemFactory(DjangoModelFactory):
    class Meta:
        model = CatalogueItem

    region = factory.SubFactory(RegionFactory)
    source_region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Inovasi Pelayanan Terpadu {n + 1}")
    summary = "Layanan administrasi desa terpadu berbasis aplikasi."
    form = "public_service"
    is_digital = True
    year = 2019
    source = CatalogueItem.Source.IGA
    created_by = factory.SubFactory(UserFactory)


class StudyVisitFactory(DjangoModelFactory):
    class Meta:
        model = StudyVisit

    region = factory.SubFactory(RegionFactory)
    destination = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Studi tiru inovasi pelayanan publik {n + 1}")
    start_date = dt.date(2026, 4, 14)
    end_date = dt.date(2026, 4, 16)
    created_by = factory.SubFactory(UserFactory)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = Action

    visit = factory.SubFactory(StudyVisitFactory)
    region = factory.SelfAttribute("visit.region")
    origin = Action.Origin.STUDY_VISIT
    description = "Menyusun kajian kelayakan replikasi"
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..visit.region"))
    due_date = dt.date(2026, 7, 31)


class ReplicationFactory(DjangoModelFactory):
    class Meta:
        model = Replication

    region = factory.SelfAttribute("innovation.region")
    direction = Replication.Direction.OUTBOUND
    innovation = None  # required: pass an innovation of the region
    partner_region = factory.SubFactory(RegionFactory)
    created_by = factory.SubFactory(UserFactory)
