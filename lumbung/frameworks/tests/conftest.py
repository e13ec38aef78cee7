import pytest


@pytest.fixture
def frameworks(db):
    """The shipped data files loaded: {year: Framework}."""
    from lumbung.frameworks.models import Framework
    from lumbung.frameworks.reference import load

    load()
    return {framework.year: framework for framework in Framework.objects.all()}
