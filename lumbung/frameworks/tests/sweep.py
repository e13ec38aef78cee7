from tests.sweep import SweepCase

from .factories import BenefitBasisFactory, FrameworkFactory


def cases(world):
    # Frameworks are national: there is no other region's framework, only the roles differ.
    framework = FrameworkFactory(year=2040)
    basis = BenefitBasisFactory(indicator=framework.indicators.get(code="16"), code="a")
    year = {"year": framework.year}
    return {
        "frameworks:detail": SweepCase.own(**year),
        "frameworks:download": SweepCase.own(**year),
        "frameworks:history": SweepCase.own(**year),
        "frameworks:copy": SweepCase.own(**year),
        "frameworks:edit": SweepCase.own(**year),
        "frameworks:bands-edit": SweepCase.own(**year),
        "frameworks:transition": SweepCase.own(**year),
        "frameworks:indicator-edit": SweepCase.own(code="16", **year),
        "frameworks:basis-edit": SweepCase.own(code="16", basis=basis.code, **year),
    }
