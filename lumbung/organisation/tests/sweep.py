from tests.sweep import SweepCase


def cases(world):
    foreign_unit = {"pk": world.other_unit.pk}
    foreign_official = {"pk": world.other_official.pk}
    return {
        "organisation:unit-detail": SweepCase.foreign(**foreign_unit),
        "organisation:unit-edit": SweepCase.foreign(**foreign_unit),
        "organisation:unit-move": SweepCase.foreign(**foreign_unit),
        "organisation:unit-deactivate": SweepCase.foreign(**foreign_unit),
        "organisation:unit-reactivate": SweepCase.foreign(**foreign_unit),
        "organisation:unit-holders": SweepCase.foreign(**foreign_unit),
        "organisation:unit-history": SweepCase.foreign(**foreign_unit),
        "organisation:official-detail": SweepCase.foreign(**foreign_official),
        "organisation:official-edit": SweepCase.foreign(**foreign_official),
        "organisation:assignment-start": SweepCase.foreign(**foreign_official),
        "organisation:official-rotate": SweepCase.foreign(**foreign_official),
        "organisation:official-history": SweepCase.foreign(**foreign_official),
        "organisation:assignment-end": SweepCase.foreign(pk=world.other_official.assignments.get().pk),
    }
