from lumbung.innovations.tests.factories import InnovationFactory
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
