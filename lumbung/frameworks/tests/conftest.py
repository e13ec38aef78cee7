import pytest


@pytest.fixture
def frameworks(db):
    """The shipped data files loaded: {year: Framework}."""
    from lumbung.frameworks.models import Framework
    from lumbung.frameworks.reference import load

    load()
    return {framework.year: framework for framework in Framework.objects.all()}


@pytest.fixture(autouse=True)
def _indonesian():
    """Messages are asserted in Indonesian; a page requested in English earlier in the same
    thread must not leave its language active."""
    from django.utils import translation

    with translation.override("id"):
        yield
