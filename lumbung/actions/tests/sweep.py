from lumbung.replication.tests.factories import FollowUpFactory, StudyVisitFactory
from tests.sweep import SweepCase


def cases(world):
    visit = StudyVisitFactory(region=world.other_region, destination=world.region)
    task = FollowUpFactory(visit=visit, unit=world.other_unit)
    return {"actions:transition": SweepCase.foreign(pk=task.pk)}
