from tests.sweep import SweepCase


def cases(world):
    # Region B (no province) and region C (another province): outside every scope of region A's
    # people, including the province admin of Lampung (region A's province).
    code = world.other_region.code
    return {
        "rankings:export": SweepCase.own(fmt="xlsx"),
        "rankings:region": SweepCase.foreign(code=code),
        "rankings:help-case": SweepCase.foreign(code=code),
    }
