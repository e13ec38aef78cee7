import pytest

from lumbung.core.roles import Role

from .factories import claim_with_evidence, desk_order, enter, open_assessment


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def verifier(world):
    return world.user(Role.VERIFIER)


@pytest.fixture
def operator(world):
    """Operator of world.unit (Diskominfo)."""
    return world.user(Role.OPERATOR)


@pytest.fixture
def assessment(world, admin):
    return open_assessment(world.region, admin)


@pytest.fixture
def entry(assessment, admin, world):
    """An eligible innovation of the operator's unit."""
    return enter(assessment, admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")


@pytest.fixture
def rows(entry):
    """The entry's rows by indicator code, loaded as the views load them."""
    queryset = entry.answers.select_related("indicator", "entry__assessment__framework", "entry__innovation__unit")
    return {row.indicator.code: row for row in queryset}


@pytest.fixture
def year_2026(world, reference_data):
    """The region's 2026 assessment under the methodology file as shipped (for browser journeys)."""
    from lumbung.assessment.services import assessment_create
    from lumbung.frameworks import reference
    from lumbung.frameworks.models import Framework

    reference.load()
    return assessment_create(
        region=world.region, year=2026, framework=Framework.objects.get(year=2026), actor=world.user(Role.ADMIN)
    )


@pytest.fixture
def waiting(assessment, rows, operator):
    """Three claimed rows of the operator's unit with their evidence, in the desk's order."""
    for code in ("16", "17", "18"):
        claim_with_evidence(rows[code], actor=operator, level=2, title=f"SK {code}", year=2026)
    return desk_order(assessment)
