from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.replication.models import Replication
from tests.factories import RegionFactory, UserFactory
from tests.sweep import SweepCase

from .factories import CatalogueItemFactory, FollowUpFactory, ReplicationFactory, StudyVisitFactory


def cases(world):
    item = CatalogueItemFactory(region=world.other_region, source_region=world.region)
    visit = StudyVisitFactory(region=world.other_region, destination=world.region)
    follow_up = FollowUpFactory(visit=visit, unit=world.other_unit)
    innovation = InnovationFactory(region=world.other_region, unit=world.other_unit)
    replication = ReplicationFactory(innovation=innovation, partner_region=world.region)
    result = {
        f"replication:{name}": SweepCase.foreign(pk=item.pk) for name in ("catalogue-detail", "catalogue-edit", "adopt")
    }
    result.update(
        {
            f"replication:{name}": SweepCase.foreign(pk=visit.pk)
            for name in ("visit-detail", "visit-edit", "visit-transition", "observation-add", "follow-up-add")
        }
    )
    result["replication:follow-up-transition"] = SweepCase.foreign(pk=follow_up.pk)
    # The shared catalogue opens other hosted regions' published innovations only: a draft is foreign.
    draft = InnovationFactory(region=world.other_region, unit=world.other_unit, status=Innovation.Status.DRAFT)
    result.update({f"replication:{name}": SweepCase.foreign(pk=draft.pk) for name in ("shared-detail", "shared-adopt")})
    # A linked adoption between two other regions (the other region adopted a third one's innovation).
    third = RegionFactory()
    origin = InnovationFactory(region=third, status=Innovation.Status.PUBLISHED)
    linked = Replication.objects.create(
        region=world.other_region, direction=Replication.Direction.INBOUND, partner_region=third,
        innovation=InnovationFactory(region=world.other_region, unit=world.other_unit), origin_innovation=origin,
        created_by=UserFactory(),
    )  # fmt: skip
    result["replication:agreement"] = SweepCase.foreign(pk=linked.pk)
    result.update(
        {
            f"replication:{name}": SweepCase.foreign(pk=replication.pk)
            for name in (
                "replication-detail",
                "replication-edit",
                "replication-transition",
                "agreement-download",
                "evidence-attach",
            )
        }  # fmt: skip
    )
    return result
