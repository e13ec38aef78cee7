"""Factories for innovations, their teams and programmes."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from lumbung.innovations.models import GovernmentAffair, Innovation, Programme, TeamMember
from lumbung.organisation.models import Unit
from tests.factories import RegionFactory, UnitFactory, UserFactory

# Six parts of 55 words each: 330 words together, above the 300-word rule.
DESIGN_PART = " ".join(["kata"] * 55)


class InnovationFactory(DjangoModelFactory):
    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..region"))
    name = factory.Sequence(lambda n: f"Layanan Informasi Petani Kopi {n}")
    stage = Innovation.Stage.IMPLEMENTATION
    initiator_kind = Innovation.InitiatorKind.UNIT
    initiator_name = factory.LazyAttribute(lambda o: o.unit.name)
    is_digital = True
    form = Innovation.Form.PUBLIC_SERVICE
    main_affair = factory.LazyFunction(
        lambda: GovernmentAffair.objects.get_or_create(
            code="kesehatan", defaults={"name": "Kesehatan", "kind": "basic_service"}
        )[0]
    )
    trial_date = dt.date(2024, 2, 1)
    implementation_date = dt.date(2024, 6, 1)
    legal_basis = DESIGN_PART
    problem = DESIGN_PART
    strategic_issue = DESIGN_PART
    method = DESIGN_PART
    novelty = DESIGN_PART
    workflow = DESIGN_PART
    goals = "Mempercepat layanan."
    benefits = "Petani mendapat informasi harga."
    results = "Seribu petani terlayani."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner(self, create, official, **kwargs):
        """InnovationFactory(owner=official) puts an owner on the team."""
        if create and official:
            TeamMember.objects.create(innovation=self, official=official, role=TeamMember.Role.OWNER)


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = TeamMember

    innovation = factory.SubFactory(InnovationFactory)
    name = factory.Faker("name", locale="id_ID")
    role = TeamMember.Role.MEMBER


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    region = factory.SubFactory(RegionFactory)
    name = "SOSIS"
    kind = Programme.Kind.UNIT_QUOTA
    year = 2026
    reference_date = dt.date(2026, 12, 31)
    unit_kinds = [Unit.Kind.OFFICE]
    echelon_tiers = [2, 3, 4]
    created_by = factory.SubFactory(UserFactory)
